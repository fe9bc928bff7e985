"""履职规则 over the API (election/duties/api_rules.py): a new version of a rule set from a date and the rule set
an office or a level uses — the rule-set pages' use cases: the effect and one audit entry, every other role 403,
a bad body 422 naming the field, blockers (a backdated version) 422 with nothing saved, an unknown code 404."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.clock import today_local
from election.directory.models import DelegateOffice
from election.duties import services as svc
from election.duties.models import DutyRuleSetVersion, OfficeRuleAssignment
from tests.api.test_api import error_code
from tests.duties.test_api import API, details

OTHER_ROLES = ("office", "studio", "auditor", "delegate", "unit", "inspector", "discipline", "teller")


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def stored(session) -> int:
    return session.scalar(select(func.count()).select_from(DutyRuleSetVersion))


def version_body(session, days: int = 30, **change) -> dict:
    """The 盐田 rule set in force, as a new version from DAYS ahead (as the edit page shows it)."""
    current = svc.load_rulebooks(session)["yantian"].versions[-1]
    types = [{"code": t.code, "label": t.label, "yearly_cap": t.yearly_cap, "group": t.group,
              "co_signer_code": t.co_signer_code,
              "points": t.points if isinstance(t.points, int) else [{"grade": g, "points": p} for g, p in t.points]}
             for t in current.activity_types]
    reqs = [{"code": r.code, "label": r.label, "min_count": r.min_count, "period": r.period.value,
             "types": list(r.types)} for r in current.requirements]
    return {"version_from": (today_local() + timedelta(days=days)).isoformat(), "name": "盐田积分（修订）",
            "publication": "month", "activity_types": types, "requirements": reqs, **change}


def test_new_version_saved_from_its_date_with_one_audit(client, session, token_for):
    _, admin = token_for("admin")
    body = version_body(session)
    body["activity_types"][0]["points"] = 7
    r = client.put(f"{API}/rules/yantian", headers=admin, json=body)
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert (out["code"], out["name"], out["version_from"], out["publication"]) == (
        "yantian", "盐田积分（修订）", body["version_from"], "month")
    assert out["activity_types"][0]["points"] == 7
    book = svc.load_rulebooks(session)["yantian"]
    assert book.versions[-1].version_from.isoformat() == body["version_from"]
    assert book.versions[-1].activity_types[0].points == 7 and book.versions[-1].name == "盐田积分（修订）"
    assert book.in_force(today_local()).name != "盐田积分（修订）"  # earlier points never change
    assert audits(session, "duties.ruleset.version") == 1


def test_graded_points_and_requirement_kept_like_the_page(client, session, token_for):
    _, admin = token_for("admin")
    body = version_body(session)
    graded = next(t for t in body["activity_types"] if isinstance(t["points"], list))
    graded["points"] = [{"grade": "very_satisfied", "points": 8}, {"grade": "satisfied", "points": 4}]
    r = client.put(f"{API}/rules/yantian", headers=admin, json=body)
    assert r.status_code == 200, r.get_json()
    saved = svc.load_rulebooks(session)["yantian"].versions[-1].type(graded["code"])
    assert dict(saved.points) == {"very_satisfied": 8, "satisfied": 4}


def test_refused_version_saves_nothing(client, session, token_for):
    _, admin = token_for("admin")
    before = stored(session)
    unknown = {"requirements": [{"code": "x", "label": "不存在的类型", "period": "month", "types": ["nothing"]}]}
    for days, change, words in ((-1, {}, "早于今天"), (30, unknown, "不存在")):
        r = client.put(f"{API}/rules/yantian", headers=admin, json=version_body(session, days, **change))
        assert r.status_code == 422 and words in str(r.get_json()["error"]), r.get_json()
    assert stored(session) == before and audits(session, "duties.ruleset.version") == 0


def test_bad_version_body_names_the_field(client, session, token_for):
    _, admin = token_for("admin")
    weekly = [{"code": "r", "label": "要求", "period": "weekly", "types": ["duty_reception"]}]
    for change, field in (({"version_from": "明年"}, "version_from"), ({"publication": "year"}, "publication"),
                          ({"activity_types": []}, "activity_types"), ({"name": " "}, "name"),
                          ({"requirements": weekly}, "requirements[0].period")):
        r = client.put(f"{API}/rules/yantian", headers=admin, json=version_body(session, **change))
        assert r.status_code == 422 and error_code(r) == "validation_failed", change
        assert field in {d["field"] for d in details(r)}
    body = version_body(session)
    body["activity_types"][0]["points"] = "5分"
    r = client.put(f"{API}/rules/yantian", headers=admin, json=body)
    assert r.status_code == 422 and details(r)[0]["field"] == "activity_types[0].points"


def test_unknown_rule_set_is_404(client, session, token_for):
    _, admin = token_for("admin")
    r = client.put(f"{API}/rules/nowhere", headers=admin, json=version_body(session))
    assert r.status_code == 404 and error_code(r) == "not_found"


def test_rules_refused_roles(client, session, token_for):
    for role in OTHER_ROLES:
        _, headers = token_for(role)
        r = client.put(f"{API}/rules/yantian", headers=headers, json=version_body(session))
        assert r.status_code == 403 and error_code(r) == "forbidden", role
        r = client.put(f"{API}/rules/assignments", headers=headers, json={"code": "fengxian", "level": "区"})
        assert r.status_code == 403, role
    assert stored(session) == 0 and session.scalar(select(func.count()).select_from(OfficeRuleAssignment)) == 0


# ---------------------------------------------------------------------------------------------- assignments
def test_assign_a_rule_set_to_an_office_and_a_level_with_one_audit_each(client, session, token_for):
    office = DelegateOffice(name="规则工作室")
    session.add(office)
    session.commit()
    _, admin = token_for("admin")
    r = client.put(f"{API}/rules/assignments", headers=admin, json={"code": "fengxian", "office_id": office.id})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["office_name"] == "规则工作室" and r.get_json()["level"] is None
    assert svc.load_assignments(session).code_for(office.id, "区") == "fengxian"
    assert audits(session, "duties.ruleset.assign") == 1
    r = client.put(f"{API}/rules/assignments", headers=admin, json={"code": "yintai", "level": "镇"})
    assert r.status_code == 200 and r.get_json()["office_id"] is None
    assert svc.load_assignments(session).code_for(None, "镇") == "yintai"
    again = client.put(f"{API}/rules/assignments", headers=admin, json={"code": "yantian", "office_id": office.id})
    assert again.status_code == 200 and svc.load_assignments(session).code_for(office.id, "区") == "yantian"
    assert session.scalar(select(func.count()).select_from(OfficeRuleAssignment)) == 2
    assert audits(session, "duties.ruleset.assign") == 3


def test_bad_assignment_names_the_field(client, session, token_for):
    _, admin = token_for("admin")
    for body, field in (({"code": "fengxian"}, "office_id"),
                        ({"code": "fengxian", "office_id": 1, "level": "区"}, "office_id"),
                        ({"code": "fengxian", "office_id": 987654}, "office_id"),
                        ({"code": "nowhere", "level": "区"}, "code"), ({"code": "fengxian", "level": "省"}, "level"),
                        ({"level": "区"}, "code")):
        r = client.put(f"{API}/rules/assignments", headers=admin, json=body)
        assert r.status_code == 422 and details(r)[0]["field"] == field, body
    assert session.scalar(select(func.count()).select_from(OfficeRuleAssignment)) == 0


def test_the_page_and_the_api_build_the_same_version(client, session, token_for, login_as):
    """The same rule set entered on the edit page and sent to the API is stored alike (svc.revised_ruleset)."""
    later = today_local() + timedelta(days=40)
    page = {"name": "盐田（修订）", "version_from": (later - timedelta(days=10)).isoformat(), "publication": "month",
            "types-0-code": "duty_reception", "types-0-label": "值班接访", "types-0-points": "6",
            "types-0-yearly_cap": "30", "types-0-group": "接访",
            "types-1-code": "petition_resolved", "types-1-label": "诉求解决", "types-1-points": "非常满意:6，基本满意:5",
            "requirements-0-code": "monthly_duty", "requirements-0-label": "值班", "requirements-0-min_count": "2",
            "requirements-0-period": "month", "requirements-0-types": "duty_reception、petition_resolved"}
    login_as("admin")
    assert client.post("/duties/rules/yantian", data=page).status_code == 302
    api = {"name": "盐田（修订）", "version_from": later.isoformat(), "publication": "month",
           "activity_types": [
               {"code": "duty_reception", "label": "值班接访", "points": 6, "yearly_cap": 30, "group": "接访"},
               {"code": "petition_resolved", "label": "诉求解决",
                "points": [{"grade": "very_satisfied", "points": 6}, {"grade": "satisfied", "points": 5}]}],
           "requirements": [{"code": "monthly_duty", "label": "值班", "min_count": 2, "period": "month",
                             "types": ["duty_reception", "petition_resolved"]}]}
    _, admin = token_for("admin")
    assert client.put(f"{API}/rules/yantian", headers=admin, json=api).status_code == 200
    by_page, by_api = (svc.ruleset_to_dict(v) for v in svc.load_rulebooks(session)["yantian"].versions[-2:])
    assert by_page.pop("version_from") != by_api.pop("version_from")
    assert by_page == by_api and by_api["activity_types"][1]["points"] == [["very_satisfied", 6], ["satisfied", 5]]
    assert audits(session, "duties.ruleset.version") == 2
