"""节假日设置 over the API (election.calendar.api): a year's days read and set by hand, the State Council's notice
read (nothing stored) and saved; each write's effect and its one audit entry, 403 for every role but the 管理员,
422 naming the field, nothing stored on a refusal."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.calendar.models import CalendarDay
from election.calendar.services import load_calendar
from tests.api.conformance import conforms
from tests.api.test_api import error_code
from tests.calendar.test_holiday_notice_import import NOTICE_2027

REFUSED = ["office", "unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"]
YEAR = {"holidays": ["2027-01-01", "2027-10-01", "2027-10-02"], "workdays": ["2027-09-26"]}


def audits(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def stored(session) -> set[tuple[date, str]]:
    return {(d.day, d.kind) for d in session.scalars(select(CalendarDay))}


def fields(response) -> set[str]:
    return {d.get("field") for d in response.get_json()["error"]["details"]}


def test_set_and_read_a_year(client, session, token_for):
    _, headers = token_for("admin")
    empty = client.get("/api/v1/calendar/2027", headers=headers)
    assert empty.status_code == 200 and empty.get_json() == {"year": 2027, "overridden": False, "holidays": [],
                                                             "workdays": []}
    response = client.put("/api/v1/calendar/2027", headers=headers, json=YEAR)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"year": 2027, "overridden": True, **YEAR}
    conforms(empty, "get_calendar_year")
    conforms(response, "set_calendar")
    assert stored(session) == {(date(2027, 1, 1), "holiday"), (date(2027, 10, 1), "holiday"),
                               (date(2027, 10, 2), "holiday"), (date(2027, 9, 26), "workday")}
    [entry] = audits(session, "calendar.set_year")
    assert entry.object_id == "2027"
    assert load_calendar(session).is_working_day(date(2027, 9, 26))
    assert client.get("/api/v1/calendar/2027", headers=headers).get_json()["holidays"] == YEAR["holidays"]
    replaced = client.put("/api/v1/calendar/2027", headers=headers, json={"holidays": ["2027-05-03"], "workdays": []})
    assert replaced.status_code == 200 and stored(session) == {(date(2027, 5, 3), "holiday")}


def test_set_a_year_refuses_bad_days(client, session, token_for):
    _, headers = token_for("admin")
    bad_date = client.put("/api/v1/calendar/2027", headers=headers,
                          json={"holidays": ["2027-01-01", "2027-02-30"], "workdays": []})
    assert bad_date.status_code == 422 and fields(bad_date) == {"holidays[1]"}
    assert "放假日期" in bad_date.get_json()["error"]["details"][0]["message"]
    missing = client.put("/api/v1/calendar/2027", headers=headers, json={"holidays": []})
    assert missing.status_code == 422 and fields(missing) == {"workdays"}
    ruled = client.put("/api/v1/calendar/2027", headers=headers,
                       json={"holidays": ["2028-01-01"], "workdays": ["2027-09-27"]})  # 9-27 is a Monday
    assert ruled.status_code == 422 and error_code(ruled) == "rule_violation"
    message = ruled.get_json()["error"]["message"]
    assert "不属于2027年" in message and "不是周六或周日" in message
    year = client.put("/api/v1/calendar/1999", headers=headers, json={"holidays": [], "workdays": []})
    assert year.status_code == 422 and fields(year) == {"year"}
    assert client.get("/api/v1/calendar/2101", headers=headers).status_code == 422
    assert stored(session) == set() and audits(session, "calendar.set_year") == []


def test_notice_preview_stores_nothing_then_save_stores_the_year(client, session, token_for):
    _, headers = token_for("admin")
    preview = client.post("/api/v1/calendar/notice", headers=headers, json={"text": NOTICE_2027})
    assert preview.status_code == 200, preview.get_json()
    conforms(preview, "holiday_notice")
    body = preview.get_json()
    assert body["year"] == 2027 and body["saved"] is False
    assert len(body["holidays"]) == 17 and body["workdays"] == ["2027-02-14", "2027-09-26", "2027-10-09"]
    assert "2027-02-14 上班" in body["lines"]
    assert stored(session) == set() and audits(session, "calendar.import_notice") == []
    saved = client.post("/api/v1/calendar/notice", headers=headers, json={"text": NOTICE_2027, "save": True})
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    conforms(saved, "holiday_notice")
    assert (date(2027, 10, 7), "holiday") in stored(session) and len(stored(session)) == 20
    assert len(audits(session, "calendar.import_notice")) == 1
    year = client.get("/api/v1/calendar/2027", headers=headers).get_json()
    assert year["overridden"] and year["workdays"] == ["2027-02-14", "2027-09-26", "2027-10-09"]


def test_notice_refusals_store_nothing(client, session, token_for):
    _, headers = token_for("admin")
    unreadable = client.post("/api/v1/calendar/notice", headers=headers, json={"text": "今天天气很好", "save": True})
    assert unreadable.status_code == 422 and error_code(unreadable) == "rule_violation"
    blank = client.post("/api/v1/calendar/notice", headers=headers, json={"text": "  "})
    assert blank.status_code == 422 and fields(blank) == {"text"}
    wrong = client.post("/api/v1/calendar/notice", headers=headers, json={"text": NOTICE_2027, "save": "yes"})
    assert wrong.status_code == 422 and fields(wrong) == {"save"}
    assert stored(session) == set()
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "calendar")) == 0


def test_every_other_role_is_refused(client, session, token_for):
    calls = [("GET", "/api/v1/calendar/2027", None), ("PUT", "/api/v1/calendar/2027", YEAR),
             ("POST", "/api/v1/calendar/notice", {"text": NOTICE_2027, "save": True})]
    for role in REFUSED:
        _, headers = token_for(role)
        for method, url, body in calls:
            response = client.open(url, method=method, headers=headers, json=body)
            assert response.status_code == 403 and error_code(response) == "forbidden", (role, method, url)
    assert stored(session) == set()
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "calendar")) == 0
