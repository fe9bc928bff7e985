"""The demo data set: domain.md §2's 某区出席市第十二次党代会代表选举, users for every role, synthetic people.

`load_demo(session)` is idempotent: units, users and the election are looked up by their natural keys and
only what is missing is created, so running it twice changes nothing.
"""
from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.accounts.services import create_user
from election.audit.services import audit
from election.core.db import transaction
from election.core.roles import Role
from election.directory.models import DelegateOffice, ElectionUnit, Unit
from election.elections.models import Election, StageDue
from election.nominations.models import Nominee
from workflow.common.idcard import make_id

DATA = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - demo data only; printed by `make demo`
DEMO_OFFICE = "城关街道党代表工作室"

# (username, role, display name); unit handlers are added per unit below
DEMO_STAFF = [
    ("admin", Role.admin, "组织部管理员"),
    ("office", Role.office, "选举办 王晓"),
    ("inspector", Role.inspector, "考察组 李明"),
    ("discipline", Role.discipline, "纪检 张锋"),
    ("teller", Role.teller, "计票人员 赵敏"),
    ("teller2", Role.teller, "计票人员 钱鹏"),  # the totals are entered twice, by two different tellers
    ("delegate", Role.delegate, "代表 孙丽华"),
    ("studio", Role.studio, "工作室 周强"),
    ("auditor", Role.auditor, "审计 吴静"),
]
DEMO_LOGINS = [(u, r.label, DEMO_PASSWORD) for u, r, _ in DEMO_STAFF[:2]] + [
    ("unit01", Role.unit.label + "（城关街道党工委）", DEMO_PASSWORD),
    ("unit02", Role.unit.label + "（东城街道党工委）", DEMO_PASSWORD),
] + [(u, r.label, DEMO_PASSWORD) for u, r, _ in DEMO_STAFF[2:]]

# the state of each unit's list in the demo: submitted (compliant), draft lists (some failing), nothing yet
SUBMITTED = ("GW01", "GW02", "GW04", "GW06", "GW12", "ZS01", "ZS02", "ZS03", "ZS05")
DRAFT_OK = ("GW07", "ZS04")
DRAFT_SHORT = ("GW03",)  # only 15 of the 17 to report
DRAFT_NO_FRONTLINE_WOMEN = ("GW05",)  # leaders over their share, too few 一线
REGIONS = ("110105", "130102", "370102", "410105", "320106", "330106", "340104", "420106", "430105", "510107",
           "610113", "150102", "640104")


@dataclass(frozen=True)
class PersonSpec:
    category: str
    title_pool: str
    age_range: tuple[int, int]


LEADER_BUREAU = PersonSpec("局级领导干部", "leader_titles_bureau", (46, 58))
LEADER_DIVISION = PersonSpec("处级领导干部", "leader_titles_division", (38, 52))
FRONTLINE = (
    PersonSpec("工人", "workers", (32, 52)),
    PersonSpec("农民", "farmers", (35, 55)),
    PersonSpec("其他先进模范", "other_models", (33, 50)),
    PersonSpec("专业技术人员", "professionals", (30, 50)),
    PersonSpec("专业技术人员", "professionals", (34, 54)),
    PersonSpec("专业技术人员", "professionals", (30, 45)),
    PersonSpec("其他一线", "other_frontline", (28, 45)),
    PersonSpec("其他一线", "other_frontline", (30, 48)),
)


def _read_units() -> list[dict]:
    with (DATA / "units.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _load_json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_demo(session: Session, now: datetime | None = None) -> bool:
    """Create whatever part of the demo is missing; returns True when anything was created."""
    created = False
    units = _ensure_units(session)
    created |= units[1]
    office_id = _ensure_office(session)
    for username, role, name in DEMO_STAFF:
        created |= _ensure_user(session, username, role, name, office_id=office_id if role is Role.studio else None)
    for i, row in enumerate(_read_units(), start=1):
        unit = units[0][row["code"]]
        created |= _ensure_user(session, f"unit{i:02d}", Role.unit, f"{unit.name}经办人", unit_id=unit.id)
    created |= _ensure_election(session, units[0], now)
    from seeds.duties_demo import load_duties_demo

    created |= load_duties_demo(session, now=now)
    return created


def _ensure_units(session: Session) -> tuple[dict[str, Unit], bool]:
    existing = {u.code: u for u in session.scalars(select(Unit))}
    missing = [row for row in _read_units() if row["code"] not in existing]
    if missing:
        with transaction(session):
            for row in missing:
                unit = Unit(code=row["code"], name=row["name"], kind=row["kind"],
                            grassroots_orgs=int(row["grassroots_orgs"]), members=int(row["members"]))
                session.add(unit)
                existing[unit.code] = unit
            session.flush()
            audit(session, None, "seed.units", object_type="units", summary=f"载入演示推荐单位{len(missing)}个",
                  after={"codes": [r["code"] for r in missing]})
    return existing, bool(missing)


def _ensure_office(session: Session) -> int:
    office = session.scalar(select(DelegateOffice).where(DelegateOffice.name == DEMO_OFFICE))
    if office is None:
        with transaction(session):
            office = DelegateOffice(name=DEMO_OFFICE, level="街道", address="城关街道便民服务中心二楼")
            session.add(office)
            session.flush()
            audit(session, None, "seed.office", office, summary=f"载入演示党代表工作室“{DEMO_OFFICE}”")
    return office.id


def _ensure_user(session: Session, username: str, role: Role, name: str, **kw) -> bool:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        return False
    create_user(session, None, username=username, password=DEMO_PASSWORD, role=role, display_name=name, **kw)
    return True


def _ensure_election(session: Session, units: dict[str, Unit], now: datetime | None) -> bool:
    spec = _load_json("election.json")
    if session.scalar(select(Election.id).where(Election.title == spec["title"])) is not None:
        return False
    names = _load_json("names.json")
    rng = random.Random(20190208)  # deterministic: the same demo on every machine
    ref = date.fromisoformat(spec["age_reference_date"])
    with transaction(session):
        election = Election(title=spec["title"], level=spec["level"], electing_body=spec["electing_body"],
                            convening_body=spec["convening_body"], seats=spec["seats"],
                            higher_nominated_seats=spec["higher_nominated_seats"], preset=spec["preset"],
                            voters=spec["voters"], age_reference_date=ref, settings=spec["settings"],
                            categories=spec["categories"], quota_rules=spec["quota_rules"], stage=spec["stage"])
        session.add(election)
        session.flush()
        for stage, due in spec["timeline"].items():
            session.add(StageDue(election_id=election.id, stage=stage, due_date=date.fromisoformat(due)))
        alloc = spec["unit_allocation"]
        used_ids: set[str] = set()
        nominee_total = 0
        submitted_at = datetime(2019, 2, 19, 8, 30)
        for row in _read_units():
            unit = units[row["code"]]
            code = row["code"]
            status = "submitted" if code in SUBMITTED else "draft"
            eu = ElectionUnit(election_id=election.id, unit_id=unit.id, quota=alloc["quota"],
                              report_count=alloc["report_count"], breakdown=alloc["breakdown"], status=status,
                              submitted_at=submitted_at if status == "submitted" else None,
                              participating_orgs=unit.grassroots_orgs if status == "submitted" else None,
                              participating_members=unit.members if status == "submitted" else None)
            session.add(eu)
            session.flush()
            if code in SUBMITTED or code in DRAFT_OK:
                specs = [LEADER_BUREAU] * 6 + [LEADER_DIVISION] * 3 + list(FRONTLINE)
            elif code in DRAFT_SHORT:
                specs = [LEADER_BUREAU] * 6 + [LEADER_DIVISION] * 3 + list(FRONTLINE[:6])
            elif code in DRAFT_NO_FRONTLINE_WOMEN:
                specs = [LEADER_BUREAU] * 9 + [LEADER_DIVISION] * 5 + list(FRONTLINE[:3])
            else:
                continue
            for position, person in enumerate(specs, start=1):
                female_share = 0.1 if code in DRAFT_NO_FRONTLINE_WOMEN else 0.42
                session.add(_person(rng, names, person, ref, election.id, eu.id, position, used_ids, female_share,
                                    unit.name))
                nominee_total += 1
        session.flush()
        audit(session, None, "seed.election", election, summary=f"载入演示选举“{election.title}”",
              after={"units": len(units), "nominees": nominee_total, "stage": election.stage}, now=now)
    return True


def _person(rng: random.Random, names: dict, spec: PersonSpec, ref: date, election_id: int, eu_id: int,
            position: int, used_ids: set[str], female_share: float, unit_name: str) -> Nominee:
    female = rng.random() < female_share
    surname = rng.choice(names["surnames"])
    given = rng.choice(names["given_female" if female else "given_male"])
    age = rng.randint(*spec.age_range)
    birth = ref - timedelta(days=age * 365 + rng.randint(0, 364))
    ethnicity = rng.choice(names["minorities"]) if rng.random() < 0.08 else "汉族"
    while True:
        number = make_id(rng.choice(REGIONS), birth, rng.randint(0, 499), not female)
        if number not in used_ids:
            used_ids.add(number)
            break
    joined = _safe_date(birth.year + rng.randint(19, 30), rng.randint(1, 12), 1, ref)
    work = _safe_date(birth.year + rng.randint(18, 24), rng.choice((7, 8, 9)), 1, ref)
    # the 学历 vocabulary of the nominee template (workflow.common.vocab.EDUCATION_LEVELS)
    education = rng.choice(("大学本科", "大学本科", "硕士研究生", "大学专科")) if spec.category != "农民" else \
        rng.choice(("高中", "大学专科"))
    return Nominee(election_id=election_id, election_unit_id=eu_id, position=position, name=surname + given,
                   gender="女" if female else "男", ethnicity=ethnicity, id_number=number, birth_date=birth,
                   native_place=rng.choice(names["native_places"]), education=education, party_join_date=joined,
                   work_start_date=work, workplace_title=_workplace(unit_name, rng.choice(names[spec.title_pool])),
                   category=spec.category)


def _workplace(unit_name: str, title: str) -> str:
    """城关街道 + 党工委书记: the unit's place name before the title (leaders' titles name their body)."""
    place = unit_name.removesuffix("党工委").removesuffix("党委")
    return place + title


def _safe_date(year: int, month: int, day: int, ref: date) -> date:
    d = date(year, month, day)
    return min(d, ref - timedelta(days=400))
