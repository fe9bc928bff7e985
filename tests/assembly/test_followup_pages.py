"""The 决议与整改 tab, the follow-up list, the 决议 .docx: what each role sees and may do, another district's 404."""
from __future__ import annotations

import io
from datetime import timedelta

from docx import Document
from sqlalchemy import select

from election.assembly.models import FollowUp, Resolution
from election.assembly.services import followup as svc
from tests.assembly.conftest import DAY
from tests.assembly.test_followup import NOW, OPENS, _held_session, _open


def _login(auth, user):
    auth.login(user.username)


def test_the_office_records_a_resolution_and_downloads_it_as_a_document(client, auth, session, assembly_world):
    w = assembly_world
    _open(session, w)
    _login(auth, w.office)
    page = client.get(f"/assembly/sessions/{w.session.id}/resolutions").get_data(as_text=True)
    assert "登记决议" in page and "登记整改事项" in page
    r = client.post(f"/assembly/sessions/{w.session.id}/resolutions",
                    data={"title": "关于区委工作报告的决议", "adopted_on": OPENS.isoformat(),
                          "text": "会议同意区委工作报告。\n会议号召全区党员……"}, follow_redirects=True)
    assert "已登记决议" in r.get_data(as_text=True)
    res = session.scalar(select(Resolution).where(Resolution.session_id == w.session.id))
    doc = client.get(f"/assembly/resolutions/{res.id}/document.docx")
    assert doc.status_code == 200 and ".docx" in doc.headers["Content-Disposition"]
    text = [p.text for p in Document(io.BytesIO(doc.data)).paragraphs if p.text]
    assert text[0] == f"{w.session.title}关于区委工作报告的决议"
    assert text[1] == f"（{OPENS.year}年{OPENS.month}月{OPENS.day}日{w.session.title}通过）"
    assert text[2:] == ["会议同意区委工作报告。", "会议号召全区党员……"]


def test_a_refused_resolution_is_told_and_nothing_is_saved(client, auth, session, assembly_world):
    w = assembly_world
    _login(auth, w.office)
    r = client.post(f"/assembly/sessions/{w.session.id}/resolutions",
                    data={"title": "关于某事的决议", "adopted_on": OPENS.isoformat(), "text": "正文"},
                    follow_redirects=True)
    assert "会议开幕后才能登记决议" in r.get_data(as_text=True)
    assert session.scalar(select(Resolution).where(Resolution.session_id == w.session.id)) is None


def test_follow_ups_are_raised_moved_on_and_listed_overdue_first(client, auth, session, assembly_world):
    w = assembly_world
    _login(auth, w.office)
    r = client.post(f"/assembly/sessions/{w.session.id}/followups",
                    data={"source": "other", "problem": "办事大厅排队时间长", "owner": "区政务服务中心",
                          "due_on": (OPENS + timedelta(days=30)).isoformat()}, follow_redirects=True)
    assert "已登记整改事项" in r.get_data(as_text=True)
    f = session.scalar(select(FollowUp).where(FollowUp.session_id == w.session.id))
    r = client.post(f"/assembly/followups/{f.id}/progress", data={"status": "done", "progress": "", "back": "list"},
                    follow_redirects=True)
    assert "请填写整改措施与进展" in r.get_data(as_text=True)
    client.post(f"/assembly/followups/{f.id}/edit", data={"owner": "区行政审批局",
                                                          "due_on": (OPENS + timedelta(days=40)).isoformat()})
    session.refresh(f)
    assert f.owner == "区行政审批局"
    page = client.get("/assembly/followups").get_data(as_text=True)
    assert "办事大厅排队时间长" in page and "区行政审批局" in page
    assert "办事大厅排队时间长" not in client.get("/assembly/followups?status=done").get_data(as_text=True)


def test_another_district_and_the_delegate(client, auth, session, assembly_world):
    w = assembly_world
    _open(session, w)
    res = svc.add_resolution(session, w.office, w.session.id, "关于某事的决议", "正文", OPENS, NOW)
    f = svc.create_followup(session, w.office, w.session.id, "other", "问题甲", "单位甲", OPENS, NOW)
    _login(auth, w.other_office)
    assert client.get(f"/assembly/sessions/{w.session.id}/resolutions").status_code == 404
    assert client.get(f"/assembly/resolutions/{res.id}/document.docx").status_code == 404
    assert client.post(f"/assembly/followups/{f.id}/progress", data={"status": "in_progress"}).status_code == 404
    assert "问题甲" not in client.get("/assembly/followups").get_data(as_text=True)
    auth.logout()
    _login(auth, w.delegate_user)
    page = client.get(f"/assembly/sessions/{w.session.id}/resolutions").get_data(as_text=True)
    assert "关于某事的决议" in page and "问题甲" in page
    assert "登记决议" not in page and "登记进展" not in page
    assert client.get("/assembly/followups").status_code == 403


def test_the_next_sessions_agenda_lists_what_session_4_raised(client, auth, session, assembly_world):
    w = assembly_world
    fourth = _held_session(session, w, 4, DAY - timedelta(days=300))
    session.add(FollowUp(session_id=fourth.id, source="appraisal", problem="联系服务群众不够", owner="区委组织部",
                         due_on=DAY - timedelta(days=100)))
    session.commit()
    _login(auth, w.office)
    page = client.get(f"/assembly/sessions/{w.session.id}").get_data(as_text=True)
    assert "联系服务群众不够" in page and "区委组织部" in page
    doc = client.get(f"/assembly/sessions/{w.session.id}/agenda.docx")
    assert doc.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.data)).paragraphs)
    assert "联系服务群众不够" in text


def test_the_appraisal_results_form_raises_a_follow_up_for_its_object(client, auth, session, assembly_world):
    from election.assembly.models import Appraisal, AppraisalObject

    w = assembly_world
    a = Appraisal(session_id=w.session.id, kind="rating", title="民主测评", grades=["好", "较好", "一般", "差"])
    session.add(a)
    session.flush()
    obj = AppraisalObject(appraisal_id=a.id, seq=1, name="区委办公室")
    session.add(obj)
    session.commit()
    _login(auth, w.office)
    r = client.post(f"/assembly/sessions/{w.session.id}/followups",
                    data={"source": "appraisal", "appraisal_object_id": str(obj.id), "problem": "区委办公室：作风",
                          "owner": "区委办公室", "due_on": OPENS.isoformat()}, follow_redirects=True)
    assert "已登记整改事项" in r.get_data(as_text=True)
    f = session.scalar(select(FollowUp).where(FollowUp.session_id == w.session.id))
    assert (f.source, f.appraisal_object_id) == ("appraisal", obj.id)
