"""年度考评 over the API (election/duties/api_review.py): the rating of a part of the 履职纪实表, a unit's
模范履职党代表 list under the cap and the 组织部's decision, a delegate's own 个人履职总结 — the page's use cases:
the effect in the database and one audit entry, every refused role 403, a bad body 422 naming the field, another
office's delegate (in the body) refused like a missing one, a missing id in the path 404."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.clock import today_local
from election.duties import services as svc
from election.duties.models import ActivityRecord, AnnualSummary, ModelNomination, ReviewRating, TermDelegate
from tests.api.test_api import error_code
from tests.duties.test_api import API, DAY, details

ALL_ROLES = ("admin", "office", "studio", "auditor", "delegate", "unit", "inspector", "discipline", "teller")
PART = svc.REVIEW_PARTS[1]
YEAR = today_local().year


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def headers_of(token_for, role: str, duties) -> dict:
    if role == "studio":
        return token_for("studio", office_id=duties.office_a.id)[1]
    return token_for(role)[1]


# ---------------------------------------------------------------------------------------------- ratings
def rating(delegate_id: int, **kw) -> dict:
    return {"delegate_id": delegate_id, "year": YEAR, "part_code": PART.code, "rating": "优秀", **kw}


def test_studio_rates_its_own_office_delegate_with_one_audit(client, session, duties, studio):
    r = client.put(f"{API}/review/ratings", headers=studio, json=rating(duties.a2.id, comment="积极参加驻室活动"))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert (body["delegate_name"], body["part_label"], body["rating"], body["rated_by_body"]) == (
        "甲二代表", PART.label, "优秀", PART.rated_by)
    row = session.scalar(select(ReviewRating).where(ReviewRating.delegate_id == duties.a2.id))
    assert (row.year, row.part_code, row.rating, row.comment) == (YEAR, PART.code, "优秀", "积极参加驻室活动")
    assert audits(session, "duties.review.rate") == 1
    again = client.put(f"{API}/review/ratings", headers=studio, json=rating(duties.a2.id, rating="良好", body="某镇党委"))
    assert again.status_code == 200 and again.get_json()["rated_by_body"] == "某镇党委"
    session.expire_all()
    assert count(session, ReviewRating, ReviewRating.delegate_id == duties.a2.id) == 1
    assert session.scalar(select(ReviewRating.rating).where(ReviewRating.delegate_id == duties.a2.id)) == "良好"


def test_rating_another_offices_delegate_is_refused_like_a_missing_one(client, session, token_for, duties, studio):
    other = client.put(f"{API}/review/ratings", headers=studio, json=rating(duties.b1.id))
    missing = client.put(f"{API}/review/ratings", headers=studio, json=rating(987654))
    assert other.status_code == missing.status_code == 422
    assert details(other)[0]["field"] == "delegate_id" and "不是您可以评定的代表" in details(other)[0]["message"]
    assert details(other)[0]["message"].replace(str(duties.b1.id), "#") == \
        details(missing)[0]["message"].replace("987654", "#")
    assert count(session, ReviewRating) == 0 and audits(session, "duties.review.rate") == 0
    _, office = token_for("office")  # the 组织部 rates any office's delegates
    assert client.put(f"{API}/review/ratings", headers=office, json=rating(duties.b1.id)).status_code == 200


def test_rating_refused_roles(client, session, token_for, duties):
    for role in ("auditor", "delegate", "unit", "inspector", "discipline", "teller"):
        r = client.put(f"{API}/review/ratings", headers=headers_of(token_for, role, duties), json=rating(duties.a2.id))
        assert r.status_code == 403 and error_code(r) == "forbidden", role
    assert count(session, ReviewRating) == 0


def test_rating_bad_body_names_the_field(client, session, duties, studio):
    for change, field in (({"part_code": "everything"}, "part_code"), ({"rating": "很好"}, "rating"),
                          ({"year": 1999}, "year"), ({"delegate_id": "甲二"}, "delegate_id"),
                          ({"body": "机" * 129}, "body"), ({"colour": "红"}, "colour")):
        r = client.put(f"{API}/review/ratings", headers=studio, json={**rating(duties.a2.id), **change})
        assert r.status_code == 422 and error_code(r) == "validation_failed", change
        assert details(r)[0]["field"] == field and any("\u4e00" <= c <= "\u9fff" for c in details(r)[0]["message"])
    assert count(session, ReviewRating) == 0


# ---------------------------------------------------------------------------------------------- nominations
@pytest.fixture
def model_unit(session, duties):
    """A unit with four serving delegates (cap 1) and one whose 资格 ended."""
    common = {"gender": "男", "level": "区", "congress": "区第十二次党代会", "term_start": DAY - timedelta(days=700),
              "term_end": DAY + timedelta(days=700), "electing_unit": "模范单位", "office_id": duties.office_a.id}
    people = [TermDelegate(name=f"模范{i}", **common) for i in range(4)]
    people.append(TermDelegate(name="已终止", status="terminated", status_reason="deceased", status_issuer="中共某区委",
                               status_doc_no="区委〔2026〕1号", status_decided_on=DAY, **common))
    session.add_all(people)
    session.commit()
    return people


def nominate(ids, **kw) -> dict:
    return {"year": YEAR, "unit_name": "模范单位", "delegate_ids": ids, **kw}


def test_nominations_saved_under_the_cap_with_one_audit(client, session, token_for, model_unit):
    _, office = token_for("office")
    r = client.post(f"{API}/review/nominations", headers=office, json=nominate([model_unit[0].id]))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert (body["serving"], body["cap"], len(body["nominations"])) == (4, 1, 1)
    assert body["nominations"][0]["delegate_name"] == "模范0" and body["nominations"][0]["decision"] == "pending"
    assert count(session, ModelNomination, ModelNomination.unit_name == "模范单位") == 1
    assert audits(session, "duties.model.propose") == 1
    # the whole list again: 模范1 instead of 模范0
    r = client.post(f"{API}/review/nominations", headers=office, json=nominate([model_unit[1].id]))
    assert [n["delegate_name"] for n in r.get_json()["nominations"]] == ["模范1"]


def test_nominations_over_the_cap_or_outside_the_unit_save_nothing(client, session, token_for, duties, model_unit):
    _, office = token_for("office")
    over = client.post(f"{API}/review/nominations", headers=office, json=nominate([d.id for d in model_unit[:2]]))
    assert over.status_code == 422 and error_code(over) == "nomination_blocked" and details(over)[0]["message"]
    outside = client.post(f"{API}/review/nominations", headers=office, json=nominate([duties.b1.id]))
    assert outside.status_code == 422 and "不属于本单位" in outside.get_json()["error"]["message"]
    ended = client.post(f"{API}/review/nominations", headers=office, json=nominate([model_unit[4].id]))
    assert ended.status_code == 422
    missing = client.post(f"{API}/review/nominations", headers=office, json=nominate([model_unit[0].id, 987654]))
    assert missing.status_code == 422 and details(missing)[0]["field"] == "delegate_ids[1]"
    assert count(session, ModelNomination) == 0 and audits(session, "duties.model.propose") == 0


def test_nominations_bad_body_names_the_field(client, session, token_for, model_unit):
    _, office = token_for("office")
    for body, field in ((nominate("1,2"), "delegate_ids"), (nominate([0]), "delegate_ids[0]"),
                        ({"delegate_ids": []}, "unit_name"), (nominate([], unit_name="  "), "unit_name"),
                        (nominate([], year=2101), "year")):
        r = client.post(f"{API}/review/nominations", headers=office, json=body)
        assert r.status_code == 422 and details(r)[0]["field"] == field, body
    assert audits(session, "duties.model.propose") == 0


def test_decision_on_a_nomination_with_one_audit(client, session, token_for, model_unit):
    _, office = token_for("office")
    client.post(f"{API}/review/nominations", headers=office, json=nominate([model_unit[0].id]))
    nid = session.scalar(select(ModelNomination.id).where(ModelNomination.delegate_id == model_unit[0].id))
    r = client.post(f"{API}/review/nominations/{nid}/decision", headers=office, json={"decision": "approve"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["decision"] == "approved" and r.get_json()["decided_at"]
    session.expire_all()
    assert session.get(ModelNomination, nid).decision == "approved" and audits(session, "duties.model.decide") == 1
    again = client.post(f"{API}/review/nominations/{nid}/decision", headers=office, json={"decision": "reject"})
    assert again.status_code == 422 and "已作出决定" in again.get_json()["error"]["message"]
    # a decided unit's list is closed
    closed = client.post(f"{API}/review/nominations", headers=office, json=nominate([model_unit[1].id]))
    assert closed.status_code == 422 and audits(session, "duties.model.decide") == 1
    missing = client.post(f"{API}/review/nominations/987654/decision", headers=office, json={"decision": "approve"})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    bad = client.post(f"{API}/review/nominations/{nid}/decision", headers=office, json={"decision": "yes"})
    assert bad.status_code == 422 and details(bad)[0]["field"] == "decision"


def test_nominations_and_decisions_refused_roles(client, session, token_for, duties, model_unit):
    n = ModelNomination(year=YEAR, delegate_id=model_unit[0].id, unit_name="模范单位")
    session.add(n)
    session.commit()
    for role in ("studio", "auditor", "delegate", "unit", "inspector", "discipline", "teller"):
        headers = headers_of(token_for, role, duties)
        r = client.post(f"{API}/review/nominations", headers=headers, json=nominate([model_unit[1].id]))
        assert r.status_code == 403 and error_code(r) == "forbidden", role
        r = client.post(f"{API}/review/nominations/{n.id}/decision", headers=headers, json={"decision": "approve"})
        assert r.status_code == 403, role
    session.expire_all()
    assert session.get(ModelNomination, n.id).decision == "pending" and audits(session, "duties.model.propose") == 0


# ---------------------------------------------------------------------------------------------- 个人履职总结
def test_delegate_submits_own_summary_with_one_audit(client, session, duties):
    r = client.put(f"{API}/me/summary", headers=duties.delegate, json={"text": "今年参加驻室接访6次。"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["delegate_id"] == duties.a1.id and r.get_json()["year"] == YEAR
    row = session.scalar(select(AnnualSummary).where(AnnualSummary.delegate_id == duties.a1.id))
    assert row.text == "今年参加驻室接访6次。" and audits(session, "duties.review.summary") == 1
    again = client.put(f"{API}/me/summary", headers=duties.delegate, json={"text": "修改后的总结"})
    assert again.status_code == 200 and again.get_json()["text"] == "修改后的总结"
    session.expire_all()
    assert count(session, AnnualSummary, AnnualSummary.delegate_id == duties.a1.id) == 1
    # the summary is the delegate's own: nobody else's record changed
    assert count(session, AnnualSummary, AnnualSummary.delegate_id != duties.a1.id) == 0
    assert count(session, ActivityRecord, ActivityRecord.delegate_id != duties.a1.id,
                 ActivityRecord.type_code == "personal_summary") == 0


def test_summary_refused_roles(client, session, token_for, duties):
    for role in ALL_ROLES:
        if role != "delegate":
            r = client.put(f"{API}/me/summary", headers=headers_of(token_for, role, duties), json={"text": "总结"})
            assert r.status_code == 403 and error_code(r) == "forbidden", role
    assert count(session, AnnualSummary) == 0


def test_summary_of_a_delegate_account_without_a_record_is_404(client, session, token_for, duties):
    _, headers = token_for("delegate")
    r = client.put(f"{API}/me/summary", headers=headers, json={"text": "总结"})
    assert r.status_code == 404 and error_code(r) == "not_found"
    assert count(session, AnnualSummary) == 0


def test_summary_bad_body_names_the_field(client, session, duties):
    for body, field in (({"text": "   "}, "text"), ({}, "text"), ({"text": "字" * 8001}, "text"),
                        ({"text": "总结", "year": 2025}, "year")):
        r = client.put(f"{API}/me/summary", headers=duties.delegate, json=body)
        assert r.status_code == 422 and details(r)[0]["field"] == field, body
    assert count(session, AnnualSummary) == 0
