"""The session's pages, walked by the district's 选举办: create → agenda → 列席 → material → notice → open →
sign-in (refused below quorum, held above) → groups and minutes; the documents download with Chinese names; a
delegate sees his own session and signs himself in; another district's 选举办 gets 404 on every session URL."""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from election.assembly.models import AssemblySession, SessionGroup
from election.core.clock import today_local


def _login(auth, user):
    assert auth.login(user.username).status_code == 302


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


def test_clerk_walk(client, auth, session, assembly_world):
    w = assembly_world
    _login(auth, w.office)
    today = today_local()
    assert "新建会议" in _page(client, "/assembly/")
    r = client.post("/assembly/sessions/new", data={
        "congress": w.congress, "meeting_no": "6", "title": "", "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=1)).isoformat(), "place": "区委礼堂", "notice_days": "7",
        "quorum_preset": "township", "quorum_inclusive": ""})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    s = session.scalar(select(AssemblySession).where(AssemblySession.congress == w.congress,
                                                     AssemblySession.meeting_no == 6))
    base = f"/assembly/sessions/{s.id}"
    page = _page(client, base)
    assert "第6次会议" in page and "筹备中" in page and "五分之四以上（含）" in page
    client.post(f"{base}/agenda", data={"kind": "report", "title": "审议区委工作报告", "note": ""})
    client.post(f"{base}/agenda", data={"kind": "appraisal", "title": "", "note": ""})
    client.post(f"{base}/guests", data={"name": "周列席", "workplace": "区人大常委会副主任", "reason": "区领导"})
    pdf = (io.BytesIO(b"%PDF-1.4 test"), "工作报告.pdf")
    client.post(f"{base}/materials", data={"title": "区委工作报告", "file": pdf}, content_type="multipart/form-data")
    page = _page(client, base)
    assert "审议区委工作报告" in page and "民主评议/测评" in page and "周列席" in page and "区委工作报告" in page
    assert "尚未分发" in page
    client.post(f"{base}/notice")
    page = _page(client, base)
    assert "已通知" in page and "尚未分发" not in page
    docx = client.get(f"{base}/notice.docx")
    assert docx.status_code == 200 and "%E5%B9%B4%E4%BC%9A%E9%80%9A%E7%9F%A5" in docx.headers["Content-Disposition"]
    assert client.get(f"{base}/agenda.docx").status_code == 200
    r = client.post(f"{base}/open")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"{base}/attendance")
    ids = [d.id for d in w.delegates]
    client.post(f"{base}/attendance/sign-in", data={"delegate_ids": [str(i) for i in ids[:9]]})
    client.post(f"{base}/attendance/leave", data={"delegate_id": str(ids[11]), "reason": "出差"})
    page = _page(client, f"{base}/attendance")
    assert "应到<strong>12</strong>人，实到<strong>9</strong>人，请假<strong>1</strong>人，缺席<strong>2</strong>人" in page
    assert "还差1人" in page and "钱进" in page and "郑安" in page
    client.post(f"{base}/hold")
    page = _page(client, f"{base}/attendance")
    assert "应到12人，实到9人" in page and "不能召开" in page  # the refusal, flashed
    client.post(f"{base}/attendance/sign-in", data={"delegate_ids": [str(ids[9])]})
    client.post(f"{base}/hold")
    page = _page(client, f"{base}/attendance")
    assert "已于" in page and "确认召开" in page and "实到10人" in page
    client.post(f"{base}/groups/generate")
    groups = session.scalars(select(SessionGroup).where(SessionGroup.session_id == s.id)).all()
    assert sorted(g.name for g in groups) == ["第1代表小组", "第2代表小组", "第3代表小组"]
    client.post(f"{base}/groups/{groups[0].id}/minutes", data={"minutes": "代表们一致同意工作报告。"})
    page = _page(client, f"{base}/groups")
    assert "代表们一致同意工作报告。" in page and f"{w.office.display_name}于" in page
    assert "已召开" in _page(client, "/assembly/")


def test_delegate_sees_his_session_and_signs_himself_in(client, auth, session, assembly_world):
    w = assembly_world
    w.session.self_sign_in, w.session.status = True, "open"
    session.commit()
    _login(auth, w.delegate_user)
    base = f"/assembly/sessions/{w.session.id}"
    assert w.session.title in _page(client, "/assembly/")
    page = _page(client, base)
    assert "尚未签到" in page and "本人签到" in page and "开始签到" not in page
    assert client.get(f"{base}/attendance").status_code == 403
    client.post(f"{base}/sign-in")
    assert "已签到" in _page(client, base)


def test_delegate_without_self_sign_in_gets_no_button_and_a_refusal(client, auth, session, assembly_world):
    w = assembly_world
    w.session.status = "open"
    session.commit()
    _login(auth, w.delegate_user)
    base = f"/assembly/sessions/{w.session.id}"
    assert "本人签到" not in _page(client, base)
    client.post(f"{base}/sign-in")
    assert "统一签到" in _page(client, base)


def test_other_district_gets_404_on_every_session_url(client, auth, session, assembly_world):
    w = assembly_world
    _login(auth, w.other_office)
    base = f"/assembly/sessions/{w.session.id}"
    assert w.session.title not in _page(client, "/assembly/")
    for url in ("", "/edit", "/attendance", "/groups", "/notice.docx", "/agenda.docx"):
        assert client.get(base + url).status_code == 404, url
    for url in ("/agenda", "/notice", "/open", "/hold", "/attendance/sign-in", "/groups/generate"):
        assert client.post(base + url, data={"kind": "report", "delegate_ids": ["1"]}).status_code == 404, url


def test_edit_form_shows_and_saves_the_session(client, auth, session, assembly_world):
    w = assembly_world
    _login(auth, w.office)
    base = f"/assembly/sessions/{w.session.id}"
    page = _page(client, f"{base}/edit")
    assert w.session.opens_on.isoformat() in page and "区委党校礼堂" in page and "待定" in page
    r = client.post(f"{base}/edit", data={
        "congress": w.congress, "meeting_no": "5", "title": w.session.title, "opens_on": "2026-12-20",
        "closes_on": "2026-12-19", "place": "区会议中心", "notice_days": "10", "quorum_preset": "township",
        "quorum_inclusive": "0"})
    assert r.status_code == 200 and "闭幕日期2026年12月19日早于开幕日期2026年12月20日" in r.get_data(as_text=True)
    r = client.post(f"{base}/edit", data={
        "congress": w.congress, "meeting_no": "5", "title": w.session.title, "opens_on": "2026-12-20",
        "closes_on": "2026-12-21", "place": "区会议中心", "notice_days": "10", "quorum_preset": "township",
        "quorum_inclusive": "0", "self_sign_in": "y"})
    assert r.status_code == 302
    session.expire_all()
    s = session.get(AssemblySession, w.session.id)
    assert (s.place, s.notice_days, s.quorum_inclusive, s.self_sign_in) == ("区会议中心", 10, False, True)
