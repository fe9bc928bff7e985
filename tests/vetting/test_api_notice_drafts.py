"""公示 drafts over the API (election.vetting.api_notice_drafts): read, correct (PATCH) and delete a draft through
the pages' use cases — the effect and one audit entry; every other role 403; a bad body 422 naming the field; a
published 公示 refused with the service's Chinese message (422, nothing changed); a missing id 404."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.clock import today_local
from election.vetting import services as svc
from election.vetting.models import Notice
from tests.api.conformance import conforms
from tests.api.test_api import error_code
from tests.vetting import test_notice_drafts as drafts
from tests.vetting.test_services import NOW

REFUSED = ["unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"]
MISSING = 987654
world, draft = drafts.world, drafts.draft  # the fixtures


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def fields(response) -> set[str]:
    return {d.get("field") for d in response.get_json()["error"]["details"]}


@pytest.mark.parametrize("role", ["office", "admin"])
def test_get_and_patch_a_draft(client, session, token_for, world, draft, role):
    _, headers = token_for(role)
    url = f"/api/v1/notices/{draft.id}"
    shown = client.get(url, headers=headers)
    assert shown.status_code == 200, shown.get_json()
    pool = [p["id"] for p in shown.get_json()["pool"]]
    assert shown.get_json()["notice"]["status"] == "draft" and len(pool) >= 2
    assert [p["id"] for p in shown.get_json()["people"]] == pool
    keep = pool[1:]
    today = today_local()  # a date that lies back wants a 补登理由: the first day is corrected to today
    r = client.patch(url, headers=headers, json={"title": "更正后的公示标题", "posted_on": today.isoformat(),
                                                 "office_phone": "0000-7654321", "nominee_ids": keep})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    conforms(r, "update_notice")
    conforms(shown, "get_notice")
    assert body["notice"]["title"] == "更正后的公示标题"
    assert body["notice"]["period_end"] == svc.compute_period_end(session, today).isoformat()  # recomputed
    assert body["office_phone"] == "0000-7654321" and [p["id"] for p in body["people"]] == keep
    session.expire_all()
    notice = session.get(Notice, draft.id)
    assert (notice.title, notice.posted_on, notice.office_phone) == ("更正后的公示标题", today, "0000-7654321")
    assert notice.office_name == "区委组织部" and sorted(notice.people_ids) == sorted(keep)  # unsent fields kept
    assert audits(session, "notice.update") == 1
    # a first day that lies back wants its 补登理由 (as on the page): refused without, kept with it
    back = client.patch(url, headers=headers, json={"posted_on": "2026-03-03"})
    assert back.status_code == 422 and "补登理由" in back.get_json()["error"]["message"]
    assert audits(session, "notice.update") == 1
    late = client.patch(url, headers=headers, json={"posted_on": "2026-03-03", "backdate_reason": "3月3日已张贴，现补录"})
    assert late.status_code == 200 and late.get_json()["notice"]["backdate_reason"] == "3月3日已张贴，现补录"
    assert late.get_json()["notice"]["period_end"] == "2026-03-09"  # 来源: docs/rules.md §3.5, 5 working days
    assert audits(session, "notice.update") == 2
    # only the sent fields change: a later PATCH of the phone keeps the people (and the date with its reason)
    again = client.patch(url, headers=headers, json={"office_phone": "0000-1111111"})
    assert again.status_code == 200 and [p["id"] for p in again.get_json()["people"]] == keep
    assert again.get_json()["notice"]["backdate_reason"] == "3月3日已张贴，现补录"
    assert audits(session, "notice.update") == 3


def test_patch_refused_bad_and_missing(client, session, token_for, world, draft):
    url = f"/api/v1/notices/{draft.id}"
    for role in REFUSED:
        _, headers = token_for(role)
        for response in (client.get(url, headers=headers), client.patch(url, headers=headers, json={"title": "改"}),
                         client.delete(url, headers=headers)):
            assert response.status_code == 403 and error_code(response) == "forbidden", role
    _, office = token_for("office")
    bad = client.patch(url, headers=office, json={"title": "", "nominee_ids": [], "colour": "red"})
    assert bad.status_code == 422 and error_code(bad) == "validation_failed"
    assert fields(bad) == {"title", "nominee_ids", "colour"}
    bad_date = client.patch(url, headers=office, json={"posted_on": "2026-02-30"})
    assert bad_date.status_code == 422 and fields(bad_date) == {"posted_on"}
    stray = client.patch(url, headers=office, json={"nominee_ids": [MISSING]})
    assert stray.status_code == 422 and "不在本公示的名单范围内" in stray.get_json()["error"]["message"]
    for response in (client.get(f"/api/v1/notices/{MISSING}", headers=office),
                     client.patch(f"/api/v1/notices/{MISSING}", headers=office, json={"title": "改"}),
                     client.delete(f"/api/v1/notices/{MISSING}", headers=office)):
        assert response.status_code == 404 and error_code(response) == "not_found"
    session.expire_all()
    assert session.get(Notice, draft.id).title == draft.title
    assert audits(session, "notice.update") == 0 and audits(session, "notice.delete") == 0


def test_delete_a_draft(client, session, token_for, world, draft):
    _, office = token_for("office")
    r = client.delete(f"/api/v1/notices/{draft.id}", headers=office)
    assert r.status_code == 204 and r.get_data() == b""
    session.expire_all()
    assert session.get(Notice, draft.id) is None
    assert audits(session, "notice.delete") == 1
    assert client.delete(f"/api/v1/notices/{draft.id}", headers=office).status_code == 404


def test_a_published_notice_is_neither_changed_nor_deleted(client, session, token_for, world, draft):
    svc.publish_notice(session, world.office, draft.id, NOW)
    session.commit()
    _, office = token_for("office")
    url = f"/api/v1/notices/{draft.id}"
    changed = client.patch(url, headers=office, json={"title": "发布后改标题"})
    assert changed.status_code == 422 and "已经对外公布，不能再修改" in changed.get_json()["error"]["message"]
    deleted = client.delete(url, headers=office)
    assert deleted.status_code == 422 and "不能再删除" in deleted.get_json()["error"]["message"]
    session.expire_all()
    notice = session.get(Notice, draft.id)
    assert notice.status == "published" and notice.title == draft.title
    assert audits(session, "notice.update") == 0 and audits(session, "notice.delete") == 0
