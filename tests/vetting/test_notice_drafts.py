"""公示 drafts: edited (title, first day, contact office, people) and deleted until published, one audit entry each;
a published 公示 refused with a Chinese reason; the buttons only for who may."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from election.audit.models import AuditEntry
from election.core.exceptions import PermissionDenied, ServiceError
from election.vetting import services as svc
from election.vetting.models import Notice
from tests.vetting.test_services import CONTACT, NOW, POSTED, build_world

OTHER = svc.ContactInput("区委组织部干部科", "0000-7654321", "某区行政中心5楼", "gbk@example.cn")


@pytest.fixture
def world(session, make_election, make_user):
    w = build_world(session, make_election, make_user)
    svc.select_shortlist(session, w.office, w.election.id, [n.id for n in w.people.values()], NOW)
    w.election.stage = "vet"
    session.commit()
    return w


@pytest.fixture
def draft(session, world) -> Notice:
    notices = svc.create_first_notices(session, world.office, world.election.id, POSTED, CONTACT, NOW)
    return next(n for n in notices if n.election_unit_id == world.people["王芳"].election_unit_id)


def _audits(session, action):
    return session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _input(session, notice, **kw) -> svc.NoticeDraftInput:
    people = kw.pop("people", None)
    if people is None:
        people = {p.id for p in svc.notice_pool(session, notice)}
    values = {"title": "更正后的公示标题", "posted_on": date(2026, 3, 3), "contact": OTHER} | kw
    return svc.NoticeDraftInput(values["title"], values["posted_on"], values["contact"], frozenset(people))


def test_update_draft_changes_title_period_contact_and_people_with_one_audit(session, world, draft):
    pool = svc.notice_pool(session, draft)
    keep = {p.id for p in pool[1:]}
    svc.update_notice_draft(session, world.office, draft.id, _input(session, draft, people=keep), NOW)
    session.expire_all()
    notice = session.get(Notice, draft.id)
    # 来源: docs/rules.md §3.5 — 2026-03-03 (Tue) + 5 working days, that day counted → 2026-03-09 (Mon)
    assert (notice.title, notice.posted_on, notice.period_end) == ("更正后的公示标题", date(2026, 3, 3), date(2026, 3, 9))
    assert (notice.office_name, notice.office_phone, notice.status) == (OTHER.name, OTHER.phone, "draft")
    assert {p.id for p in svc.notice_people(session, notice)} == keep
    (entry,) = _audits(session, "notice.update")
    assert entry.before["title"] != entry.after["title"] and entry.after["people"] == sorted(keep)
    # publishing fixes exactly the chosen people
    svc.publish_notice(session, world.office, draft.id, NOW)
    assert sorted(session.get(Notice, draft.id).people_ids) == sorted(keep)


def test_update_draft_with_everyone_follows_the_pool_and_unchanged_writes_no_audit(session, world, draft):
    data = _input(session, draft, title=draft.title, posted_on=draft.posted_on, contact=CONTACT)
    svc.update_notice_draft(session, world.office, draft.id, data, NOW)
    assert session.get(Notice, draft.id).people_ids is None and _audits(session, "notice.update") == []


@pytest.mark.parametrize("change, message", [
    ({"title": "  "}, "请填写公示标题"),
    ({"people": set()}, "公示名单不能为空"),
    ({"contact": svc.ContactInput("区委组织部", "", "某区", "意见箱")}, "受理电话"),
])
def test_update_draft_refuses_with_a_chinese_reason(session, world, draft, change, message):
    with pytest.raises(ServiceError, match=message):
        svc.update_notice_draft(session, world.office, draft.id, _input(session, draft, **change), NOW)


def test_update_draft_refuses_people_outside_its_unit(session, world, draft):
    stranger = next(p for p in world.people.values() if p.election_unit_id != draft.election_unit_id)
    with pytest.raises(ServiceError, match="不在本公示的名单范围内"):
        svc.update_notice_draft(session, world.office, draft.id, _input(session, draft, people={stranger.id}), NOW)


def test_published_notice_cannot_be_edited_or_deleted(session, world, draft):
    svc.publish_notice(session, world.office, draft.id, NOW)
    with pytest.raises(ServiceError, match="已发布.*不能再修改"):
        svc.update_notice_draft(session, world.office, draft.id, _input(session, draft), NOW)
    with pytest.raises(ServiceError, match="已发布.*不能再删除"):
        svc.delete_notice_draft(session, world.office, draft.id, NOW)
    assert session.get(Notice, draft.id) is not None


def test_delete_draft_with_one_audit_and_only_by_the_office(session, world, draft, make_user):
    with pytest.raises(PermissionDenied):
        svc.delete_notice_draft(session, make_user("inspector"), draft.id, NOW)
    assert svc.delete_notice_draft(session, world.office, draft.id, NOW) == draft.title
    session.expire_all()
    assert session.get(Notice, draft.id) is None
    (entry,) = _audits(session, "notice.delete")
    assert draft.title in entry.summary
    # the unit may get a new draft afterwards
    assert len(svc.create_first_notices(session, world.office, world.election.id, POSTED, CONTACT, NOW)) == 1


# ----------------------------------------------------------------------------------------------- pages
def test_office_edits_a_draft_on_its_page(client, login_as, session, world, draft):
    login_as("office")
    page = client.get(f"/vetting/notices/{draft.id}").get_data(as_text=True)
    assert 'data-testid="notice-edit"' in page and "删除草稿" in page and "data-confirm=\"确定发布" in page
    form = client.get(f"/vetting/notices/{draft.id}/edit")
    assert form.status_code == 200 and 'data-testid="notice-pool"' in form.get_data(as_text=True)
    ids = [str(p.id) for p in svc.notice_pool(session, draft)]
    r = client.post(f"/vetting/notices/{draft.id}/edit", data={
        "title": "第一街道考察对象公示（更正）", "posted_on": "2026-03-03", "office_name": OTHER.name,
        "office_phone": OTHER.phone, "office_address": OTHER.address, "office_mailbox": OTHER.mailbox,
        "nominee_id": ids[:1], "backdate_reason": "已于3月3日张贴，现补录"}, follow_redirects=True)
    assert "公示草稿已保存" in r.get_data(as_text=True)
    session.expire_all()
    notice = session.get(Notice, draft.id)
    assert notice.title == "第一街道考察对象公示（更正）" and notice.people_ids == [int(ids[0])]
    assert notice.backdate_reason == "已于3月3日张贴，现补录"  # 2026-03-03 lies months before today


def test_edit_form_errors_are_chinese_and_keep_the_draft(client, login_as, session, world, draft):
    login_as("office")
    r = client.post(f"/vetting/notices/{draft.id}/edit", data={"title": "", "posted_on": "2026-02-30"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "请填写公示标题" in html and "不是有效日期" in html
    assert session.get(Notice, draft.id).title == draft.title


def test_office_deletes_a_draft_but_not_a_published_notice(client, login_as, session, world, draft):
    login_as("office")
    r = client.post(f"/vetting/notices/{draft.id}/delete", follow_redirects=True)
    assert "已删除公示草稿" in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Notice, draft.id) is None
    other = svc.create_first_notices(session, world.office, world.election.id, POSTED, CONTACT, NOW)[0]
    svc.publish_notice(session, world.office, other.id, NOW)
    r = client.post(f"/vetting/notices/{other.id}/delete", follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "已发布" in page and "不能再修改或删除" in page and "删除草稿" not in page
    assert client.get(f"/vetting/notices/{other.id}/edit", follow_redirects=True).status_code == 200
    assert session.get(Notice, other.id) is not None


@pytest.mark.parametrize("role", ["auditor", "discipline"])
def test_readers_see_no_draft_buttons_and_cannot_post(client, login_as, session, world, draft, role):
    login_as(role)
    page = client.get(f"/vetting/notices/{draft.id}").get_data(as_text=True)
    assert "修改草稿" not in page and "删除草稿" not in page and "发布公示" not in page
    assert client.get(f"/vetting/notices/{draft.id}/edit").status_code == 403
    assert client.post(f"/vetting/notices/{draft.id}/delete").status_code == 403
    assert session.get(Notice, draft.id) is not None


def test_a_draft_published_days_after_its_date_needs_the_reason_then(session, world, draft):
    """Dated for the day it was drafted, published three working days later: the period would be mostly over, so
    publishing asks for the 补登理由 (kept in the audit) — given on the draft, it publishes."""
    later = datetime(2026, 3, 5, 2, 0)  # 2026-03-05 10:00 local; the draft is dated 2026-03-02 (three working days)
    with pytest.raises(ServiceError, match="补登理由"):
        svc.publish_notice(session, world.office, draft.id, later)
    data = svc.NoticeDraftInput(draft.title, draft.posted_on, CONTACT,
                                frozenset(p.id for p in svc.notice_pool(session, draft)), "3月2日已张贴，系统补录")
    svc.update_notice_draft(session, world.office, draft.id, data, later)
    svc.publish_notice(session, world.office, draft.id, later)
    notice = session.get(Notice, draft.id)
    assert notice.status == "published" and notice.backdate_reason == "3月2日已张贴，系统补录"
    (entry,) = _audits(session, "notice.publish")
    assert entry.after["backdate_reason"] == "3月2日已张贴，系统补录"
