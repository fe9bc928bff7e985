"""The JSON API: bearer tokens only, JSON errors, scope, and every endpoint's success, validation
errors and refused roles."""
from __future__ import annotations

import base64
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from election.api import credentials as api_tokens
from election.api.models import ApiToken
from election.audit.models import AuditEntry
from election.core.clock import utcnow
from tests.conftest import TEST_PASSWORD
from workflow.common.idcard import make_id

DATA = Path(__file__).resolve().parents[1] / "data"
ALL_ROLES = ("admin", "office", "unit", "inspector", "discipline", "teller", "delegate", "studio", "auditor")
READERS = ("admin", "office", "inspector", "discipline", "teller", "auditor")


def unit_token(token_for, election, index: int = 0):
    eu = election.units[index]
    return eu, token_for("unit", unit_id=eu.unit_id)[1]


def error_code(response) -> str:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    assert not body["error"]["message"].isascii()  # Chinese, saying what to fix
    return body["error"]["code"]


# ---------------------------------------------------------------------------------------------- authentication
def test_auth_missing_token_is_401_json_with_challenge(client):
    response = client.get("/api/v1/elections")
    assert response.status_code == 401 and error_code(response) == "token_missing"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer nope", "Bearer dxt_unknown-token"])
def test_auth_malformed_or_unknown_token_is_401(client, header):
    response = client.get("/api/v1/elections", headers={"Authorization": header})
    assert response.status_code == 401 and error_code(response) == "token_invalid"


def test_auth_session_cookie_does_not_authenticate_the_api(client, login_as):
    login_as("admin")
    assert client.get("/elections/").status_code == 200  # the cookie works for pages …
    response = client.get("/api/v1/elections")  # … and never for the API
    assert response.status_code == 401 and error_code(response) == "token_missing"


def test_auth_expired_token_refused_exactly_at_expiry(client, session, token_for):
    user, headers = token_for("office")
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    token.expires_at = utcnow() + timedelta(minutes=5)
    session.flush()
    assert client.get("/api/v1/elections", headers=headers).status_code == 200
    token.expires_at = token.created_at + timedelta(microseconds=1000)
    session.flush()
    response = client.get("/api/v1/elections", headers=headers)
    assert response.status_code == 401 and error_code(response) == "token_expired"


def test_auth_revoked_token_refused(client, session, token_for):
    user, headers = token_for("office")
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    api_tokens.revoke_token(session, user, token.id, utcnow())
    response = client.get("/api/v1/elections", headers=headers)
    assert response.status_code == 401 and error_code(response) == "token_revoked"


def test_auth_role_change_or_deactivation_invalidates_token(client, session, token_for):
    user, headers = token_for("office")
    user.role = "admin"  # a token never gains rights acquired later
    session.flush()
    assert error_code(client.get("/api/v1/audit", headers=headers)) == "token_invalid"
    user.role, user.active = "office", False
    session.flush()
    assert client.get("/api/v1/elections", headers=headers).status_code == 401


def test_auth_use_recorded_on_token(client, session, token_for):
    user, headers = token_for("office")
    client.get("/api/v1/elections", headers=headers)
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    session.refresh(token)
    assert token.last_used_at is not None


def test_csrf_does_not_apply_to_api_but_does_to_token_pages(app, client, token_for, login_as, make_election):
    login_as("office")  # (the login form itself needs CSRF off in this fixture)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        election = make_election(stage="nominate")
        _, headers = token_for("office")
        response = client.post(f"/api/v1/elections/{election.id}/return", headers=headers,
                               json={"target": "deploy", "reason": "重新部署"})
        assert response.status_code == 200, response.get_json()
        assert client.post("/account/tokens", data={"name": "x", "days": 5}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# ---------------------------------------------------------------------------------------------- errors
def test_errors_unknown_path_404_and_wrong_method_405_as_json(client, token_for):
    _, headers = token_for("office")
    response = client.get("/api/v1/no-such-thing", headers=headers)
    assert response.status_code == 404 and error_code(response) == "not_found"
    response = client.delete("/api/v1/elections", headers=headers)
    assert response.status_code == 405 and error_code(response) == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("data", [b"{not json", b"", "\ufffe".encode("utf-16")])
def test_errors_bad_json_is_400(client, token_for, make_election, data):
    election = make_election()
    _, headers = token_for("office")
    response = client.post(f"/api/v1/elections/{election.id}/return", headers=headers, data=data,
                           content_type="application/json")
    assert response.status_code == 400 and error_code(response) == "bad_json"


def test_errors_schema_violations_listed_field_by_field(client, token_for, make_election):
    election = make_election()
    _, headers = token_for("office")
    response = client.post(f"/api/v1/elections/{election.id}/return", headers=headers,
                           json={"target": "moon", "reason": 5, "extra": 1})
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    fields = {d["field"] for d in response.get_json()["error"]["details"]}
    assert fields == {"target", "reason", "extra"}


# ---------------------------------------------------------------------------------------------- elections
def test_elections_list_paginated_and_filtered(client, token_for, make_election):
    a, b, c = make_election(stage="plan"), make_election(stage="nominate"), make_election(stage="nominate")
    _, headers = token_for("office")
    body = client.get("/api/v1/elections?per_page=1&page=2&stage=nominate", headers=headers).get_json()
    assert body["total"] >= 2 and body["per_page"] == 1 and body["page"] == 2 and len(body["items"]) == 1
    all_ids = {e["id"] for e in client.get("/api/v1/elections?per_page=100&stage=nominate", headers=headers)
               .get_json()["items"]}
    assert {b.id, c.id} <= all_ids and a.id not in all_ids
    title = client.get(f"/api/v1/elections?q={a.title}", headers=headers).get_json()["items"]
    assert [e["id"] for e in title] == [a.id]


@pytest.mark.parametrize("query", ["per_page=101", "per_page=0", "page=0", "page=abc", "stage=moon"])
def test_elections_list_bad_query_is_422(client, token_for, query):
    _, headers = token_for("office")
    response = client.get(f"/api/v1/elections?{query}", headers=headers)
    assert response.status_code == 422 and error_code(response) == "validation_failed"


def test_elections_list_exactly_100_per_page_allowed(client, token_for):
    _, headers = token_for("office")
    assert client.get("/api/v1/elections?per_page=100", headers=headers).status_code == 200


def test_elections_unit_token_sees_only_its_elections(client, token_for, make_election):
    mine, other = make_election(), make_election()
    _, headers = unit_token(token_for, mine)
    ids = {e["id"] for e in client.get("/api/v1/elections?per_page=100", headers=headers).get_json()["items"]}
    assert mine.id in ids and other.id not in ids
    assert client.get(f"/api/v1/elections/{mine.id}", headers=headers).status_code == 200
    response = client.get(f"/api/v1/elections/{other.id}", headers=headers)
    assert response.status_code == 404 and error_code(response) == "not_found"


@pytest.mark.parametrize("role", ["delegate", "studio"])
def test_elections_refused_to_roles_without_election_access(client, token_for, make_election, role):
    election = make_election()
    _, headers = token_for(role)
    for path in ("/api/v1/elections", f"/api/v1/elections/{election.id}", "/api/v1/units"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403 and error_code(response) == "forbidden"


def test_election_detail_and_missing_is_404(client, token_for, make_election):
    election = make_election(units=3)
    _, headers = token_for("inspector")
    body = client.get(f"/api/v1/elections/{election.id}", headers=headers).get_json()
    assert body["election"]["title"] == election.title and body["units_total"] == 3
    assert body["election"]["stage_label"] == "推荐提名"
    assert client.get("/api/v1/elections/999999", headers=headers).status_code == 404


def test_transitions_list_blockers_like_the_page(client, token_for, make_election):
    election = make_election(stage="plan", units=0)
    _, headers = token_for("auditor")
    body = client.get(f"/api/v1/elections/{election.id}/transitions", headers=headers).get_json()
    codes = {b["code"] for b in body["advance"]["blockers"]}
    assert "plan.no_unit_allocation" in codes and "plan.due_date_missing" in codes
    assert body["advance"]["allowed"] is False and body["can_move"] is False
    assert [m["kind"] for m in body["moves"]] == ["abort"]  # no advance while blocked, nothing earlier than plan


def test_transitions_refused_to_unit(client, token_for, make_election):
    election = make_election()
    _, headers = unit_token(token_for, election)
    assert client.get(f"/api/v1/elections/{election.id}/transitions", headers=headers).status_code == 403


def test_advance_blocked_is_422_with_every_blocker_and_nothing_written(client, session, token_for, make_election):
    election = make_election(stage="plan", units=0)
    _, headers = token_for("office")
    response = client.post(f"/api/v1/elections/{election.id}/advance", headers=headers, json={})
    assert response.status_code == 422 and error_code(response) == "transition_blocked"
    assert len(response.get_json()["error"]["details"]) >= 2
    session.refresh(election)
    assert election.stage == "plan"


def test_advance_succeeds_and_is_audited(client, session, token_for, make_election, make_user):
    election = make_election(stage="deploy", units=1)
    make_user("unit", unit_id=election.units[0].unit_id)
    _, headers = token_for("office")
    response = client.post(f"/api/v1/elections/{election.id}/advance", headers=headers,
                           json={"expected_version": election.version})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["to_stage"] == "nominate"
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "election.advance",
                                                   AuditEntry.object_id == str(election.id))) is not None


def test_advance_stale_version_is_409(client, token_for, make_election):
    election = make_election(stage="deploy", units=1)
    _, headers = token_for("office")
    response = client.post(f"/api/v1/elections/{election.id}/advance", headers=headers,
                           json={"expected_version": election.version + 1})
    assert response.status_code == 409 and error_code(response) == "conflict"


@pytest.mark.parametrize("role", ["unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"])
def test_advance_and_return_refused_to_non_staff(client, token_for, make_election, role):
    election = make_election()
    _, headers = token_for(role)
    for action, body in (("advance", {}), ("return", {"target": "plan", "reason": "x"})):
        response = client.post(f"/api/v1/elections/{election.id}/{action}", headers=headers, json=body)
        assert response.status_code == 403 and error_code(response) == "forbidden"


def test_return_needs_a_reason_and_an_earlier_stage(client, session, token_for, make_election):
    election = make_election(stage="nominate")
    _, headers = token_for("admin")
    url = f"/api/v1/elections/{election.id}/return"
    blank = client.post(url, headers=headers, json={"target": "deploy", "reason": "  "})
    assert blank.status_code == 422 and blank.get_json()["error"]["details"][0]["code"] == "return.reason_required"
    later = client.post(url, headers=headers, json={"target": "vet", "reason": "错了"})
    assert later.status_code == 422 and later.get_json()["error"]["details"][0]["code"] == "return.not_earlier"
    missing = client.post(url, headers=headers, json={"target": "deploy"})
    assert missing.status_code == 422 and missing.get_json()["error"]["details"][0]["field"] == "reason"
    ok = client.post(url, headers=headers, json={"target": "deploy", "reason": "单位账号未建齐"})
    assert ok.status_code == 200 and ok.get_json()["election"]["stage"] == "deploy"
    history = client.get(f"/api/v1/elections/{election.id}/history", headers=headers).get_json()
    assert history["items"][0]["reason"] == "单位账号未建齐"


def test_return_on_missing_election_is_404(client, token_for):
    _, headers = token_for("office")
    response = client.post("/api/v1/elections/999999/return", headers=headers, json={"target": "plan", "reason": "x"})
    assert response.status_code == 404


def test_history_refused_to_unit(client, token_for, make_election):
    election = make_election()
    _, headers = unit_token(token_for, election)
    assert client.get(f"/api/v1/elections/{election.id}/history", headers=headers).status_code == 403


def test_elections_list_query_budget_does_not_grow(client, token_for, make_election, count_queries):
    _, headers = token_for("office")
    make_election()
    client.get("/api/v1/elections", headers=headers)  # the token's first use is recorded once
    with count_queries() as few:
        client.get("/api/v1/elections", headers=headers)
    for _ in range(5):
        make_election()
    with count_queries() as many:
        client.get("/api/v1/elections", headers=headers)
    assert many.count == few.count <= 6


# ---------------------------------------------------------------------------------------------- units and allocations
def test_units_unit_token_reaches_only_its_own_unit(client, token_for, make_election):
    election = make_election(units=2)
    eu, headers = unit_token(token_for, election, 0)
    other = election.units[1]
    rows = client.get(f"/api/v1/elections/{election.id}/units", headers=headers).get_json()["items"]
    assert [r["election_unit_id"] for r in rows] == [eu.id]
    assert client.get(f"/api/v1/election-units/{eu.id}", headers=headers).status_code == 200
    for path in (f"/api/v1/election-units/{other.id}", f"/api/v1/election-units/{other.id}/nominees"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and error_code(response) == "not_found"
    catalogue = client.get("/api/v1/units", headers=headers).get_json()["items"]
    assert [u["id"] for u in catalogue] == [eu.unit_id]


def test_units_office_sees_all_with_allocation_and_status_filter(client, session, token_for, make_election):
    election = make_election(units=3)
    election.units[0].status, election.units[0].exemption_reason = "exempted", "无党员"
    session.flush()
    _, headers = token_for("office")
    rows = client.get(f"/api/v1/elections/{election.id}/units", headers=headers).get_json()["items"]
    assert len(rows) == 3 and rows[0]["quota"] == 11 and rows[0]["report_count"] == 17
    drafts = client.get(f"/api/v1/elections/{election.id}/units?status=draft", headers=headers).get_json()
    assert drafts["total"] == 2
    detail = client.get(f"/api/v1/election-units/{election.units[1].id}", headers=headers).get_json()
    assert detail["can_submit"] is False and detail["submit_blockers"]


def test_allocations_set_by_office_replaces_units(client, session, token_for, make_election, make_unit):
    election = make_election(stage="plan", units=2)
    new = make_unit()
    _, headers = token_for("office")
    body = {"units": [{"unit_id": election.units[0].unit_id, "quota": 5, "report_count": 8},
                      {"unit_id": new.id, "quota": 3, "report_count": 5, "breakdown": {"工人": 2, "农民": 3}}]}
    response = client.put(f"/api/v1/elections/{election.id}/allocations", headers=headers, json=body)
    assert response.status_code == 200, response.get_json()
    assert sorted(r["unit"]["id"] for r in response.get_json()["items"]) == sorted([election.units[0].unit_id, new.id])
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "election.allocations")) is not None


def test_allocations_validation_errors(client, token_for, make_election):
    election = make_election(stage="plan", units=1)
    _, headers = token_for("office")
    url = f"/api/v1/elections/{election.id}/allocations"
    uid = election.units[0].unit_id
    twice = client.put(url, headers=headers, json={"units": [{"unit_id": uid, "quota": 1, "report_count": 2}] * 2})
    assert twice.status_code == 422 and twice.get_json()["error"]["details"][0]["field"] == "units[1].unit_id"
    negative = client.put(url, headers=headers, json={"units": [{"unit_id": uid, "quota": -1, "report_count": 2}]})
    assert negative.status_code == 422
    sums = client.put(url, headers=headers, json={"units": [{"unit_id": uid, "quota": 1, "report_count": 2,
                                                             "breakdown": {"工人": 1}}]})
    assert sums.status_code == 422 and error_code(sums) == "rule_violation"
    unknown = client.put(url, headers=headers, json={"units": [{"unit_id": 999999, "quota": 1, "report_count": 2}]})
    assert unknown.status_code == 422


def test_allocations_locked_after_nomination_started(client, token_for, make_election):
    election = make_election(stage="nominate", units=1)
    _, headers = token_for("admin")
    response = client.put(f"/api/v1/elections/{election.id}/allocations", headers=headers,
                          json={"units": [{"unit_id": election.units[0].unit_id, "quota": 1, "report_count": 2}]})
    assert response.status_code == 422 and "推荐提名开始后" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("role", ["unit", "inspector", "discipline", "teller", "auditor", "delegate"])
def test_allocations_refused_to_non_staff(client, token_for, make_election, role):
    election = make_election(stage="plan", units=1)
    _, headers = token_for(role)
    response = client.put(f"/api/v1/elections/{election.id}/allocations", headers=headers, json={"units": []})
    assert response.status_code == 403


# ---------------------------------------------------------------------------------------------- nominees
def person(n: int, **kw) -> dict:
    male = n % 2 == 0
    birth = date(1975, 3, 1) + timedelta(days=40 * n)
    values = {"name": f"测试{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{'子丑寅卯辰巳午未申酉'[n // 10 % 10]}",
              "gender": "男" if male else "女", "ethnicity": "汉族",
              "id_number": make_id("110105", birth, n, male), "birth_month": f"{birth:%Y-%m}",
              "native_place": "山东济南", "education": "大学本科", "party_join_date": "1998-07",
              "work_start_date": "1997-08", "workplace_title": "某街道党工委干部", "category": "专业技术人员"}
    values.update(kw)
    return values


def test_nominees_upload_json_stores_list_and_reads_back_masked(client, session, token_for, make_election):
    election = make_election()
    eu, headers = unit_token(token_for, election)
    response = client.put(f"/api/v1/election-units/{eu.id}/nominees", headers=headers,
                          json={"nominees": [person(i) for i in range(3)]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["stored"] == 3
    items = client.get(f"/api/v1/election-units/{eu.id}/nominees", headers=headers).get_json()["items"]
    assert [i["name"] for i in items] == [person(i)["name"] for i in range(3)]
    assert "*" in items[0]["id_number"]  # masked for everyone but the 管理员
    _, admin = token_for("admin")
    full = client.get(f"/api/v1/elections/{election.id}/nominees?q={person(0)['name']}", headers=admin).get_json()
    assert full["items"][0]["id_number"] == person(0)["id_number"]
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "nominations.import")) is not None


def test_nominees_upload_json_row_errors_by_item_and_nothing_saved(client, token_for, make_election):
    election = make_election()
    eu, headers = unit_token(token_for, election)
    rows = [person(0), person(1, id_number="110105197503010000"), person(0, name="重复人")]
    response = client.put(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json={"nominees": rows})
    assert response.status_code == 422 and error_code(response) == "row_errors"
    details = response.get_json()["error"]["details"]
    assert {d["row"] for d in details} == {2, 3}
    assert all(d["column"] and d["message"] for d in details)
    assert any("第1条" in d["message"] for d in details if d["row"] == 3)  # the duplicate names item 1
    assert client.get(f"/api/v1/election-units/{eu.id}/nominees", headers=headers).get_json()["total"] == 0


def test_nominees_upload_json_formula_text_and_control_characters(client, token_for, make_election):
    election = make_election()
    eu, headers = unit_token(token_for, election)
    url = f"/api/v1/election-units/{eu.id}/nominees"
    formula = client.put(url, headers=headers, json={"nominees": [person(0, remark="=1+1")]})
    assert formula.status_code == 200, formula.get_json()
    control = client.put(url, headers=headers, json={"nominees": [person(0, remark="a\x01b")]})
    assert control.status_code == 422 and control.get_json()["error"]["details"][0]["field"] == "nominees[0].remark"
    typed = client.put(url, headers=headers, json={"nominees": [{"name": 5}]})
    assert typed.status_code == 422 and error_code(typed) == "validation_failed"


def test_nominees_cross_unit_duplicate_reported_without_naming_the_unit(client, token_for, make_election):
    election = make_election(units=2)
    eu_a, headers_a = unit_token(token_for, election, 0)
    eu_b, headers_b = unit_token(token_for, election, 1)
    assert client.put(f"/api/v1/election-units/{eu_a.id}/nominees", headers=headers_a,
                      json={"nominees": [person(0)]}).status_code == 200
    response = client.put(f"/api/v1/election-units/{eu_b.id}/nominees", headers=headers_b,
                          json={"nominees": [person(0)]})
    assert response.status_code == 422
    detail = response.get_json()["error"]["details"][0]
    assert detail["row"] == 1 and "其他推荐单位" in detail["message"] and eu_a.unit.name not in detail["message"]


def test_nominees_upload_xlsx_file_same_checks(client, token_for, make_election):
    election = make_election()
    eu, headers = unit_token(token_for, election)
    url = f"/api/v1/election-units/{eu.id}/nominees/file"
    bad = client.post(url, headers=headers, data={"file": (io.BytesIO((DATA / "bad_ids.xlsx").read_bytes()), "bad_ids.xlsx")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and error_code(bad) == "row_errors"
    assert all(d["row"] > 1 for d in bad.get_json()["error"]["details"])  # sheet rows, as on the page
    refused = client.post(url, headers=headers, data=(DATA / "plain.csv").read_bytes(),
                          content_type="application/octet-stream")
    assert refused.status_code == 422 and error_code(refused) == "file_refused"
    empty = client.post(url, headers=headers, data={}, content_type="multipart/form-data")
    assert empty.status_code == 422
    good = client.post(url, headers=headers, data=(DATA / "good.xlsx").read_bytes(),
                       content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert good.status_code in (200, 422)  # good.xlsx names its own unit; either stored or the unit-name row error
    if good.status_code == 422:
        assert good.get_json()["error"]["details"][0]["column"] == "推荐单位"


def test_nominees_upload_refused_outside_nomination_stage(client, token_for, make_election):
    election = make_election(stage="deploy")
    eu, headers = unit_token(token_for, election)
    response = client.put(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json={"nominees": []})
    assert response.status_code == 422 and "推荐提名" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("role", ["admin", "office", "inspector", "auditor", "delegate"])
def test_nominees_upload_and_submit_refused_to_non_unit_roles(client, token_for, make_election, role):
    election = make_election()
    eu = election.units[0]
    _, headers = token_for(role)
    assert client.put(f"/api/v1/election-units/{eu.id}/nominees", headers=headers,
                      json={"nominees": []}).status_code == 403
    assert client.post(f"/api/v1/election-units/{eu.id}/submit", headers=headers).status_code == 403


def test_nominees_other_units_list_is_404_for_upload_and_submit(client, token_for, make_election):
    election = make_election(units=2)
    _, headers = unit_token(token_for, election, 0)
    other = election.units[1]
    assert client.put(f"/api/v1/election-units/{other.id}/nominees", headers=headers,
                      json={"nominees": [person(0)]}).status_code == 404
    assert client.post(f"/api/v1/election-units/{other.id}/submit", headers=headers).status_code == 404


def test_submit_blocked_then_allowed(client, session, token_for, make_election):
    election = make_election()
    eu, headers = unit_token(token_for, election)
    eu.quota, eu.report_count = 1, 2
    session.flush()
    url = f"/api/v1/election-units/{eu.id}/submit"
    blocked = client.post(url, headers=headers)
    assert blocked.status_code == 422 and error_code(blocked) == "submit_blocked"
    assert blocked.get_json()["error"]["details"][0]["code"]
    client.put(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json={"nominees": [person(0), person(1)]})
    ok = client.post(url, headers=headers)
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["status"] == "submitted"
    again = client.put(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json={"nominees": []})
    assert again.status_code == 422 and "锁定" in again.get_json()["error"]["message"]


def test_election_nominees_refused_to_unit_and_filtered(client, token_for, make_election):
    election = make_election()
    eu, unit_headers = unit_token(token_for, election)
    client.put(f"/api/v1/election-units/{eu.id}/nominees", headers=unit_headers,
               json={"nominees": [person(0), person(1)]})
    assert client.get(f"/api/v1/elections/{election.id}/nominees", headers=unit_headers).status_code == 403
    _, headers = token_for("inspector")
    body = client.get(f"/api/v1/elections/{election.id}/nominees?election_unit_id={eu.id}&per_page=1",
                      headers=headers).get_json()
    assert body["total"] == 2 and body["pages"] == 2
    assert client.get(f"/api/v1/elections/{election.id}/nominees?step=confirmed",
                      headers=headers).get_json()["total"] == 0


# ---------------------------------------------------------------------------------------------- quota, audit
def test_quota_report_three_questions(client, session, token_for, make_election):
    election = make_election()
    _, headers = token_for("office")
    none = client.get(f"/api/v1/elections/{election.id}/quota", headers=headers).get_json()
    assert none["configured"] is False and none["report"] is None
    election.quota_rules = [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 1}]
    session.flush()
    response = client.get(f"/api/v1/elections/{election.id}/quota?step=nominated", headers=headers)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()["report"]
    assert set(report["questions"]) == {"met_now", "safe", "feasible"}
    assert report["candidates"] == 0 and report["questions"]["met_now"] is False  # 0 women of at least 1
    assert report["rules"][0]["code"] == "women" and report["rules"][0]["bound"] == "至少1名"


def test_quota_bad_step_422_and_unit_refused(client, token_for, make_election):
    election = make_election()
    _, headers = token_for("office")
    assert client.get(f"/api/v1/elections/{election.id}/quota?step=moon", headers=headers).status_code == 422
    _, unit_headers = unit_token(token_for, election)
    assert client.get(f"/api/v1/elections/{election.id}/quota", headers=unit_headers).status_code == 403


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_audit_readable_by_admin_and_auditor(client, token_for, make_election, role):
    election = make_election(stage="nominate")
    _, office = token_for("office")
    client.post(f"/api/v1/elections/{election.id}/return", headers=office, json={"target": "deploy", "reason": "重排"})
    _, headers = token_for(role)
    body = client.get(f"/api/v1/audit?object_type=elections&object_id={election.id}", headers=headers).get_json()
    assert body["items"][0]["action"] == "election.return" and body["total"] >= 1


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r not in ("admin", "auditor")])
def test_audit_refused_to_other_roles(client, token_for, role):
    _, headers = token_for(role)
    response = client.get("/api/v1/audit", headers=headers)
    assert response.status_code == 403 and error_code(response) == "forbidden"


# ---------------------------------------------------------------------------------------------- vetting, voting
def test_vetting_and_voting_reads_for_readers(client, token_for, make_election):
    election = make_election(stage="ballot")
    _, headers = token_for("office")
    for path in ("notices", "rounds", "delegates"):
        body = client.get(f"/api/v1/elections/{election.id}/{path}", headers=headers).get_json()
        assert body["items"] == [] and body["total"] == 0
    result = client.get(f"/api/v1/elections/{election.id}/result", headers=headers).get_json()
    assert result["recorded"] is False
    assert client.get("/api/v1/notices/999999/complaints", headers=headers).status_code == 404


@pytest.mark.parametrize("role", ["unit", "delegate", "studio"])
def test_vetting_and_voting_refused(client, token_for, make_election, role):
    election = make_election()
    _, headers = token_for(role)
    for path in ("notices", "rounds", "result", "delegates"):
        assert client.get(f"/api/v1/elections/{election.id}/{path}", headers=headers).status_code == 403
    assert client.get("/api/v1/notices/1/complaints", headers=headers).status_code == 403


def test_notices_refused_to_teller(client, token_for, make_election):
    election = make_election()
    _, headers = token_for("teller")  # 计票人员 read rounds, not the vetting
    assert client.get(f"/api/v1/elections/{election.id}/notices", headers=headers).status_code == 403
    assert client.get(f"/api/v1/elections/{election.id}/rounds", headers=headers).status_code == 200


# ---------------------------------------------------------------------------------------------- tokens via the API
def basic(username: str, password: str = TEST_PASSWORD) -> dict:
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def test_tokens_created_with_password_work_once_shown(client, session, make_user):
    user = make_user("office")
    response = client.post("/api/v1/tokens", headers=basic(user.username), json={"name": "同步脚本", "days": 7})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    secret = body["token"]
    assert secret.startswith("dxt_") and body["info"]["prefix"] == secret[:12]
    stored = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash != secret and secret not in str(stored.__dict__)
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    bearer = {"Authorization": f"Bearer {secret}"}
    listed = client.get("/api/v1/tokens", headers=bearer).get_json()["items"]
    assert listed[0]["name"] == "同步脚本" and "token" not in listed[0]
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.create")) is not None


def test_tokens_wrong_password_or_no_credentials_is_401(client, make_user):
    user = make_user("office")
    bad = client.post("/api/v1/tokens", headers=basic(user.username, "wrong"), json={"name": "x"})
    assert bad.status_code == 401 and error_code(bad) == "credentials_invalid"
    none = client.post("/api/v1/tokens", json={"name": "x"})
    assert none.status_code == 401 and error_code(none) == "credentials_missing"


@pytest.mark.parametrize("body", [{"name": ""}, {"name": "x", "days": 0}, {"name": "x", "days": 366}, {"days": 5}])
def test_tokens_create_validation(client, make_user, body):
    user = make_user("office")
    response = client.post("/api/v1/tokens", headers=basic(user.username), json=body)
    assert response.status_code == 422


def test_tokens_exactly_365_days_allowed(client, make_user):
    user = make_user("office")
    response = client.post("/api/v1/tokens", headers=basic(user.username), json={"name": "年度", "days": 365})
    assert response.status_code == 201


def test_tokens_revoke_own_and_not_others(client, session, token_for):
    user, headers = token_for("office")
    _, other_headers = token_for("office")
    mine = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert client.delete(f"/api/v1/tokens/{mine.id}", headers=other_headers).status_code == 404
    response = client.delete(f"/api/v1/tokens/{mine.id}", headers=headers)
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert client.get("/api/v1/elections", headers=headers).status_code == 401


def test_tokens_unit_token_carries_its_unit(session, token_for):
    user, _ = token_for("unit")
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.role == "unit" and token.unit_id == user.unit_id


# ---------------------------------------------------------------------------------------------- token pages
def test_token_pages_need_login(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_token_pages_secret_shown_once_then_only_prefix(client, session, login_as):
    user = login_as("office")
    page = client.post("/account/tokens", data={"name": "办公系统", "days": 30})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    secret = re.search(r'data-testid="token-secret">(dxt_[^<]+)<', html).group(1)
    assert client.get("/api/v1/elections", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    again = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and secret[:12] in again and "办公系统" in again
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    revoked = client.post(f"/account/tokens/{token.id}/revoke", follow_redirects=True)
    assert "已吊销" in revoked.get_data(as_text=True)
    assert client.get("/api/v1/elections", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_token_pages_form_errors_in_chinese(client, login_as):
    login_as("auditor")
    page = client.post("/account/tokens", data={"name": "", "days": 400})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "请填写令牌名称" in html and "有效期应为1至365天" in html


def test_token_pages_cannot_revoke_someone_elses(client, session, login_as, token_for):
    other, _ = token_for("office")
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == other.id))
    login_as("office")
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404


# ---------------------------------------------------------------------------------------------- the document
def test_openapi_document_matches_the_routes(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.unknown", "api.openapi_json", "api.docs"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    for item in document["paths"].values():
        for op in item.values():
            assert op["summary"] and not op["summary"].isascii()
            assert "401" in op["responses"] or op.get("security") == []


def test_docs_page_renders_every_operation_server_side(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    for item in document["paths"].values():
        for op in item.values():
            assert f'id="{op["operationId"]}"' in html
    assert "<script>" not in html and "cdn" not in html.lower()
