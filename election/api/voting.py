"""Ballot rounds with their tallies, the result and the elected delegates (issue 7 services), read-only."""
from __future__ import annotations

from sqlalchemy import select

from election.api import (
    DATE,
    DATETIME,
    PAGE_PARAMS,
    I,
    S,
    arr,
    component,
    endpoint,
    nullable,
    obj,
    page_of,
    paginate,
    tag,
    user,
    utc,
)
from election.api.scope import READERS, election_or_404
from election.db import db
from election.models.voting import BallotRound, Delegate, VotingResult

TAG = tag("选举计票", "差额选举的各轮投票、计票结果、当选代表")

ROUND = component("BallotRound", obj({
    "id": I(), "election_id": I(), "round_no": I("第几轮"), "kind": S(enum=["regular", "repeat", "revote", "additional"]),
    "seats": I(), "eligible": I("应到会"), "present": I("实到会"), "ballots_issued": I(), "ballots_collected": I(),
    "candidates": arr(S(), "候选人（姓氏笔画序）"), "count_mode": S(enum=["totals", "ballots"]),
    "status": S(enum=["open", "confirmed", "closed"]),
    "confirmed_totals": nullable({"type": "object", "description": "两名计票人一致后的票数"}),
    "result": nullable({"type": "object", "description": "计票结果：有效性、过半数、当选、并列"}),
    "explanation": S(), "opened_at": DATETIME(), "closed_at": nullable(DATETIME()),
}))
RESULT = component("VotingResult", obj({
    "election_id": I(), "recorded": {"type": "boolean"}, "elected": arr(S(), "当选人（姓氏笔画序）"),
    "quota_warnings": arr(S()), "explanation": S(), "recorded_at": nullable(DATETIME()),
    "reported_on": nullable(DATE()), "report_doc_number": nullable(S()),
}))
DELEGATE = component("Delegate", obj({
    "id": I(), "election_id": I(), "name": S(), "gender": S(), "ethnicity": S(), "birth_date": nullable(DATE()),
    "category": S(), "unit": S("工作单位及职务"), "votes": I("得票数"),
}))


@endpoint("GET", "/elections/<int:election_id>/rounds", summary="投票轮次及计票", tag=TAG,
          response=page_of(ROUND, "BallotRound"), roles=READERS, query=PAGE_PARAMS)
def list_rounds(election_id: int, args):
    election = election_or_404(user(), election_id)
    query = select(BallotRound).where(BallotRound.election_id == election.id).order_by(BallotRound.round_no)
    return paginate(db.session, query, args).as_dict(lambda r: {
        "id": r.id, "election_id": r.election_id, "round_no": r.round_no, "kind": r.kind, "seats": r.seats,
        "eligible": r.eligible, "present": r.present, "ballots_issued": r.ballots_issued,
        "ballots_collected": r.ballots_collected, "candidates": list(r.candidates or []), "count_mode": r.count_mode,
        "status": r.status, "confirmed_totals": r.confirmed_totals, "result": r.result, "explanation": r.explanation,
        "opened_at": utc(r.opened_at), "closed_at": utc(r.closed_at)})


@endpoint("GET", "/elections/<int:election_id>/result", summary="选举结果", tag=TAG, response=RESULT, roles=READERS)
def get_result(election_id: int, args):
    election = election_or_404(user(), election_id)
    r = db.session.scalar(select(VotingResult).where(VotingResult.election_id == election.id))
    if r is None:
        return {"election_id": election.id, "recorded": False, "elected": [], "quota_warnings": [], "explanation": "",
                "recorded_at": None, "reported_on": None, "report_doc_number": None}
    return {"election_id": election.id, "recorded": True, "elected": list(r.elected or []),
            "quota_warnings": list(r.quota_warnings or []), "explanation": r.explanation,
            "recorded_at": utc(r.recorded_at), "reported_on": r.reported_on, "report_doc_number": r.report_doc_number}


@endpoint("GET", "/elections/<int:election_id>/delegates", summary="当选代表", tag=TAG,
          response=page_of(DELEGATE, "Delegate"), roles=READERS, query=PAGE_PARAMS)
def list_delegates(election_id: int, args):
    election = election_or_404(user(), election_id)
    query = select(Delegate).where(Delegate.election_id == election.id).order_by(Delegate.id)
    return paginate(db.session, query, args).as_dict(lambda d: {
        "id": d.id, "election_id": d.election_id, "name": d.name, "gender": d.gender, "ethnicity": d.ethnicity,
        "birth_date": d.birth_date, "category": d.category, "unit": d.unit, "votes": d.votes})


