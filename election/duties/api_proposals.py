"""提案 and 提议 over the API (/duties/proposals): the list, one proposal, registering one with its co-signers, the
handling unit's reply and the assessment of that reply."""
from __future__ import annotations

from sqlalchemy import select

from election.api import PAGE_PARAMS, Param, S, endpoint, not_found, page_of, paginate, parse_date, user, utc
from election.core.clock import utcnow
from election.core.db import db
from election.core.permissions import has_role
from election.duties import services as svc
from election.duties.api_schemas import (
    ASSESS_IN,
    AU,
    DL,
    ID,
    PROPOSAL,
    PROPOSAL_IN,
    REPLY_IN,
    STAFF,
    TAG,
    WRITERS,
    YEAR,
)
from election.duties.api_scope import _loggable, _own_delegate, _scope, _year_range
from election.duties.models import Proposal, ProposalCosigner, TermDelegate


def _proposals_out(items: list[Proposal]):
    ids = [p.id for p in items]
    names: dict[int, list[dict]] = {i: [] for i in ids}
    if ids:
        for pid, did, name in db.session.execute(
                select(ProposalCosigner.proposal_id, TermDelegate.id, TermDelegate.name)
                .join(TermDelegate, TermDelegate.id == ProposalCosigner.delegate_id)
                .where(ProposalCosigner.proposal_id.in_(ids)).order_by(ProposalCosigner.id)):
            names[pid].append({"delegate_id": did, "name": name})

    def convert(p: Proposal) -> dict:
        return {"id": p.id, "kind": p.kind, "lead_delegate_id": p.lead_delegate_id, "lead_name": p.lead.name,
                "title": p.title, "grounds": p.grounds, "solution": p.solution, "submitted_on": p.submitted_on,
                "handling_unit": p.handling_unit, "reply": p.reply, "replied_on": p.replied_on,
                "assessment": p.assessment, "cosigners": names.get(p.id, []), "created_at": utc(p.created_at),
                "session_id": p.session_id, "filing": p.filing}

    return convert


@endpoint("GET", "/duties/proposals", summary="提案和提议", tag=TAG, response=page_of(PROPOSAL, "Proposal"),
          roles=(*STAFF, DL),
          query=(*PAGE_PARAMS, Param("kind", S(enum=["proposal", "motion"]), "提案或提议"),
                 Param("year", YEAR, "提出日期所在年份"), Param("delegate_id", ID, "按领衔代表筛选")),
          description="按提出日期倒序。工作室人员只看到本工作室代表领衔的，代表只看到本人领衔的。")
def list_proposals(args):
    query = (select(Proposal).join(TermDelegate, TermDelegate.id == Proposal.lead_delegate_id)
             .order_by(Proposal.submitted_on.desc(), Proposal.id.desc()))
    if has_role(user(), DL):
        own = _own_delegate()
        query = query.where(Proposal.lead_delegate_id == (own.id if own else 0))
    elif _scope() is not None:
        query = query.where(TermDelegate.office_id == _scope())
    if args["kind"]:
        query = query.where(Proposal.kind == args["kind"])
    if args["delegate_id"]:
        query = query.where(Proposal.lead_delegate_id == args["delegate_id"])
    if args["year"]:
        first, last = _year_range(args["year"])
        query = query.where(Proposal.submitted_on >= first, Proposal.submitted_on <= last)
    page = paginate(db.session, query, args)
    return page.as_dict(_proposals_out(page.items))


@endpoint("GET", "/duties/proposals/<int:proposal_id>", summary="提案详情", tag=TAG, response=PROPOSAL,
          roles=(*STAFF, DL), description="领衔代表本人、本工作室人员、组织部和审计可查看；其他返回404。")
def get_proposal(proposal_id: int, args):
    p = db.session.get(Proposal, proposal_id)
    if p is None or not (svc.can_log_for(user(), p.lead) or has_role(user(), AU)):
        raise not_found("提案")
    return _proposals_out([p])(p)


@endpoint("POST", "/duties/proposals", summary="登记提案或提议", tag=TAG, response=PROPOSAL, status=201,
          roles=(*WRITERS, DL), body=PROPOSAL_IN,
          description="案由、案据、方案必填。领衔和联署代表按履职规则计分（联署提案每年封顶）；"
                      "代表本人登记的待工作室核实，工作室人员登记的直接核实。")
def create_proposal(args, body):
    lead = _loggable(body.get("lead_delegate_id"), "lead_delegate_id", "领衔代表")
    data = svc.ProposalInput(lead.id, body["title"], body["grounds"], body["solution"],
                             parse_date(body["submitted_on"], "submitted_on", "提出日期"),
                             tuple(body.get("cosigner_ids") or ()), body.get("handling_unit") or "",
                             body.get("kind") or "proposal")
    p = svc.create_proposal(db.session, user(), data, utcnow())
    return _proposals_out([p])(p)


@endpoint("POST", "/duties/proposals/<int:proposal_id>/reply", summary="登记承办单位的答复", tag=TAG,
          response=PROPOSAL, roles=WRITERS, body=REPLY_IN,
          description="本工作室代表领衔的提案（组织部：所有提案）；其他返回404。可再次登记以更正答复。"
                      "提交到年会的提案由组织部登记答复，须已立案或转为建议，否则返回422。")
def reply_proposal(proposal_id: int, args, body):
    p = db.session.get(Proposal, proposal_id)
    if p is None or not svc.can_staff_office(user(), p.lead.office_id):
        raise not_found("提案")
    replied_on = parse_date(body["replied_on"], "replied_on", "答复日期")
    svc.reply_proposal(db.session, user(), p.id, body["handling_unit"], body["reply"], replied_on, utcnow())
    db.session.refresh(p)
    return _proposals_out([p])(p)


@endpoint("POST", "/duties/proposals/<int:proposal_id>/assessment", summary="评价答复", tag=TAG, response=PROPOSAL,
          roles=(*WRITERS, DL), body=ASSESS_IN,
          description="领衔代表本人或本工作室人员评价承办单位的答复；尚未答复时返回422，其他人的提案返回404。")
def assess_proposal(proposal_id: int, args, body):
    p = db.session.get(Proposal, proposal_id)
    if p is None or not svc.can_log_for(user(), p.lead):
        raise not_found("提案")
    svc.assess_proposal(db.session, user(), p.id, body["assessment"], utcnow())
    db.session.refresh(p)
    return _proposals_out([p])(p)
