"""Vetting pages: who sees and edits what, form errors without a 500, downloads, query budgets."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document

from election.vetting import services as svc
from election.vetting.models import Vetting
from tests.vetting.test_services import CONTACT, NAMES, NOW, POSTED, STROKE_ORDER, build_world


@pytest.fixture
def world(session, make_election, make_user):
    w = build_world(session, make_election, make_user)
    svc.select_shortlist(session, w.office, w.election.id, [n.id for n in w.people.values()], NOW)
    w.election.stage = "vet"
    session.commit()
    return w


def test_unit_user_sees_nothing(client, login_as, world):
    login_as("unit", unit_id=world.units[0].unit_id)
    nid = world.people["王芳"].id
    for url in (f"/vetting/{world.election.id}", f"/vetting/people/{nid}", f"/vetting/{world.election.id}/notices",
                f"/vetting/{world.election.id}/shortlist", f"/vetting/{world.election.id}/print/shortlisted",
                f"/vetting/{world.election.id}/docs/roster-shortlisted.docx"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/vetting/people/{nid}/record", data={"file_audit": "passed"}).status_code == 403


def test_inspector_sees_and_edits_only_assigned_people(client, login_as, session, world):
    inspector = login_as("inspector")
    svc.assign_inspector(session, world.office, world.people["王芳"].id, inspector.id, NOW)
    page = client.get(f"/vetting/{world.election.id}").get_data(as_text=True)
    assert "王芳" in page and "李娜" not in page
    assert client.get(f"/vetting/people/{world.people['李娜'].id}").status_code == 403
    assert client.get(f"/vetting/people/{world.people['王芳'].id}").status_code == 200
    r = client.post(f"/vetting/people/{world.people['李娜'].id}/record", data={"file_audit": "passed"})
    assert r.status_code == 403
    r = client.post(f"/vetting/people/{world.people['王芳'].id}/record",
                    data={"file_audit": "passed", "appraisal_count": "25", "interview_count": "8"})
    assert r.status_code == 302
    assert world.people["王芳"].id in {v.nominee_id for v in session.query(Vetting).all()}
    assert client.get(f"/vetting/{world.election.id}/notices").status_code == 403


def test_discipline_records_opinion_and_office_cannot(client, login_as, session, world, auth, make_user):
    login_as("office")
    nid = world.people["丁一"].id
    assert client.post(f"/vetting/people/{nid}/discipline", data={"opinion": "无"}).status_code == 403
    auth.logout()
    login_as("discipline")
    r = client.post(f"/vetting/people/{nid}/discipline", data={"opinion": "未发现违纪违法问题"})
    assert r.status_code == 302
    page = client.get(f"/vetting/people/{nid}").get_data(as_text=True)
    assert "未发现违纪违法问题" in page


def test_bad_input_shows_errors_next_to_fields_not_500(client, login_as, world):
    login_as("office")
    nid = world.people["丁一"].id
    r = client.post(f"/vetting/people/{nid}/record", data={"appraisal_count": "-3", "file_audit": "passed"})
    assert r.status_code == 400 and "请填写0或正整数" in r.get_data(as_text=True)
    r = client.post(f"/vetting/{world.election.id}/notices", data={"posted_on": "2026-13-40", "office_name": ""})
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    errors = re.findall(r'data-testid="field-error">([^<]*)', body)
    assert "请填写受理单位" in errors and "“2026-13-40”不是有效日期，请写作 2026-03-02" in errors
    r = client.post(f"/vetting/people/{nid}/conclude", data={"conclusion": "unfit", "reason": ""}, follow_redirects=True)
    assert r.status_code == 200 and "须写明理由" in r.get_data(as_text=True)


def test_office_creates_publishes_notices_and_downloads_docx(client, login_as, world):
    login_as("office")
    form = {"posted_on": POSTED.isoformat(), "office_name": CONTACT.name, "office_phone": CONTACT.phone,
            "office_address": CONTACT.address, "office_mailbox": CONTACT.mailbox}
    # POSTED lies months before today: entered now, the 发布日期 needs its 补登理由 (docs/rules.md §3.5)
    r = client.post(f"/vetting/{world.election.id}/notices", data=form, follow_redirects=True)
    assert "请填写补登理由" in r.get_data(as_text=True) and "公示草稿已生成" not in r.get_data(as_text=True)
    r = client.post(f"/vetting/{world.election.id}/notices", data={**form, "backdate_reason": "已于当日张贴，现补录"},
                    follow_redirects=True)
    body = r.get_data(as_text=True)
    assert "公示草稿已生成" in body and "2026年3月6日" in body
    notice = svc.notices_overview(client.application.extensions["election_db"].session(), world.election.id)[0].notice
    assert "已于当日张贴，现补录" in client.get(f"/vetting/notices/{notice.id}").get_data(as_text=True)
    r = client.post(f"/vetting/notices/{notice.id}/publish", follow_redirects=True)
    assert "公示已发布" in r.get_data(as_text=True)
    r = client.get(f"/vetting/notices/{notice.id}.docx")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    names = [row.cells[0].text for row in Document(io.BytesIO(r.data)).tables[0].rows[1:]]
    assert names == [n for n in STROKE_ORDER if world.people[n].election_unit_id == notice.election_unit_id]
    printed = client.get(f"/vetting/notices/{notice.id}/print").get_data(as_text=True)
    assert all(world.people[n].id_number not in printed for n in NAMES)


def test_print_notices_lists_every_notice_with_complaint_counts(client, auth, login_as, session, world):
    notices = svc.create_first_notices(session, world.office, world.election.id, POSTED, CONTACT, NOW)
    session.commit()
    login_as("office")
    page = client.get(f"/vetting/{world.election.id}/notices").get_data(as_text=True)
    assert f'href="/vetting/{world.election.id}/notices/print"' in page and ">打印</a>" in page
    printed = client.get(f"/vetting/{world.election.id}/notices/print").get_data(as_text=True)
    assert 'data-testid="print-view"' in printed and 'data-testid="print-notices"' in printed
    assert "公示一览" in printed and "<thead>" in printed and "打印本页" in printed
    assert all(n.title in printed for n in notices)
    assert f"共{len(notices)}份公示" in printed and "2026年3月6日" in printed
    assert all(world.people[n].id_number not in printed for n in NAMES)
    assert client.get("/vetting/999999/notices/print").status_code == 404
    for role, status in (("auditor", 200), ("discipline", 200), ("inspector", 403)):
        auth.logout()
        login_as(role)
        assert client.get(f"/vetting/{world.election.id}/notices/print").status_code == status, role


def test_roster_downloads_and_print_list_in_stroke_order(client, login_as, world):
    login_as("auditor")
    page = client.get(f"/vetting/{world.election.id}/print/shortlisted").get_data(as_text=True)
    positions = [page.index(f"<td>{n}</td>") for n in STROKE_ORDER]
    assert positions == sorted(positions)
    assert all(world.people[n].id_number not in page for n in NAMES)
    for kind in ("nominated", "shortlisted", "preliminary"):
        assert client.get(f"/vetting/{world.election.id}/docs/roster-{kind}.docx").status_code == 200
    assert client.get(f"/vetting/{world.election.id}/docs/roster-bogus.docx").status_code == 404
    assert client.get(f"/vetting/{world.election.id}/print/bogus").status_code == 404
    r = client.get(f"/vetting/{world.election.id}/docs/forms-preliminary.docx", follow_redirects=True)
    assert "还没有初步人选" in r.get_data(as_text=True)


def test_shortlist_page_preview_does_not_save(client, login_as, session, world):
    login_as("office")
    world.election.stage = "shortlist"
    session.commit()
    ids = [str(world.people[n].id) for n in ("丁一", "王芳")]
    r = client.post(f"/vetting/{world.election.id}/shortlist", data={"nominee_id": ids, "action": "preview"})
    assert "当前勾选：<span data-testid=\"selected-count\">2</span>名" in r.get_data(as_text=True)
    assert world.people["李娜"].step == "shortlisted"
    r = client.post(f"/vetting/{world.election.id}/shortlist", data={"nominee_id": ids, "action": "save"},
                    follow_redirects=True)
    assert "已保存考察对象2名" in r.get_data(as_text=True)
    session.expire_all()
    assert world.people["李娜"].step == "nominated"


def test_live_counters_come_with_the_panel(client, login_as, session, world):
    """The selection page's 当前勾选 follows the ticks: the live request returns the counters as their own part."""
    login_as("office")
    world.election.stage = "shortlist"
    session.commit()
    ids = f"{world.people['丁一'].id}.{world.people['王芳'].id}"
    html = client.post(f"/elections/{world.election.id}/quota-panel",
                       data={"ids": ids, "step": "shortlisted", "with_counters": "1"}).get_data(as_text=True)
    assert 'data-part="counters"' in html and 'data-testid="selected-count">2<' in html
    assert 'data-part="panel"' in html and "&lt;" not in html  # the panel's own HTML, not escaped text


def _more_people(session, make_election, make_user, n):
    names = [f"{s}{g}" for s in "丁于马王李张" for g in "一二三四五六七八九十"][:n]
    w = build_world(session, make_election, make_user, names=names)
    svc.select_shortlist(session, w.office, w.election.id, [p.id for p in w.people.values()], NOW)
    w.election.stage = "vet"
    session.commit()
    return w


@pytest.mark.parametrize("path", ["/vetting/{id}", "/vetting/{id}/print/shortlisted", "/vetting/{id}/notices",
                                  "/vetting/{id}/notices/print"])
def test_list_page_query_budget_does_not_grow(client, login_as, session, make_election, make_user, count_queries,
                                              path):
    small = _more_people(session, make_election, make_user, 3)
    big = _more_people(session, make_election, make_user, 30)
    for w in (small, big):
        svc.create_first_notices(session, w.office, w.election.id, date(2026, 3, 2), CONTACT, NOW)
    login_as("office")
    with count_queries() as a:
        assert client.get(path.format(id=small.election.id)).status_code == 200
    with count_queries() as b:
        assert client.get(path.format(id=big.election.id)).status_code == 200
    assert a.count == b.count
    assert b.count <= 12, b.count


def test_assigned_inspector_checks_complaint_others_cannot(client, login_as, session, world, make_user, auth):
    notices = svc.create_first_notices(session, world.office, world.election.id, POSTED, CONTACT, NOW)
    notice = next(n for n in notices if n.election_unit_id == world.people["王芳"].election_unit_id)
    svc.publish_notice(session, world.office, notice.id, NOW)
    c = svc.register_complaint(session, world.office, notice.id,
                               svc.ComplaintInput(world.people["王芳"].id, "visit", POSTED, "反映其作风问题"), NOW)
    other = make_user("inspector")
    auth.login(other.username)
    assert client.get(f"/vetting/complaints/{c.id}").status_code == 403
    assert client.post(f"/vetting/complaints/{c.id}/check", data={"findings": "x"}).status_code == 403
    auth.logout()
    inspector = login_as("inspector")
    svc.assign_complaint(session, world.office, c.id, inspector.id, NOW)
    assert "反映其作风问题" in client.get(f"/vetting/complaints/{c.id}").get_data(as_text=True)
    r = client.post(f"/vetting/complaints/{c.id}/check", data={"findings": "经核查不属实"}, follow_redirects=True)
    assert "核查情况已登记" in r.get_data(as_text=True)
    assert client.post(f"/vetting/complaints/{c.id}/conclude",
                       data={"conclusion": "false", "effect": "无影响"}).status_code == 403
