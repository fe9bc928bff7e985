"""公文措辞 over the API (election.wording.api): the list and one document's text, saving the election's own text
(PUT) and restoring the default (DELETE) through the pages' use cases — the effect and one audit entry; every other
role 403; a wrong template 422 naming the field with each reason in Chinese, nothing stored; an unknown kind or a
missing election 404. Both databases."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.documents.wording import DEFAULTS, WordingKind
from election.wording.models import DocumentWording
from tests.api.conformance import conforms
from tests.api.test_api import error_code
from tests.wording import test_wording as wording
from tests.wording.test_wording import EDITED

REFUSED = ["unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"]
MISSING = 987654
SECOND = WordingKind.notice_second
election = wording.election  # the fixture


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def rows(session, election) -> list[DocumentWording]:
    session.expire_all()
    return list(session.scalars(select(DocumentWording).where(DocumentWording.election_id == election.id)))


@pytest.mark.parametrize("role", ["office", "admin"])
def test_read_save_and_reset(client, session, token_for, election, role):
    _, headers = token_for(role)
    base = f"/api/v1/elections/{election.id}/wording"
    listed = client.get(base, headers=headers)
    assert listed.status_code == 200, listed.get_json()
    assert [i["kind"] for i in listed.get_json()["items"]] == [k.value for k in WordingKind]
    assert not any(i["changed"] for i in listed.get_json()["items"])
    url = f"{base}/{SECOND.value}"
    shown = client.get(url, headers=headers).get_json()
    assert shown["body"] == DEFAULTS[SECOND] and shown["changed"] is False and shown["updated_at"] is None
    assert {"name": "{公示期}", "description": "起止日期和工作日数，如“2026年3月2日至3月6日（5个工作日）”"} in shown["placeholders"]

    saved = client.put(url, headers=headers, json={"body": EDITED})
    assert saved.status_code == 200, saved.get_json()
    conforms(saved, "save_wording")
    conforms(listed, "list_wording")
    assert saved.get_json()["body"] == EDITED and saved.get_json()["changed"] is True
    (row,) = rows(session, election)
    assert (row.kind, row.body) == (SECOND.value, EDITED)
    assert audits(session, "wording.save") == 1
    assert client.put(url, headers=headers, json={"body": EDITED}).status_code == 200  # unchanged: no entry
    assert audits(session, "wording.save") == 1

    reset = client.delete(url, headers=headers)
    assert reset.status_code == 200 and reset.get_json()["body"] == DEFAULTS[SECOND]
    assert reset.get_json()["changed"] is False
    conforms(reset, "reset_wording")
    assert rows(session, election) == [] and audits(session, "wording.reset") == 1
    again = client.delete(url, headers=headers)  # already the default: nothing to do, no entry
    assert again.status_code == 200 and audits(session, "wording.reset") == 1


def test_refused_bad_and_missing(client, session, token_for, election):
    url = f"/api/v1/elections/{election.id}/wording/{SECOND.value}"
    for role in REFUSED:
        _, headers = token_for(role)
        for response in (client.get(f"/api/v1/elections/{election.id}/wording", headers=headers),
                         client.get(url, headers=headers), client.put(url, headers=headers, json={"body": EDITED}),
                         client.delete(url, headers=headers)):
            assert response.status_code == 403 and error_code(response) == "forbidden", role
    _, office = token_for("office")
    wrong = client.put(url, headers=office, json={"body": "现将{选举名称}的{不存在}公示如下。"})
    assert wrong.status_code == 422 and error_code(wrong) == "validation_failed"
    details = wrong.get_json()["error"]["details"]
    assert {d["field"] for d in details} == {"body"}
    assert any("不认识的占位符：{不存在}" in d["message"] for d in details)
    assert any("{名单表}" in d["message"] for d in details)  # a 公示 needs its table line
    empty = client.put(url, headers=office, json={"body": "", "extra": 1})
    assert empty.status_code == 422 and {d["field"] for d in empty.get_json()["error"]["details"]} == {"body", "extra"}
    for response in (client.get(f"/api/v1/elections/{election.id}/wording/nominated", headers=office),
                     client.put(f"/api/v1/elections/{election.id}/wording/nominated", headers=office,
                                json={"body": EDITED}),
                     client.get(f"/api/v1/elections/{MISSING}/wording/{SECOND.value}", headers=office),
                     client.put(f"/api/v1/elections/{MISSING}/wording/{SECOND.value}", headers=office,
                                json={"body": EDITED}),
                     client.delete(f"/api/v1/elections/{MISSING}/wording/{SECOND.value}", headers=office),
                     client.get(f"/api/v1/elections/{MISSING}/wording", headers=office)):
        assert response.status_code == 404 and error_code(response) == "not_found"
    assert rows(session, election) == []
    assert audits(session, "wording.save") == 0 and audits(session, "wording.reset") == 0
