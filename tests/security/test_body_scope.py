"""Scope of the ids a request names in its BODY (form fields, JSON fields), pages and API alike (issue 19).

The path ids are the authorisation matrix's (test_authz_matrix.py). Here, for every body id field a scoped role
(推荐单位, 党代表工作室, 代表, 考察组) can send, the role sends the other scope's id and the request is refused — a
4xx with a Chinese message, or the form shown again with an error — nothing is written, and the answer is the very
same as for an id that does not exist (no existence oracle). Each case is also sent with the role's own id, which
must be accepted: the refusal is the scope's, not a malformed request's.

The body id fields, by role (BODY_FIELDS below is checked against the forms and the API schemas):
- 工作室: 履职活动 delegate_id, 群众诉求 office_id and delegate_id, 提案 lead_delegate_id, 年度评定 delegate_id
  (pages and API);
- 代表: 履职活动 delegate_id, 提案 lead_delegate_id (pages and API: the own record unless another is named);
- 提案 cosigner_ids: any serving delegate may co-sign, of any office (not a scope); their records wait for their own
  office (tests/duties);
- 推荐单位 and 考察组: no write of theirs names an id in its body (the list upload carries people, not ids; the
  考察 and complaint writes name their object in the path only) — checked by test_scoped_forms_name_no_other_ids.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from election.core.clock import today_local
from election.core.roles import Role
from tests.security import conftest as sec

S, DL = Role.studio, Role.delegate
CJK = re.compile(r"[\u4e00-\u9fff]")
_DYNAMIC = [re.compile(p) for p in (r'name="csrf_token"[^>]*>', r'nonce="[^"]*"', r'name="csrf-token"[^>]*>')]


@dataclass(frozen=True)
class Case:
    role: Role
    api: bool
    url: str  # an endpoint path
    field: str  # the body field under test
    table: str  # the model whose rows must not grow
    body: Callable[[sec.World, dict], dict]  # pool: the ids to use for the field under test (own / other / missing)
    method: str = "POST"

    @property
    def id(self) -> str:
        return f"{self.role.value}-{'api' if self.api else 'page'}-{self.url.rsplit('/', 1)[-1]}-{self.field}"


def _day() -> str:
    return today_local().isoformat()


def _activity(w, ids):
    return {"delegate_id": ids["delegate"], "type_code": "duty_reception", "on": _day(), "description": "越权登记测试"}


def _petition_office(w, ids):
    return {"office_id": ids["office"], "delegate_id": 0, "resident_name": "越权群众", "content": "越权登记测试"}


def _petition_delegate(w, ids):
    return {"office_id": w.own["office"], "delegate_id": ids["delegate"], "resident_name": "越权群众",
            "content": "越权登记测试"}


def _proposal(w, ids):
    return {"kind": "proposal", "lead_delegate_id": ids["delegate"], "title": "越权提案", "grounds": "依据",
            "solution": "方案", "submitted_on": _day()}


def _rating(w, ids):
    from election.duties.services import REVIEW_PARTS

    return {"delegate_id": ids["delegate"], "part_code": REVIEW_PARTS[0].code, "rating": "优秀",
            "year": str(today_local().year)}


def _api_rating(w, ids):
    return {**_rating(w, ids), "year": today_local().year}


def _api(body: Callable) -> Callable:
    """The same body as JSON: no form-only fields, nulls for "none"."""
    def make(w, ids):
        data = body(w, ids)
        data.pop("kind", None)
        if data.get("delegate_id") == 0:
            data["delegate_id"] = None
        return data
    return make


CASES = [
    Case(S, False, "/duties/activities/new", "delegate_id", "duty_activities", _activity),
    Case(DL, False, "/duties/activities/new", "delegate_id", "duty_activities", _activity),
    Case(S, False, "/duties/petitions", "office_id", "duty_petitions", _petition_office),
    Case(S, False, "/duties/petitions", "delegate_id", "duty_petitions", _petition_delegate),
    Case(S, False, "/duties/proposals", "lead_delegate_id", "duty_proposals", _proposal),
    Case(DL, False, "/duties/proposals", "lead_delegate_id", "duty_proposals", _proposal),
    Case(S, False, "/duties/review/rate", "delegate_id", "duty_review_ratings", _rating),
    Case(S, True, "/api/v1/duties/activities", "delegate_id", "duty_activities", _api(_activity)),
    Case(DL, True, "/api/v1/duties/activities", "delegate_id", "duty_activities", _api(_activity)),
    Case(S, True, "/api/v1/duties/petitions", "office_id", "duty_petitions", _api(_petition_office)),
    Case(S, True, "/api/v1/duties/petitions", "delegate_id", "duty_petitions", _api(_petition_delegate)),
    Case(S, True, "/api/v1/duties/proposals", "lead_delegate_id", "duty_proposals", _api(_proposal)),
    Case(DL, True, "/api/v1/duties/proposals", "lead_delegate_id", "duty_proposals", _api(_proposal)),
    Case(S, True, "/api/v1/duties/review/ratings", "delegate_id", "duty_review_ratings", _api_rating, "PUT"),
]
# every body id field a scoped role can send: (form or schema, field) -> the cases that cover it
BODY_FIELDS = {
    ("ActivityForm", "delegate_id"), ("PetitionForm", "office_id"), ("PetitionForm", "delegate_id"),
    ("ProposalForm", "lead_delegate_id"), ("RatingForm", "delegate_id"),
    ("ACTIVITY_IN", "delegate_id"), ("PETITION_IN", "office_id"), ("PETITION_IN", "delegate_id"),
    ("PROPOSAL_IN", "lead_delegate_id"), ("RATING_IN", "delegate_id"),
}


def _ids(world: sec.World, variant: str) -> dict:
    if variant == "missing":
        return {"delegate": sec.MISSING_ID, "office": sec.MISSING_ID}
    pool = world.own if variant == "own" else world.other
    return {"delegate": pool["delegate"], "office": pool["office"]}


def _count(connection, table: str) -> int:
    from election.models import Base

    return connection.execute(select(func.count()).select_from(Base.metadata.tables[table])).scalar_one()


def _send(case: Case, world, role_clients, isolated, connection, variant: str) -> dict:
    client = role_clients[case.role]
    body = case.body(world, _ids(world, variant))

    def go():
        with client.session_transaction() as s:
            s.pop("_flashes", None)
        before = _count(connection, case.table)
        if case.api:
            r = client.open(case.url, method=case.method, json=body,
                            headers={"Authorization": f"Bearer {world.tokens[case.role]}"})
        else:
            r = client.post(case.url, data=body)
        after = _count(connection, case.table)
        with client.session_transaction() as s:
            flashes = list(s.pop("_flashes", []))
        text = r.get_data(as_text=True)
        for p in _DYNAMIC:
            text = p.sub("", text)
        return {"status": r.status_code, "written": after - before, "flashes": flashes, "text": text,
                "json": r.get_json(silent=True) if case.api else None}

    return isolated(go)


_ERROR = re.compile(r'class="(?:flash flash-danger|[^"]*\berror\b[^"]*)"[^>]*>([^<]+)<')


def _page_errors(html: str) -> list[str]:
    """The error messages a re-rendered page shows (flashes rendered into it, form field errors)."""
    return [m.strip() for m in _ERROR.findall(html) if CJK.search(m)]


def _refused(case: Case, answer: dict) -> str | None:
    """Why the answer is not a clean refusal (None: it is one)."""
    if answer["written"]:
        return f"写入了 {answer['written']} 行 {case.table}"
    status = answer["status"]
    if status >= 500:
        return f"服务器错误 {status}"
    if status in (400, 403, 404, 422):
        message = answer["json"]["error"]["message"] if case.api else answer["text"]
        return None if CJK.search(message or "") else "拒绝时没有中文说明"
    errors = [m for c, m in answer["flashes"] if c == "danger"] + _page_errors(answer["text"])
    if not case.api and status in (200, 302, 303) and errors:
        return None  # the form shown again (or the page it returns to) with the error
    return f"未被拒绝（{status}）"


def _shape(answer: dict, world) -> tuple:
    """What a caller sees, with the ids named in the body blanked (they differ by construction)."""
    ids = {str(world.other["delegate"]), str(world.other["office"]), str(sec.MISSING_ID)}

    def blank(s: str) -> str:
        for i in sorted(ids, key=len, reverse=True):
            s = re.sub(rf"(?<!\d){i}(?!\d)", "#", s)
        return s

    if answer["json"] is not None:
        error = answer["json"].get("error", {})
        seen = (error.get("code"), blank(error.get("message", "")),
                tuple((d.get("field"), blank(d.get("message", ""))) for d in error.get("details", [])))
    else:
        seen = (tuple((c, blank(m)) for c, m in answer["flashes"]), tuple(blank(m) for m in _page_errors(answer["text"])),
                blank(answer["text"]) if answer["status"] >= 400 else "")
    return answer["status"], seen


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_body_id_out_of_scope_is_refused_like_a_missing_one(case, world, role_clients, isolated, connection):
    sec.FIGURES["authz_checks"] += 3
    own = _send(case, world, role_clients, isolated, connection, "own")
    assert own["written"] >= 1 and own["status"] < 400, (
        f"{case.id}: 本人/本工作室的编号应当被接受（{own['status']}，{own['flashes'] or own['json']}）")
    other = _send(case, world, role_clients, isolated, connection, "other")
    problem = _refused(case, other)
    assert problem is None, f"{case.id}: 请求体中的 {case.field} 指向其他工作室/代表：{problem}"
    missing = _send(case, world, role_clients, isolated, connection, "missing")
    assert _refused(case, missing) is None
    assert _shape(other, world) == _shape(missing, world), (
        f"{case.id}: 越权的编号与不存在的编号回答不同（存在性泄露）：\n{_shape(other, world)}\n{_shape(missing, world)}")
    leaked = [s for s in (sec.OTHER_DELEGATE, sec.OTHER_OFFICE_NAME) if s in other["text"]]
    assert not leaked, f"{case.id}: 拒绝时泄露了 {leaked}"


def test_body_fields_are_the_declared_ones():
    """Each id field of the forms and API bodies a scoped role can post is in BODY_FIELDS (and covered above)."""
    from election.duties import api_schemas, forms

    found = set()
    for name in ("ActivityForm", "PetitionForm", "ProposalForm", "RatingForm"):
        form = getattr(forms, name)
        found |= {(name, f) for f in dir(form) if f.endswith("_id") and not f.startswith("_")}
    for name in ("ACTIVITY_IN", "PETITION_IN", "PROPOSAL_IN", "MOVE_IN", "RETURN_IN", "REPLY_IN", "ASSESS_IN",
                 "RATING_IN"):
        props = getattr(api_schemas, name)["properties"]
        found |= {(name, f) for f in props if f.endswith("_id")}
    assert found == BODY_FIELDS, f"新的请求体编号字段须加入本测试：{sorted(found ^ BODY_FIELDS)}"
    covered = {c.field for c in CASES}
    assert {f for _, f in BODY_FIELDS} <= covered


def test_scoped_forms_name_no_other_ids():
    """The 推荐单位's and the 考察组's writes name no id in their body (their objects are in the path)."""
    from election.nominations import forms as nforms
    from election.vetting import forms as vforms

    for form in (nforms.NomineeForm, nforms.StatisticsForm, nforms.UploadForm, vforms.VettingForm,
                 vforms.ConcludeForm, vforms.ComplaintCheckForm):
        ids = [f for f in dir(form) if f.endswith(("_id", "_ids"))]
        assert not ids, f"{form.__name__} 的请求体含有编号字段 {ids}：请在本测试中加入它的越权检查"
