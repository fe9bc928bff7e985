"""The demo's two later elections (seeds/later_stages.py): the 考察组, 纪检 and 监票计票人员 log in to work waiting for
them, the elections got there by the rules (the stage history, the decisions and 公示 the guards ask for), and a second
load makes nothing."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from election.accounts.models import User
from election.audit.models import AuditEntry
from election.dashboard.work import discipline_work, inspector_work, teller_work
from election.elections.models import Election, ElectionDecision, StageChange, StageDue
from election.nominations.models import Nominee
from election.vetting.models import Complaint, InspectorAssignment, Notice, Vetting
from election.voting.models import BallotRound, HigherNominee, TellerEntry
from seeds.demo import load_demo
from seeds.later_stages import BALLOT_TITLE, VET_TITLE

DAY = date(2026, 12, 4)  # a Friday
MODELS = (Election, StageChange, StageDue, ElectionDecision, Nominee, InspectorAssignment, Vetting, Notice, Complaint,
          BallotRound, TellerEntry, HigherNominee, AuditEntry)


def _user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def _election(session, title: str) -> Election:
    return session.scalar(select(Election).where(Election.title == title))


def _counts(session) -> dict[str, int]:
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in MODELS}


@pytest.fixture
def demo(session):
    assert load_demo(session, today=DAY) is True
    return session


def test_inspector_has_assigned_people_with_open_items(demo):
    work = inspector_work(demo, _user(demo, "inspector").id)
    mine = list(work.people)  # the 区直机关 election's 考察 was done by its own 考察组 (inspector2)
    assert len(mine) == 6 and {p.election_title for p in mine} == {VET_TITLE}
    assert sum(1 for p in mine if p.conclusion == "passed") == 2
    open_people = [p for p in mine if p.conclusion is None]
    assert len(open_people) == 4 and work.open_people == 4 and all(p.needs for p in open_people)
    # two half done (档案 and 民主测评 in), two not begun: more is missing for the latter
    assert sorted(len(p.needs) for p in open_people)[:2] < sorted(len(p.needs) for p in open_people)[2:]
    # three 考察对象 still wait for the office to assign a 考察组 member
    vet = _election(demo, VET_TITLE)
    shortlisted = demo.scalar(select(func.count()).select_from(Nominee).where(
        Nominee.election_id == vet.id, Nominee.step == "shortlisted"))
    assert shortlisted == 9 == len(mine) + 3


def test_discipline_has_opinions_waiting_and_a_complaint_to_check(demo):
    work = discipline_work(demo, _user(demo, "discipline").id)
    waiting = [p for p in work.opinions if p.election_title == VET_TITLE]
    assert len(waiting) == 5
    assert [c.election_title for c in work.complaints] == [VET_TITLE]
    assert work.complaints[0].status_label == "已交办"


def test_tellers_have_an_open_round_awaiting_both_entries(demo):
    for username in ("teller", "teller2"):
        work = teller_work(demo, _user(demo, username).id)
        (task,) = work.rounds
        assert task.election_title == BALLOT_TITLE and task.round_no == 1 and task.count_mode == "totals"
        assert task.free_entry is not None and task.free_entry.entry_no == 1 and task.my_entry is None
    rnd = demo.scalar(select(BallotRound))
    # 6 seats and the 区委提名 one; 8 预备人选 and 1 上级提名 candidate on the ballot
    assert (rnd.seats, len(rnd.candidates), rnd.status) == (7, 9, "open")
    assert rnd.eligible == _election(demo, BALLOT_TITLE).voters


def test_elections_came_through_every_stage_with_its_decisions(demo):
    vet, ballot = _election(demo, VET_TITLE), _election(demo, BALLOT_TITLE)
    assert (vet.stage, ballot.stage) == ("vet", "ballot")
    for election, last in ((vet, "vet"), (ballot, "ballot")):
        moves = demo.scalars(select(StageChange).where(StageChange.election_id == election.id)
                             .order_by(StageChange.at)).all()
        stages = ["plan", "deploy", "nominate", "shortlist", "vet", "preliminary", "confirm", "ballot"]
        assert [m.to_stage for m in moves] == stages[:stages.index(last) + 1]
        assert all(m.at.date() < DAY + timedelta(days=1) for m in moves)
        dues = {d.stage: d.due_date for d in election.dues}
        assert len(dues) == 9 and list(dues.values()) == sorted(dues.values())
        assert dues[last] >= DAY  # the current stage is not overdue
    kinds = set(demo.scalars(select(ElectionDecision.kind).where(ElectionDecision.election_id == ballot.id)))
    assert kinds == {"shortlist", "preliminary", "higher_consent", "confirm", "approval"}
    assert {d.stage: d.due_date for d in ballot.dues}["ballot"] == DAY  # the 党员代表会议 meets today
    notices = demo.scalars(select(Notice).where(Notice.election_id == vet.id)).all()
    assert {n.status for n in notices} == {"draft", "published"} and len(notices) == 4
    assert all(n.posted_on <= DAY for n in notices)
    # the ballot election's 反映 was checked and closed during its first 公示
    (closed,) = demo.scalars(select(Complaint).join(Notice).where(Notice.election_id == ballot.id)).all()
    assert closed.status == "closed" and closed.findings


def test_people_are_valid_and_distinct_from_the_nomination_election(demo):
    people = demo.scalars(select(Nominee)).all()
    assert len({p.id_number for p in people}) == len(people)
    for title in (VET_TITLE, BALLOT_TITLE):
        election = _election(demo, title)
        mine = [p for p in people if p.election_id == election.id]
        assert len({p.name for p in mine}) == len(mine)
        assert {p.gender for p in mine} == {"男", "女"}


def test_a_second_load_makes_nothing(demo):
    first = _counts(demo)
    assert load_demo(demo, today=DAY) is False
    assert load_demo(demo, today=DAY + timedelta(days=30)) is False
    assert _counts(demo) == first


def test_office_home_still_opens_on_the_nomination_election(demo):
    """The later elections are made first, so the newest — the one the office home shows — is the 推荐提名 one."""
    newest = demo.scalar(select(Election).order_by(Election.id.desc()).limit(1))
    assert newest.stage == "nominate"
