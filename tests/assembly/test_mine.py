"""A 代表's 工作台 shows what is ahead of him in the congress's sessions: the next session (notice, his sign-in,
the 提案 window), the meetings he is invited to 列席 and his 询问/质询 waiting for a reply — and nothing of another
congress's session."""
from __future__ import annotations

from datetime import timedelta

from election.assembly.models import Attendance, Inquiry, SitInInvitee, SitInMeeting
from election.assembly.services.mine import my_sessions
from election.core.clock import today_local, utcnow


def _home(client, auth, user) -> str:
    assert auth.login(user.username).status_code == 302
    r = client.get("/")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_the_next_session_and_what_waits_on_the_delegates_dashboard(client, auth, session, assembly_world):
    w = assembly_world
    today = today_local()
    me = w.delegates[0]
    w.session.opens_on, w.session.closes_on = today + timedelta(days=3), today + timedelta(days=4)
    w.session.proposals_open_on, w.session.proposals_close_on = today - timedelta(days=1), today
    session.commit()
    page = _home(client, auth, w.delegate_user)
    assert 'data-testid="my-sessions"' in page and w.session.title in page
    assert "会议通知尚未发出" in page and "正在征集提案" in page
    assert "列席邀请" not in page and "尚待答复" not in page

    w.session.status, w.session.notified_at = "notified", utcnow()
    w.session.proposals_close_on = today - timedelta(days=1)  # the window closed yesterday
    meeting = SitInMeeting(organisation_id=w.district.id, congress=w.congress, kind="plenary",
                           title="区委全体会议", held_on=today)
    session.add(meeting)
    session.flush()
    session.add_all([SitInInvitee(meeting_id=meeting.id, delegate_id=me.id),
                     Attendance(session_id=w.session.id, delegate_id=me.id, status="leave", reason="出差"),
                     Inquiry(organisation_id=w.district.id, delegate_id=me.id, department="区住建局", subject="老旧小区",
                             content="何时改造", submitted_on=today, due_on=today + timedelta(days=15))])
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "会议通知已发出" in page and "您已请假" in page and "正在征集提案" not in page
    assert "区委全体会议" in page and "您有1件询问、质询尚待答复" in page


def test_held_sessions_past_meetings_and_other_congresses_are_not_ahead(session, assembly_world):
    w = assembly_world
    today = today_local()
    w.session.opens_on = w.session.closes_on = today - timedelta(days=1)  # closed yesterday, never recorded held
    past = SitInMeeting(organisation_id=w.district.id, congress=w.congress, kind="standing", title="常委会",
                        held_on=today - timedelta(days=1))
    session.add(past)
    session.flush()
    session.add(SitInInvitee(meeting_id=past.id, delegate_id=w.delegates[0].id))
    session.commit()
    assert my_sessions(session, w.delegates[0], today).empty
    w.session.closes_on = today  # its last day is still ahead of him
    session.commit()
    assert my_sessions(session, w.delegates[0], today).next_session.id == w.session.id
    w.session.congress = "另一届党代会"
    session.commit()
    assert my_sessions(session, w.delegates[0], today).empty
