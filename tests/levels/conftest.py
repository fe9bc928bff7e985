"""Fixtures of the levels tests: a city (上级) with a congress over two 选举单位, one election at 确定初步人选 and
one at 确定预备人选 (with a 上级提名人选), and another city whose upper committee must reach none of it. Built from
the models directly; ``make_child(stage)`` builds one more child election of the congress at any of the three
reporting stages."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select

from election.directory.models import ElectionUnit, Organisation
from election.elections.models import ElectionDecision
from election.levels.models import Congress, CongressUnit
from election.nominations.models import Nominee
from election.voting.models import ConfirmMeeting, Delegate, HigherNominee, VotingResult
from workflow.common.idcard import make_id

NAMES = ["王芳", "李娜", "张伟", "陈静", "刘强"]
_seq = itertools.count(1)


@dataclass
class LevelsWorld:
    city: Organisation
    other_city: Organisation
    congress: Congress
    preliminary: object   # the child election at 确定初步人选
    confirm: object       # the child election at 确定预备人选
    upper: object         # the city's 上级组织部门 user
    other_upper: object   # another city's
    office: object        # the 选举办 of the 选举单位 of ``preliminary``
    office_b: object      # the 选举办 of the 选举单位 of ``confirm``
    make_child: object


@pytest.fixture
def levels_world(session, make_election, make_user) -> LevelsWorld:
    n = next(_seq)
    city = Organisation(code=f"LV-CITY{n}", name="某市委组织部", category="党委")
    other_city = Organisation(code=f"LV-OTHER{n}", name="另一市委组织部", category="党委")
    session.add_all([city, other_city])
    session.flush()
    congress = Congress(title="出席市第十二次党代会代表选举", organisation_id=city.id, seats=760)
    session.add(congress)
    session.flush()

    def make_child(stage: str, people: int = 3) -> object:
        k = next(_seq)
        org = Organisation(code=f"LV-D{k}", name=f"第{k}区委", category="党委", parent_id=city.id)
        session.add(org)
        session.flush()
        election = make_election(stage=stage, units=1, seats=2, title=f"第{k}区出席市党代会代表选举",
                                 organisation_id=org.id, congress_id=congress.id)
        session.add(CongressUnit(congress_id=congress.id, organisation_id=org.id, election_id=election.id, seats=2))
        eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
        step = {"preliminary": "preliminary"}.get(stage, "confirmed")
        nominees = []
        for i, name in enumerate(NAMES[:people]):
            nominee = Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender="女" if i % 2 else "男",
                              ethnicity="汉族", birth_date=date(1975, 3, 1 + i), category="其他一线", step=step,
                              id_number=make_id("110105", date(1975, 3, 1 + i), (k * 10 + i) % 500, i % 2 == 0),
                              workplace_title=f"{name}所在单位职务")
            session.add(nominee)
            nominees.append(nominee)
        session.add(ElectionDecision(election_id=election.id, kind="preliminary", body="区委常委会",
                                     held_on=date(2026, 3, 2), doc_number="区委常〔2026〕5号"))
        session.flush()
        if stage in ("confirm", "report"):
            session.add(ConfirmMeeting(election_id=election.id, body="全委会", held_on=date(2026, 3, 20), members=40,
                                       attendance=38, mode="list", chosen=[p.id for p in nominees]))
            session.add(HigherNominee(election_id=election.id, name="赵上级", gender="男", birth_date=date(1970, 1, 1)))
        if stage == "report":
            session.add(VotingResult(election_id=election.id, elected=[p.name for p in nominees[:2]]))
            session.add_all(Delegate(election_id=election.id, nominee_id=p.id, name=p.name, gender=p.gender,
                                     ethnicity=p.ethnicity, birth_date=p.birth_date, category=p.category,
                                     unit=p.workplace_title, votes=30) for p in nominees[:2])
        session.flush()
        return election

    preliminary, confirm = make_child("preliminary"), make_child("confirm")
    world = LevelsWorld(
        city=city, other_city=other_city, congress=congress, preliminary=preliminary, confirm=confirm,
        upper=make_user("upper", organisation_id=city.id), other_upper=make_user("upper", organisation_id=other_city.id),
        office=make_user("office", organisation_id=preliminary.organisation_id),
        office_b=make_user("office", organisation_id=confirm.organisation_id), make_child=make_child)
    session.commit()  # a savepoint of the test's transaction: a refused use case keeps the set-up
    return world


NOW = datetime(2026, 3, 25, 2, 0)   # 10:00 in 北京
TODAY = date(2026, 3, 25)
