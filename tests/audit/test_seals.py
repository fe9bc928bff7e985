"""`election audit verify` also checks the business data the audit fixed (issue 19): a confirmed tally, a submitted
unit list, a published notice and the stage history each carry a digest on their audit entry; a change made directly
in the database is named, untouched data verifies."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select, update

from election.audit.seals import fixed, verify_seals
from election.audit.services import audit
from election.cli import cli
from election.directory.models import ElectionUnit
from election.elections.models import Election
from election.elections.services import MEETING_RULES
from election.nominations.models import Nominee
from election.vetting.models import Notice
from election.voting import services as voting
from election.voting.models import BallotRound
from workflow.common.idcard import make_id
from workflow.tally.rules import Totals

NOW = datetime(2019, 4, 10, 2, 0)
CONTACT = {"office_name": "区委组织部", "office_phone": "0000-1234567", "office_address": "某路1号",
           "office_mailbox": "某信箱"}


def _tampered(session, statement):
    """A change made straight in the database, past every use case."""
    session.execute(statement)
    session.expire_all()
    return verify_seals(session)


@pytest.fixture
def office(make_user, session):
    user = make_user("office")
    session.commit()
    return user


@pytest.fixture
def unit_list(session, make_election, office):
    """A unit's list of three, submitted (the seal as nominations.submit writes it)."""
    election = make_election(stage="nominate", units=1)
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
    for i, name in enumerate(["王芳", "李娜", "张伟"]):
        session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender="女", ethnicity="汉族",
                            birth_date=date(1975, 3, 1 + i), id_number=make_id("110105", date(1975, 3, 1 + i), i, False),
                            category="其他一线", workplace_title=f"{name}的单位"))
    eu.status, eu.submitted_at = "submitted", NOW
    audit(session, office, "nominations.submit", eu, summary="提交", now=NOW, seal=fixed(session, "unit_list", eu.id))
    session.commit()
    return eu


@pytest.fixture
def confirmed_round(session, make_election, make_user, office):
    """A round counted by two tellers and confirmed through the voting use cases."""
    election = make_election(stage="ballot", units=1, seats=2, voters=10,
                             settings={"meeting_rules": MEETING_RULES["地方组织"], "margins": {"final_ballot": "1/5"}})
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
    for i, name in enumerate(["王芳", "李娜", "张伟"]):
        session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender="男", ethnicity="汉族",
                            birth_date=date(1975, 3, 1 + i), id_number=make_id("110105", date(1975, 3, 1 + i), i, True),
                            category="其他一线", step="confirmed", workplace_title="单位"))
    tellers = make_user("teller"), make_user("teller")
    session.commit()
    rnd = voting.open_round(session, office, election.id, voting.RoundInput(10, 10, 10, 10), NOW)
    totals = Totals(10, 0, {"王芳": 8, "李娜": 7, "张伟": 3})
    voting.enter_totals(session, tellers[0], rnd.id, 1, totals, NOW)
    voting.enter_totals(session, tellers[1], rnd.id, 2, totals, NOW)
    voting.confirm_count(session, tellers[0], rnd.id, NOW)
    return rnd


def test_untouched_data_verifies(session, unit_list, confirmed_round):
    report = verify_seals(session)
    assert report.ok and report.checked >= 2


def test_a_confirmed_tally_total_changed_in_the_database_is_named(session, confirmed_round):
    totals = dict(session.get(BallotRound, confirmed_round.id).confirmed_totals)
    totals["for"] = {**totals["for"], "张伟": 9}
    report = _tampered(session, update(BallotRound).where(BallotRound.id == confirmed_round.id)
                       .values(confirmed_totals=totals))
    assert not report.ok and "第1轮计票" in report.reason and "赞成票" in report.reason


def test_closing_the_round_seals_again_and_still_verifies(session, confirmed_round, office):
    voting.close_round(session, office, confirmed_round.id, NOW)
    assert verify_seals(session).ok
    report = _tampered(session, update(BallotRound).where(BallotRound.id == confirmed_round.id)
                       .values(result={"elected": ["张伟"]}))
    assert "计票结论" in report.reason


def test_a_submitted_nominee_name_changed_in_the_database_is_named(session, unit_list):
    nominee = session.scalars(select(Nominee).where(Nominee.election_unit_id == unit_list.id)).first()
    report = _tampered(session, update(Nominee).where(Nominee.id == nominee.id).values(name="赵六"))
    assert not report.ok and f"推荐人选#{nominee.id}" in report.reason and "赵六" in report.reason
    assert unit_list.unit.name in report.reason


def test_a_submitted_list_put_back_to_draft_in_the_database_is_named(session, unit_list):
    report = _tampered(session, update(ElectionUnit).where(ElectionUnit.id == unit_list.id)
                       .values(status="draft", submitted_at=None))
    assert not report.ok and "“状态”" in report.reason


def test_a_reopened_list_edited_afterwards_verifies(session, unit_list, office):
    """退回 seals "not submitted": the unit's edits after it are legitimate."""
    unit_list.status, unit_list.submitted_at = "draft", None
    audit(session, office, "nominations.reopen", unit_list, summary="退回", now=NOW,
          seal=fixed(session, "unit_list", unit_list.id))
    session.commit()
    session.execute(update(Nominee).where(Nominee.election_unit_id == unit_list.id).values(remark="改过"))
    assert verify_seals(session).ok


def test_a_published_notice_text_changed_in_the_database_is_named(session, unit_list, office):
    notice = Notice(election_id=unit_list.election_id, kind="first", election_unit_id=unit_list.id, title="第一次公示",
                    status="published", posted_on=date(2026, 3, 2), period_end=date(2026, 3, 6), published_at=NOW,
                    people_ids=[1, 2], **CONTACT)
    session.add(notice)
    session.flush()
    audit(session, office, "notice.publish", notice, summary="发布", now=NOW, seal=fixed(session, "notice", notice.id))
    session.commit()
    assert verify_seals(session).ok
    report = _tampered(session, update(Notice).where(Notice.id == notice.id).values(title="改过的公示"))
    assert not report.ok and "改过的公示" in report.reason and "“标题”" in report.reason


def test_a_stage_changed_in_the_database_is_named(session, make_election, office):
    election = make_election(stage="nominate", units=1, title="阶段测试选举")
    audit(session, office, "election.advance", election, summary="推进", now=NOW,
          seal=fixed(session, "stage", election.id))
    session.commit()
    assert verify_seals(session).ok
    report = _tampered(session, update(Election).where(Election.id == election.id).values(stage="ballot"))
    assert not report.ok and "阶段测试选举" in report.reason and "当前阶段" in report.reason


def test_cli_verify_names_the_business_mismatch(app, session, confirmed_round):
    info, round_id = ScriptInfo(create_app=lambda: app), confirmed_round.id
    assert CliRunner().invoke(cli, ["audit", "verify"], obj=info).exit_code == 0
    session.execute(update(BallotRound).where(BallotRound.id == round_id).values(candidates=["王芳"]))
    bad = CliRunner().invoke(cli, ["audit", "verify"], obj=info)
    assert bad.exit_code == 1 and "业务数据校验失败" in bad.output and "候选人" in bad.output
