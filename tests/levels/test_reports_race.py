"""Packages sent and decided K times at once against gunicorn on PostgreSQL (4 workers): one package, one decision,
one recorded ElectionDecision, the repeats refused cleanly (409/422 with a Chinese message), never a 500.
SQLite's BEGIN IMMEDIATE serialises anyway; PostgreSQL shows whether the election's and the package's row locks hold."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.security import conftest as sec
from workflow.common.idcard import make_id

pytestmark = pytest.mark.slow
K = 6


def _seed(url: str) -> dict:
    from election.accounts.models import User
    from election.api import credentials as api_tokens
    from election.core.clock import utcnow
    from election.core.db import make_engine
    from election.directory.models import ElectionUnit, Organisation, Unit
    from election.elections.models import Election, ElectionDecision
    from election.levels.models import Congress, CongressUnit, UpwardReport
    from election.nominations.models import Nominee

    engine = make_engine(url)
    ids: dict = {}
    with Session(engine) as s:
        city = Organisation(code="RC-CITY", name="竞态市委组织部", category="党委")
        s.add(city)
        s.flush()
        district = Organisation(code="RC-D", name="竞态区委", category="党委", parent_id=city.id)
        unit = Unit(code="RC-U", name="竞态推荐单位", kind="党工委")
        congress = Congress(title="竞态上级选举", organisation_id=city.id, seats=760)
        s.add_all([district, unit, congress])
        s.flush()
        for what in ("submit", "approve"):
            e = Election(title=f"竞态子选举{what}", seats=2, stage="preliminary", organisation_id=district.id,
                         congress_id=congress.id, age_reference_date=date(2026, 4, 10))
            s.add(e)
            s.flush()
            if what == "submit":  # one allocation per 选举单位: the other election is just another of its own
                s.add(CongressUnit(congress_id=congress.id, organisation_id=district.id, election_id=e.id, seats=2))
            eu = ElectionUnit(election_id=e.id, unit_id=unit.id, quota=3, report_count=3)
            s.add(eu)
            s.add(ElectionDecision(election_id=e.id, kind="preliminary", body="区委常委会", held_on=date(2026, 3, 2),
                                   doc_number="区委常〔2026〕5号"))
            s.flush()
            for i, name in enumerate(("王芳", "李娜", "张伟")):
                s.add(Nominee(election_id=e.id, election_unit_id=eu.id, name=name, gender="男", ethnicity="汉族",
                              birth_date=date(1975, 3, 1 + i), category="其他一线", step="preliminary",
                              id_number=make_id("110105", date(1975, 3, 1 + i), i + (10 if what == "approve" else 0),
                                                True)))
            ids[what] = e.id
        s.flush()
        report = UpwardReport(election_id=ids["approve"], kind="consent", people=[{"key": "n1", "name": "王芳"}],
                              documents=[], submitted_at=utcnow())
        s.add(report)
        office = User(username="rc_office", display_name="竞态选举办", role="office", organisation_id=district.id,
                      password_hash=sec.cheap_hash())
        upper = User(username="rc_upper", display_name="竞态上级", role="upper", organisation_id=city.id,
                     password_hash=sec.cheap_hash())
        s.add_all([office, upper])
        s.flush()
        ids["report"] = report.id
        ids["office"] = api_tokens.create_token(s, office, "竞态", 30, utcnow()).secret
        ids["upper"] = api_tokens.create_token(s, upper, "竞态", 30, utcnow()).secret
        s.commit()
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    from election.core.db import make_engine

    tmp = tmp_path_factory.mktemp("levels-race")
    url = sec.fresh_database("postgresql", request, tmp, "election_levels_race")
    ids = _seed(url)
    srv = sec.start_server(url, tmp, workers=4)
    engine = make_engine(url)
    yield srv, ids, engine
    srv.stop()
    engine.dispose()


def _burst(url: str, token: str, body: dict) -> list[requests.Response]:
    headers = {"Authorization": f"Bearer {token}"}
    with ThreadPoolExecutor(K) as pool:
        return list(pool.map(lambda _: requests.post(url, json=body, headers=headers, timeout=60), range(K)))


def _refused_cleanly(answers: list[requests.Response], ok: int) -> None:
    codes = sorted(r.status_code for r in answers)
    assert codes.count(ok) == 1 and all(c in (409, 422) for c in codes if c != ok), codes
    for r in answers:
        if r.status_code != ok:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["error"]["message"])


def test_submit_sent_six_times_at_once_makes_one_package(server):
    from election.audit.models import AuditEntry
    from election.levels.models import UpwardReport

    srv, ids, engine = server
    answers = _burst(f"{srv.url}/api/v1/elections/{ids['submit']}/upward-reports", ids["office"], {"kind": "consent"})
    _refused_cleanly(answers, 201)
    sec.FIGURES["concurrent_requests"] += K
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(UpwardReport)
                        .where(UpwardReport.election_id == ids["submit"])) == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "levels.report.submit", AuditEntry.object_type == "upward_reports")) == 1


def test_approve_sent_six_times_at_once_makes_one_decision(server):
    from election.audit.models import AuditEntry
    from election.elections.models import ElectionDecision
    from election.levels.models import UpwardReport

    srv, ids, engine = server
    from election.core.clock import today_local

    answers = _burst(f"{srv.url}/api/v1/upward-reports/{ids['report']}/approve", ids["upper"],
                     {"decided_on": today_local().isoformat(), "doc_number": "市委组〔2026〕9号"})
    _refused_cleanly(answers, 200)
    sec.FIGURES["concurrent_requests"] += K
    with Session(engine) as s:
        assert s.get(UpwardReport, ids["report"]).status == "approved"
        assert s.scalar(select(func.count()).select_from(ElectionDecision).where(
            ElectionDecision.election_id == ids["approve"], ElectionDecision.kind == "higher_consent")) == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "levels.report.approve")) == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "election.decision", AuditEntry.object_id == str(ids["approve"]))) == 1
