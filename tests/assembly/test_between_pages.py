"""The 列席 and 询问/质询 pages: the 组织部 arranges a meeting, invites, records attendance (盐田: 本规则集不计分);
the delegate sees only his invitation and his own inquiries and registers one; another district's staff get 404."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from election.assembly.models import Inquiry, SitInInvitee, SitInMeeting
from election.assembly.services import between as svc
from tests.assembly.test_between import NOW


def test_the_office_arranges_a_sit_in_and_records_attendance(client, auth, session, assembly_world):
    w = assembly_world
    auth.login(w.office.username)
    assert "安排列席会议" in client.get("/assembly/sitins").get_data(as_text=True)
    r = client.post("/assembly/sitins", data={"congress": w.congress, "kind": "plenary", "title": "区委十二届八次全会",
                                              "held_on": "2026-11-20", "place": "区委小礼堂"}, follow_redirects=True)
    assert "已安排会议" in r.get_data(as_text=True)
    m = session.scalar(select(SitInMeeting).where(SitInMeeting.congress == w.congress))
    r = client.post(f"/assembly/sitins/{m.id}/invite", data={"delegate_ids": [w.delegates[0].id, w.delegates[1].id]},
                    follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "已邀请" in page and "王芳" in page and "本规则集不计分" in page
    r = client.post(f"/assembly/sitins/{m.id}/attendance", data={"delegate_id": w.delegates[1].id, "attended": "no"},
                    follow_redirects=True)
    assert "请填写缺席原因" in r.get_data(as_text=True)
    client.post(f"/assembly/sitins/{m.id}/attendance", data={"delegate_id": w.delegates[0].id, "attended": "yes"})
    inv = session.scalar(select(SitInInvitee).where(SitInInvitee.delegate_id == w.delegates[0].id))
    assert inv.attended is True and inv.activity_id is None  # 盐田 does not score 列席
    auth.logout()
    auth.login(w.other_office.username)
    assert client.get(f"/assembly/sitins/{m.id}").status_code == 404
    assert "区委十二届八次全会" not in client.get("/assembly/sitins").get_data(as_text=True)
    auth.logout()
    auth.login(w.delegate_user.username)
    page = client.get(f"/assembly/sitins/{m.id}").get_data(as_text=True)
    assert "王芳" in page and "李娜" not in page and "保存" not in page


def test_inquiries_the_delegate_registers_his_own_and_the_office_records_the_reply(client, auth, session,
                                                                                   assembly_world):
    w = assembly_world
    other = svc.register_inquiry(session, w.office, "interpellation", w.delegates[1].id, "区住建局", "老旧小区",
                                 "内容", date(2026, 11, 1), None, NOW)
    auth.login(w.delegate_user.username)
    page = client.get("/assembly/inquiries").get_data(as_text=True)
    assert "登记询问或质询" in page and "老旧小区" not in page
    assert client.get(f"/assembly/inquiries/{other.id}").status_code == 404
    r = client.post("/assembly/inquiries", data={"kind": "inquiry", "delegate_id": str(w.delegates[0].id),
                                                 "department": "区教育局", "subject": "校车安全", "content": "请说明",
                                                 "submitted_on": "2026-11-02"}, follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "校车安全" in page and "登记答复" not in page
    mine = session.scalar(select(Inquiry).where(Inquiry.subject == "校车安全"))
    assert mine.delegate_id == w.delegates[0].id and mine.due_on == date(2026, 11, 17)
    auth.logout()
    auth.login(w.office.username)
    overdue = client.get("/assembly/inquiries?overdue=1").get_data(as_text=True)
    assert "老旧小区" in overdue and "校车安全" in overdue  # both past their deadline, unanswered
    r = client.post(f"/assembly/inquiries/{mine.id}/reply", data={"reply": "已加强校车管理", "replied_on": "2026-11-10"},
                    follow_redirects=True)
    assert "已登记答复" in r.get_data(as_text=True)
    assert "校车安全" not in client.get("/assembly/inquiries?overdue=1").get_data(as_text=True)
