"""The demo data set: docs/rules.md §2's 某区出席市第十二次党代会代表选举, users for every role, synthetic people, the
organisation directory they belong to, and a year of term duties.

The dates are built from the day the demo is loaded (``today``, the local date by default; seeds/dates.py): the
election is in 推荐提名, due a few working days later, the earlier stages behind it in the sample plan's rhythm; the
年龄计算基准日 is not fixed but follows the 差额选举 stage's due date (docs/rules.md §3.2); the duty year is the
current year. `load_demo(session)` is idempotent: units, users and the election are looked up by their natural keys
and only what is missing is created, so running it twice — the same day or later — changes nothing. A load that
created something also runs the day's reminders once (late units, stages due, duties at risk, petitions overdue).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.accounts.services import create_user
from election.audit.services import audit
from election.calendar.services import load_calendar
from election.core.clock import LOCAL_TZ, today_local, utcnow
from election.core.db import transaction
from election.core.roles import Role
from election.directory.models import DelegateOffice, ElectionUnit, Organisation, Unit
from election.elections.models import Election, StageChange, StageDue
from election.nominations.models import Nominee
from seeds.dates import DemoDates, plan_demo_dates
from seeds.directory import CATEGORY_OF_KIND, DEMO_OFFICE, TOP_CODE, ensure_directory, ensure_offices, read_units
from seeds.later_stages import load_later_stages
from seeds.levels_demo import link_district, load_levels_demo
from workflow.common.idcard import make_id

DATA = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - demo data only; printed by `make demo`

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
# the district's own staff work in its part of the directory (中共某区委员会 and what is under it); the 管理员 and the
# 审计 see the whole installation, the 代表 and the 工作室 work on term duties (docs/rules.md §8.4)
DISTRICT_STAFF = frozenset({Role.office, Role.inspector, Role.discipline, Role.teller})
DEMO_LOGINS = [(u, r.label, DEMO_PASSWORD) for u, r, _ in DEMO_STAFF[:2]] + [
    ("unit01", Role.unit.label + "（城关街道党工委）", DEMO_PASSWORD),
    ("unit02", Role.unit.label + "（东城街道党工委）", DEMO_PASSWORD),
] + [(u, r.label, DEMO_PASSWORD) for u, r, _ in DEMO_STAFF[2:]] + [
    ("inspector2", Role.inspector.label + "（区直机关选举）", DEMO_PASSWORD),  # seeds/later_stages.py
    ("city", Role.upper.label + "（中共某市委员会）", DEMO_PASSWORD),  # seeds/levels_demo.py
    ("office2", Role.office.label + "（新区）", DEMO_PASSWORD),
    ("office3", Role.office.label + "（市直机关）", DEMO_PASSWORD),
]

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


def _load_json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_demo(session: Session, today: date | None = None, now: datetime | None = None) -> bool:
    """Create whatever part of the demo is missing, dated from TODAY (the local date by default); returns True when
    anything was created."""
    today = today or today_local()
    now = now or utcnow()
    created = ensure_offices(session, now)
    created |= ensure_directory(session, now)
    units = _ensure_units(session, now)
    created |= units[1]
    office_id = session.scalar(select(DelegateOffice.id).where(DelegateOffice.name == DEMO_OFFICE))
    district = session.scalar(select(Organisation.id).where(Organisation.code == TOP_CODE))
    for username, role, name in DEMO_STAFF:
        created |= _ensure_user(session, username, role, name, office_id=office_id if role is Role.studio else None,
                                organisation_id=district if role in DISTRICT_STAFF else None)
    for i, row in enumerate(read_units(), start=1):
        unit = units[0][row["code"]]
        created |= _ensure_user(session, f"unit{i:02d}", Role.unit, f"{unit.name}经办人", unit_id=unit.id,
                                organisation_id=district)
    created |= load_later_stages(session, today, now)  # the 考察 and 差额选举 elections, made first
    created |= load_levels_demo(session, today, now)   # the city above the district and its other 选举单位
    created |= _ensure_election(session, units[0], today, now)
    created |= link_district(session, now)             # the district's election: the city's child
    from seeds.duties_demo import load_duties_demo

    created |= load_duties_demo(session, today=today, now=now)
    from seeds.assembly_demo import load_assembly_demo

    created |= load_assembly_demo(session, today=today, now=now)  # the congress's sessions, on the duty roll
    if created:
        _first_reminders(session, today, now)
    return created


def _first_reminders(session: Session, today: date, now: datetime) -> None:
    """The day's reminders, as the scheduler's daily run would make them, so that the 提醒 of the office, the late
    units and the delegates are not empty on the first login (a run the same day again adds nothing)."""
    from election.duties.jobs import run_duty_reminders
    from election.notifications.services import run_daily_reminders

    run_daily_reminders(session, today, now)
    run_duty_reminders(session, today, now)


def _ensure_units(session: Session, now: datetime) -> tuple[dict[str, Unit], bool]:
    """The 推荐单位 the directory has not made (all of them when someone else's directory was there first)."""
    existing = {u.code: u for u in session.scalars(select(Unit))}
    missing = [row for row in read_units() if row["code"] not in existing]
    if missing:
        with transaction(session):
            for row in missing:
                unit = Unit(code=row["code"], name=row["name"], kind=CATEGORY_OF_KIND[row["kind"]],
                            grassroots_orgs=int(row["grassroots_orgs"]), members=int(row["members"]))
                session.add(unit)
                existing[unit.code] = unit
            session.flush()
            audit(session, None, "seed.units", object_type="units", summary=f"载入演示推荐单位{len(missing)}个",
                  after={"codes": [r["code"] for r in missing]}, now=now)
    return existing, bool(missing)


def _ensure_user(session: Session, username: str, role: Role, name: str, **kw) -> bool:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        return False
    create_user(session, None, username=username, password=DEMO_PASSWORD, role=role, display_name=name,
                check_strength=False, **kw)  # the demo's published password, never a real one
    return True


def _utc(day: date, at: time) -> datetime:
    """A local (Asia/Shanghai) time of DAY as the naive UTC the database stores."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def demo_dates(session: Session, today: date) -> DemoDates:
    """The demo election's dates for TODAY (what `load_demo` writes when the election is missing)."""
    spec = _load_json("election.json")
    sample = {stage: date.fromisoformat(due) for stage, due in spec["sample_timeline"].items()}
    return plan_demo_dates(today, load_calendar(session), sample, spec["stage"])


def _ensure_election(session: Session, units: dict[str, Unit], today: date, now: datetime) -> bool:
    spec = _load_json("election.json")
    if session.scalar(select(Election.id).where(Election.title == spec["title"])) is not None:
        return False
    names = _load_json("names.json")
    rng = random.Random(20190208)  # deterministic: the same people, aged for the day, on every machine
    dates = demo_dates(session, today)
    ref = dates.election_day  # the election's own 年龄计算基准日 stays unset: it follows the 差额选举 due date
    office_user = session.scalar(select(User.id).where(User.username == "office"))
    with transaction(session):
        district = session.scalar(select(Organisation.id).where(Organisation.code == TOP_CODE))
        election = Election(title=spec["title"], level=spec["level"], electing_body=spec["electing_body"],
                            organisation_id=district,
                            convening_body=spec["convening_body"], seats=spec["seats"],
                            higher_nominated_seats=spec["higher_nominated_seats"], preset=spec["preset"],
                            voters=spec["voters"], age_reference_date=None, settings=spec["settings"],
                            categories=spec["categories"], quota_rules=spec["quota_rules"], stage=spec["stage"])
        session.add(election)
        session.flush()
        for stage, due in dates.dues.items():
            session.add(StageDue(election_id=election.id, stage=stage, due_date=due))
        for k, (source, target, day) in enumerate(dates.moves):  # moves on one day keep their order by the hour
            session.add(StageChange(election_id=election.id, from_stage=source, to_stage=target, kind="advance",
                                    reason="" if source else "创建选举", actor_id=office_user,
                                    at=_utc(day, time(8 + k, 30))))
        alloc = spec["unit_allocation"]
        used_ids: set[str] = set()
        nominee_total = 0
        handed_in = 0
        for row in read_units():
            unit = units[row["code"]]
            code = row["code"]
            status = "submitted" if code in SUBMITTED else "draft"
            submitted_at = None
            if status == "submitted":  # spread over the working days since 推荐提名 began
                day = dates.submitted[handed_in % len(dates.submitted)]
                submitted_at = _utc(day, time(9 + handed_in % 8, 10 * (handed_in % 6)))
                handed_in += 1
            eu = ElectionUnit(election_id=election.id, unit_id=unit.id, quota=alloc["quota"],
                              report_count=alloc["report_count"], breakdown=alloc["breakdown"], status=status,
                              submitted_at=submitted_at,
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
        nominate_due = dates.dues["nominate"]
        audit(session, None, "seed.election", election,
              summary=f"载入演示选举“{election.title}”（推荐提名截止{nominate_due.year}年{nominate_due.month}月"
                      f"{nominate_due.day}日）",
              after={"units": len(units), "nominees": nominee_total, "stage": election.stage,
                     "dues": {s: d.isoformat() for s, d in dates.dues.items()}}, now=now)
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
    native_place = rng.choice(names["native_places"])
    workplace = _workplace(unit_name, rng.choice(names[spec.title_pool]))
    return Nominee(election_id=election_id, election_unit_id=eu_id, position=position, name=surname + given,
                   gender="女" if female else "男", ethnicity=ethnicity, id_number=number, birth_date=birth,
                   native_place=native_place, education=education, party_join_date=joined,
                   work_start_date=work, workplace_title=workplace, category=spec.category,
                   **_registration(random.Random(number), names, spec.category, native_place, work, education,
                                   workplace, unit_name, ref))


# 登记表 details: drawn from the person's own ID (a separate generator), so the people above stay as they were
_MAJORS = ("汉语言文学", "法学", "经济管理", "机械工程", "计算机科学与技术", "临床医学", "农学", "会计学")
_TITLES = {"专业技术人员": ("主任医师", "高级工程师", "中学高级教师", "副研究员", "高级农艺师"),
           "局级领导干部": ("", "", "高级经济师"), "处级领导干部": ("", "", "经济师", "工程师")}
_TITLE_BY_WORK = (("医", ("主治医师", "副主任医师")), ("教师", ("中学高级教师", "一级教师")),
                  ("工程师", ("工程师", "高级工程师")))
_REWARDS = ("无", "无", "无", "2019年被评为市优秀共产党员", "2021年被评为区优秀党务工作者",
            "2018年获市劳动模范称号；2022年记三等功", "2020年在抗击新冠肺炎疫情工作中被评为区先进个人")


def _registration(rng: random.Random, names: dict, category: str, native_place: str, work: date,
                  education: str, workplace: str, unit_name: str, ref: date) -> dict:
    place = unit_name.removesuffix("党工委").removesuffix("党委")
    lines = []
    if education in ("大学本科", "硕士研究生", "大学专科"):
        years = {"大学专科": 3, "大学本科": 4, "硕士研究生": 7}[education]
        lines.append(f"{work.year - years}.09—{work.year}.07 某某大学{rng.choice(_MAJORS)}专业学习")
    middle, month = max(work.year + 1, min(work.year + rng.randint(6, 15), ref.year - 2)), rng.randint(1, 12)
    lines.append(f"{work.year}.{work.month:02d}—{middle}.{month:02d} {place}某单位干部、科员")
    lines.append(f"{middle}.{month:02d}—今 {workplace}")
    titles = next((t for key, t in _TITLE_BY_WORK if key in workplace), _TITLES.get(category, ("",)))
    return {"birthplace": native_place if rng.random() < 0.7 else rng.choice(names["native_places"]),
            "health": rng.choice(("健康", "健康", "健康", "良好")), "professional_title": rng.choice(titles),
            "resume": "\n".join(lines), "rewards": rng.choice(_REWARDS)}


def _workplace(unit_name: str, title: str) -> str:
    """城关街道 + 党工委书记: the unit's place name before the title (leaders' titles name their body)."""
    place = unit_name.removesuffix("党工委").removesuffix("党委")
    return place + title


def _safe_date(year: int, month: int, day: int, ref: date) -> date:
    d = date(year, month, day)
    return min(d, ref - timedelta(days=400))
