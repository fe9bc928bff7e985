"""Two more demo elections, further along the pipeline than the 推荐提名 one, so that the 考察组, 纪检 and 监票计票人员
find work on their first login (docs/manual/04-vetting.md, 05-tellers.md):

- 某区出席省第十三次党代会代表选举, in 考察并第一次公示: nine 考察对象; six assigned to the demo ``inspector`` — two
  concluded, two half done, two not started — three still to assign; 纪检机关意见 in for four, waiting for five
  (``discipline``); the first 公示 drafted for every unit and published for two, with one 反映 交办 to ``discipline``.
- 区直机关出席区第十三次党代会代表选举, in 差额选举: the whole pipeline behind it (lists, 考察 by the 区直机关's own
  考察组 ``inspector2``, both 公示 with one 反映 closed, 初步人选, the 全委会's 预备人选, the 批复, one 上级提名
  candidate) and the 党员代表会议 under way today: round 1 is open with both teller entries still to make (``teller``
  and ``teller2``).

Both are driven through the same use cases the pages call (elections, nominations, vetting, voting services), each
dated on the day a district would have done it: the plan is the 2019 sample's rhythm laid around the current stage
(seeds/dates.py), so every margin, quota, deadline, decision date and 公示 period is checked as for real data. Each
is looked up by its title and only made when missing; the 区直机关 election is made first so that the office's home
keeps showing the newest election, the 推荐提名 one. When the working-day calendar does not know a year the 公示 would
span (a load in late 2026 or after, without the next year's holiday notice), that election is left out: the system
never guesses holidays.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.accounts.services import create_user
from election.calendar.services import load_calendar
from election.core.clock import LOCAL_TZ, to_local
from election.core.roles import Role
from election.directory.models import ElectionUnit, Unit
from election.elections import services as elections
from election.elections.models import Election
from election.nominations.services import add_nominee, save_statistics, submit_list
from election.vetting import services as vetting
from election.voting import services as voting
from seeds.dates import DemoDates, plan_demo_dates, shift_working_days
from workflow.common.calendar import WorkCalendar
from workflow.common.idcard import make_id

VET_TITLE = "某区出席省第十三次党代会代表选举"
BALLOT_TITLE = "区直机关出席区第十三次党代会代表选举"
# birthplace codes of the ID numbers: none of seeds/demo.py's REGIONS, so no ID can repeat one of its people
REGIONS = ("440106", "350102", "360102", "450103", "520102", "530102", "210102", "220102")
CATEGORIES = {"基层一线": ["先进模范人物", "专业技术人员", "其他一线"], "先进模范人物": ["工人", "农民", "其他先进模范"],
              "领导干部": ["局级领导干部", "处级领导干部"]}
OVERDUE = "常委会会期调整，推迟一天召开"
# the 区直机关工委's own 考察组 did the 区直机关 election's 考察, so the demo inspector's home holds only open work
BALLOT_INSPECTOR = ("inspector2", "区直机关考察组 陈刚")
STAFF_NAMES = {"李明", "张锋", "赵敏", "钱鹏", "孙丽华", "周强", "吴静", "王晓", "陈刚"}  # seeds/demo.py's accounts  # the 逾期说明 of the stage finished a day or two late (seeds/dates.py)


_PROFESSIONAL_TITLE = {"专业技术人员": "高级工程师", "工人": "高级技师"}


@dataclass(frozen=True)
class Slot:
    """One person a unit puts forward: 身份类别, 工作单位及职务, gender, an age range on the election day, 民族."""

    category: str
    title: str
    female: bool
    ages: tuple[int, int]
    ethnicity: str = "汉族"


@dataclass(frozen=True)
class Plan:
    title: str
    level: str
    electing_body: str
    convening_body: str
    seats: int
    higher_seats: int
    voters: int
    shortlist: int        # 考察对象
    preliminary: int      # 初步人选
    quota_rules: list
    units: dict[str, list[Slot]]   # unit code → its three people (1 领导干部, 2 基层一线)
    left_out: tuple[tuple[str, int], ...]   # (unit, slot) not made 考察对象


def _rule(code: str, label: str, where: dict, **bound) -> dict:
    return {"code": code, "label": label, "where": where, **bound}


VET_PLAN = Plan(
    title=VET_TITLE, level="区", electing_body="中共某区委员会", convening_body="中共某省委员会", seats=5,
    higher_seats=0, voters=308, shortlist=9, preliminary=7,
    quota_rules=[_rule("leaders", "领导干部", {"category_in": ["领导干部"]}, max=3),
                 _rule("frontline", "基层一线", {"category_in": ["基层一线"]}, min=2),
                 _rule("women", "女性", {"gender": "女"}, min=2),
                 _rule("under50", "50岁以下", {"age_below": 50}, min=2)],
    units={
        "GW01": [Slot("局级领导干部", "城关街道党工委书记", False, (48, 55)),
                 Slot("其他先进模范", "城关街道和平社区党委书记、全国优秀党务工作者", True, (38, 47)),
                 Slot("其他一线", "城关街道综合网格员", False, (29, 38))],
        "GW09": [Slot("局级领导干部", "经济开发区党工委副书记、管委会主任", False, (46, 53)),
                 Slot("工人", "某汽车零部件有限公司焊工、首席技师", False, (36, 46)),
                 Slot("专业技术人员", "某电子科技有限公司研发工程师", True, (31, 39), "回族")],
        "GW12": [Slot("局级领导干部", "区委教育工委副书记、区教育局局长", True, (47, 54)),
                 Slot("专业技术人员", "区实验小学高级教师", True, (35, 46)),
                 Slot("其他一线", "区第一中学班主任", False, (30, 40))],
        "GW13": [Slot("处级领导干部", "区人民医院党委书记", False, (45, 52)),
                 Slot("专业技术人员", "区人民医院主任医师", True, (40, 49)),
                 Slot("其他一线", "城关社区卫生服务站站长", True, (33, 42))],
    },
    left_out=(("GW13", 0), ("GW01", 2), ("GW12", 2)),
)

BALLOT_PLAN = Plan(
    title=BALLOT_TITLE, level="区", electing_body="中共某区直属机关工作委员会", convening_body="中共某区委员会",
    seats=6, higher_seats=1, voters=120, shortlist=10, preliminary=9,
    quota_rules=[_rule("leaders", "领导干部", {"category_in": ["领导干部"]}, max=3),
                 _rule("frontline", "基层一线", {"category_in": ["基层一线"]}, min=3),
                 _rule("women", "女性", {"gender": "女"}, min=2),
                 _rule("minority", "少数民族", {"ethnicity_not": "汉族"}, min=1),
                 _rule("under50", "50岁以下", {"age_below": 50}, min=3)],
    units={
        "ZS02": [Slot("局级领导干部", "区公安分局党委副书记、政委", False, (47, 54)),
                 Slot("其他先进模范", "城关派出所社区民警、全国优秀人民警察", False, (34, 44)),
                 Slot("其他一线", "交通警察大队民警", True, (28, 36))],
        "ZS03": [Slot("局级领导干部", "区国资委党委书记、主任", False, (48, 56)),
                 Slot("专业技术人员", "区城市建设投资有限公司高级工程师", True, (36, 45)),
                 Slot("工人", "区公交有限公司驾驶员、省劳动模范", False, (40, 49))],
        "ZS04": [Slot("处级领导干部", "区交通运输局副局长", True, (42, 49)),
                 Slot("其他一线", "区公路养护站养护工", False, (35, 45), "满族"),
                 Slot("专业技术人员", "区交通工程质量监督站工程师", True, (31, 40))],
        "ZS05": [Slot("局级领导干部", "区住房和城乡建设局党委书记、局长", False, (49, 56)),
                 Slot("专业技术人员", "区建筑设计院高级工程师", False, (37, 47)),
                 Slot("其他一线", "区建设工程质量安全监督站监督员", True, (30, 39))],
        "ZS06": [Slot("处级领导干部", "区市场监督管理局副局长", False, (44, 51)),
                 Slot("专业技术人员", "区食品药品检验所主管药师", True, (33, 42)),
                 Slot("其他一线", "城关市场监督管理所执法人员", False, (29, 37))],
    },
    left_out=(("ZS05", 0), ("ZS03", 2), ("ZS06", 2), ("ZS04", 0), ("ZS05", 2)),
)


def load_later_stages(session: Session, today: date, now: datetime) -> bool:
    """Make whichever of the two elections is missing, dated from TODAY; True when anything was made."""
    calendar = load_calendar(session)
    past = {(today - timedelta(days=120)).year, today.year}  # the 公示 behind the 差额选举 election
    running = past | {(today + timedelta(days=20)).year}      # the first 公示 running now
    missing = [(plan, stage) for plan, stage, years in ((BALLOT_PLAN, "ballot", past), (VET_PLAN, "vet", running))
               if all(calendar.has_year(y) for y in years)
               and session.scalar(select(Election.id).where(Election.title == plan.title)) is None]
    if not missing:
        session.rollback()  # end the read-only transaction of the look-up
        return False
    # Each use case commits its own transaction; here they run inside one transaction of the whole load (their
    # commits become savepoints, as in the tests' sessions): a refusal half-way leaves no half-built election
    # behind, and the load pays for one commit to disk instead of about 150.
    inner = Session(bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        for plan, stage in missing:
            _Run(inner, calendar, plan, stage, today, now).go()
        inner.close()
        session.commit()
    except BaseException:
        inner.close()
        session.rollback()
        raise
    return True


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    """A local (Asia/Shanghai) time of DAY as the naive UTC the database stores."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


class _Run:
    """One election brought to STAGE through the use cases, each dated on its day in the plan."""

    def __init__(self, session: Session, calendar: WorkCalendar, plan: Plan, stage: str, today: date, now: datetime):
        self.s, self.cal, self.plan, self.stage, self.today, self.now = session, calendar, plan, stage, today, now
        # the sample plan's rhythm, as for the 推荐提名 election (seeds/dates.py)
        self.dates: DemoDates = plan_demo_dates(today, calendar, _spec()["sample_timeline_dates"], stage)
        self.dues = dict(self.dates.dues)
        if stage == "ballot":  # the 党员代表会议 meets today: the 差额选举 falls due on the day of the ballot
            self.dues["ballot"] = today
        self.moved = {target: day for _source, target, day in self.dates.moves}
        users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(
            ("office", "inspector", "discipline", BALLOT_INSPECTOR[0]))))}
        self.office, self.discipline = users["office"], users["discipline"]
        self.inspector = users["inspector"]
        if stage == "ballot":
            from seeds.demo import DEMO_PASSWORD

            self.inspector = users.get(BALLOT_INSPECTOR[0]) or create_user(
                session, None, username=BALLOT_INSPECTOR[0], password=DEMO_PASSWORD, role=Role.inspector,
                display_name=BALLOT_INSPECTOR[1], now=_utc(self.dates.moves[0][2], 9), check_strength=False,
                organisation_id=self.office.organisation_id)
        self.rng = random.Random(f"{plan.title}")
        self.people: dict[tuple[str, int], int] = {}   # (unit code, slot) → nominee id

    # -- helpers
    def wd(self, day: date, n: int) -> date:
        return shift_working_days(self.cal, day, n)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """DAY at that local time; on a load early in the morning, today's steps are dated at the load, never later."""
        at = _utc(day, hour, minute)
        return min(at, self.now) if day == self.today and to_local(self.now).date() == self.today else at

    def advance(self, day: date, hour: int = 17) -> None:
        source = self.e.stage
        late = day > self.dues[source]
        decision = elections.advance_stage(self.s, self.e.id, self.office, self.at(day, hour), day,
                                           overdue_reason=OVERDUE if late else "")
        if not decision.allowed:
            raise RuntimeError(f"{self.plan.title}: {source} → {[b.message for b in decision.blockers]}")

    def decide(self, kind: str, body: str, day: date, number: str) -> None:
        elections.record_decision(self.s, self.office, self.e.id, kind, body, day, number, self.at(day, 16), today=day)

    # -- the pipeline
    def go(self) -> None:
        steps: list[Callable[[], None]] = [self.set_up, self.nominate, self.shortlist, self.vet_start]
        if self.stage == "vet":
            steps.append(self.vet_in_progress)
        else:
            steps += [self.vet_all, self.preliminary, self.confirm, self.ballot]
        for step in steps:
            step()

    def set_up(self) -> None:
        p, created = self.plan, self.moved["plan"]
        setup = elections.ElectionSetup(
            title=p.title, seats=p.seats, level=p.level, electing_body=p.electing_body,
            convening_body=p.convening_body, higher_nominated_seats=p.higher_seats, voters=p.voters,
            shortlist_count=p.shortlist, preliminary_count=p.preliminary, categories=CATEGORIES,
            quota_rules=p.quota_rules)
        self.e = elections.create_election(self.s, self.office, setup, self.at(created, 9))
        units = {u.code: u for u in self.s.scalars(select(Unit).where(Unit.code.in_(list(p.units))))}
        self.units = units
        elections.set_allocations(self.s, self.office, self.e.id, [
            elections.AllocationRow(units[c].id, 2, 3, {"领导干部": 1, "基层一线": 2}) for c in p.units],
            self.at(created, 10))
        elections.set_timeline(self.s, self.office, self.e.id, self.dues, self.at(created, 11))
        self.advance(self.moved["deploy"])
        self.advance(self.moved["nominate"])

    def nominate(self) -> None:
        start, due = self.moved["nominate"], self.dues["nominate"]
        ref = self.dues["ballot"]
        handlers = {u.unit_id: u for u in self.s.scalars(select(User).where(
            User.role == "unit", User.unit_id.in_([u.id for u in self.units.values()]))).all()}
        eus = {eu.unit_id: eu for eu in self.s.scalars(select(ElectionUnit).where(
            ElectionUnit.election_id == self.e.id))}
        names: set[str] = set()
        for k, (code, slots) in enumerate(self.plan.units.items()):
            unit, day = self.units[code], min(self.wd(start, 1 + k), due)
            actor, eu = handlers[unit.id], eus[unit.id]
            for i, slot in enumerate(slots):
                values = self.person(slot, code, ref, names, k * 3 + i)
                outcome = add_nominee(self.s, actor, eu.id, values, day, self.at(day, 9, 10 * i))
                if outcome.errors:
                    raise RuntimeError(f"{self.plan.title}: {values['name']} {outcome.errors}")
                self.people[(code, i)] = outcome.nominee_id
            save_statistics(self.s, actor, eu.id, unit.grassroots_orgs, unit.members,
                            "按照工作方案组织基层党组织和党员差额推荐。", day, self.at(day, 10))
            blockers = submit_list(self.s, actor, eu.id, day, self.at(day, 11))
            if blockers:
                raise RuntimeError(f"{self.plan.title}: {[b.message for b in blockers]}")
        self.advance(self.moved["shortlist"])

    def person(self, slot: Slot, code: str, ref: date, names: set[str], n: int) -> dict:
        pools = _spec()["names"]
        while True:
            name = self.rng.choice(pools["surnames"]) + self.rng.choice(pools["given_female" if slot.female
                                                                              else "given_male"])
            if name not in names and name not in STAFF_NAMES:
                names.add(name)
                break
        age = self.rng.randint(*slot.ages)
        birth = ref - timedelta(days=age * 365 + self.rng.randint(30, 330))
        number = make_id(REGIONS[n % len(REGIONS)], birth, 10 + n * 7 % 480, not slot.female)
        joined = date(birth.year + min(self.rng.randint(22, 28), age - 3), self.rng.randint(1, 12), 1)
        work = date(birth.year + min(self.rng.randint(22, 26), age - 4), self.rng.choice((7, 8)), 1)
        native = self.rng.choice(pools["native_places"])
        place = self.units[code].name.removesuffix("党工委").removesuffix("党委")
        leader = slot.category.endswith("领导干部")
        education = self.rng.choice(("大学本科", "硕士研究生", "大学本科")) if work.year - birth.year >= 25 else "大学本科"
        years = {"大学本科": 4, "硕士研究生": 7}[education]
        moved = max(work.year + 3, ref.year - self.rng.randint(3, 9))
        return {"name": name, "gender": "女" if slot.female else "男", "ethnicity": slot.ethnicity,
                "id_number": number, "birth_month": f"{birth:%Y-%m}", "native_place": native, "education": education,
                "party_join_date": f"{joined:%Y-%m}", "work_start_date": f"{work:%Y-%m}", "workplace_title": slot.title,
                "category": slot.category, "remark": "",
                # the 登记表's own fields, as a unit fills them in the template
                "birthplace": native, "health": "健康", "professional_title": _PROFESSIONAL_TITLE.get(slot.category, ""),
                "resume": f"{work.year - years}.09—{work.year}.07 某某大学学习\n"
                          f"{work.year}.{work.month:02d}—{moved}.03 {place}{'科员、科长' if leader else '工作'}\n"
                          f"{moved}.03—今 {slot.title}",
                "rewards": self.rng.choice(("无", "无", f"{moved + 1}年被评为区优秀共产党员"))}

    def chosen(self, left_out) -> list[int]:
        return [nid for key, nid in self.people.items() if key not in left_out]

    def shortlist(self) -> None:
        start, end = self.moved["shortlist"], self.moved["vet"]
        ids = self.chosen(self.plan.left_out[:3] if self.stage == "vet" else self.plan.left_out[:5])
        ids = ids[:self.plan.shortlist]
        vetting.select_shortlist(self.s, self.office, self.e.id, ids, self.at(start, 15))
        meeting = max(start, self.wd(end, -1))
        self.decide("shortlist", "区委常委会", meeting, f"区委常纪〔{meeting.year}〕{3 + len(self.plan.units)}号")
        self.shortlisted = ids
        self.advance(end)

    def vet_start(self) -> None:
        """The first day of 考察: the office drafts the first 公示 of every unit (5 working days from today)."""
        day = self.moved["vet"]
        self.notices = vetting.create_first_notices(self.s, self.office, self.e.id, day, _contact(self.plan),
                                                    self.at(day, 17, 30))
        self.notice_ids = [n.id for n in self.notices]

    def assign(self, ids: list[int], day: date) -> None:
        for k, nid in enumerate(ids):
            vetting.assign_inspector(self.s, self.office, nid, self.inspector.id, self.at(day, 18, k))

    def material(self, nid: int, *, full: bool) -> vetting.VettingInput:
        from election.nominations.models import Nominee

        n = self.s.get(Nominee, nid)
        enterprise = vetting.looks_like_enterprise(n.workplace_title)
        leader = vetting.is_leader(self.e, n.category)
        if not full:
            return vetting.VettingInput(file_audit="passed", appraisal_count=self.rng.randint(30, 60))
        return vetting.VettingInput(
            file_audit="passed", petition_check="经查，无信访举报", appraisal_count=self.rng.randint(30, 60),
            interview_count=self.rng.randint(10, 18), integrity_received=True,
            personal_report_check="个人有关事项报告已查核，如实报告" if leader else None,
            from_enterprise=enterprise, regulator_opinion="市场监管、税务部门均无不良记录" if enterprise else None)

    def vet_person(self, nid: int, day: date, *, conclude: bool) -> None:
        vetting.record_discipline_opinion(self.s, self.discipline, nid, "经查，未发现违纪违法问题。", self.at(day, 9))
        vetting.record_vetting(self.s, self.inspector, nid, self.material(nid, full=True), self.at(day, 15))
        if conclude:
            vetting.conclude_vetting(self.s, self.inspector, nid, "passed", "", self.at(day, 16))

    def vet_in_progress(self) -> None:
        """考察 under way: 6 assigned to the demo 考察组 (2 concluded, 2 half done, 2 not begun), 3 still to assign; the
        纪检机关意见 of 4 in; the 公示 of two units published, one 反映 交办 to the demo 纪检 to check."""
        start = self.moved["vet"]
        day = min(self.wd(start, 1), self.today)
        ids = self.shortlisted
        self.assign(ids[:6], start)
        for nid in ids[:2]:
            self.vet_person(nid, day, conclude=True)
        for nid in ids[2:4]:
            vetting.record_discipline_opinion(self.s, self.discipline, nid, "经查，未发现违纪违法问题。",
                                              self.at(day, 10))
            vetting.record_vetting(self.s, self.inspector, nid, self.material(nid, full=False), self.at(day, 17))
        for nid in self.notice_ids[:2]:
            vetting.publish_notice(self.s, self.office, nid, self.at(start, 18, 30))
        notice = self.notices[0]
        received = min(start + timedelta(days=1), self.today)
        complaint = vetting.register_complaint(self.s, self.office, notice.id, vetting.ComplaintInput(
            notice.people_ids[0], "letter", received, "来信反映其在社区换届工作中存在优亲厚友问题，请予核查。", True),
            self.at(received, 10))
        vetting.assign_complaint(self.s, self.office, complaint.id, self.discipline.id, self.at(received, 11))

    def vet_all(self) -> None:
        """The whole 考察 of every 考察对象, both 公示 published and a 反映 checked and closed."""
        start, end = self.moved["vet"], self.moved["preliminary"]
        day = self.wd(start, 1)
        self.assign(self.shortlisted, start)
        for nid in self.notice_ids:
            vetting.publish_notice(self.s, self.office, nid, self.at(start, 18, 30))
        for k, nid in enumerate(self.shortlisted):
            self.vet_person(nid, self.wd(day, k % 3), conclude=True)
        engineer = self.people[("ZS05", 1)]  # 区建筑设计院高级工程师
        notice = next(n for n in self.notices if engineer in n.people_ids)
        complaint = vetting.register_complaint(self.s, self.office, notice.id, vetting.ComplaintInput(
            engineer, "phone", day, "来电反映其在工程验收中把关不严。"), self.at(day, 10))
        vetting.assign_complaint(self.s, self.office, complaint.id, self.inspector.id, self.at(day, 11))
        checked = self.wd(day, 1)
        vetting.record_complaint_check(self.s, self.inspector, complaint.id,
                                       "经调阅验收档案、询问相关人员，验收程序完整，未发现把关不严问题。", self.at(checked, 15))
        vetting.conclude_complaint(self.s, self.office, complaint.id, "false", "不影响其继续作为考察对象",
                                   self.at(checked, 17))
        self.advance(end)

    def preliminary(self) -> None:
        start, end = self.moved["preliminary"], self.moved["confirm"]
        ids = self.shortlisted[:self.plan.preliminary]
        vetting.select_preliminary(self.s, self.office, self.e.id, ids, self.at(start, 17, 30))
        meeting, consent = self.wd(start, 1), self.wd(start, 2)
        self.decide("preliminary", "区委常委会", meeting, f"区委常纪〔{meeting.year}〕12号")
        self.decide("higher_consent", "区委组织部", consent, f"区组函〔{consent.year}〕31号")
        second = vetting.create_second_notice(self.s, self.office, self.e.id, consent, _contact(self.plan),
                                              self.at(consent, 17))
        vetting.publish_notice(self.s, self.office, second.id, self.at(consent, 17, 30))
        self.preliminary_ids = ids
        self.advance(end)

    def confirm(self) -> None:
        start, end = self.moved["confirm"], self.moved["ballot"]
        plenum, approval = start, self.wd(start, 1)
        chosen = tuple(self.preliminary_ids[:-1])  # the 全委会 circles all but one
        voting.record_confirm_meeting(self.s, self.office, self.e.id, voting.ConfirmInput(
            held_on=plenum, members=31, attendance=29, mode="list", chosen_ids=chosen, body="区委全委会"),
            self.at(plenum, 17))
        self.decide("confirm", "区委全委会", plenum, f"区委全纪〔{plenum.year}〕3号")
        self.decide("approval", "区委组织部", approval, f"区组复〔{approval.year}〕12号")
        voting.record_approval_list(self.s, self.office, self.e.id, {}, self.at(approval, 17))
        voting.add_higher_nominee(self.s, self.office, self.e.id, voting.HigherNomineeInput(
            "欧阳建华", "男", date(self.today.year - 50, 6, 12), "汉族", "局级领导干部", "区委常委、区直机关工委书记",
            "区委提名"), self.at(approval, 17, 30))
        self.advance(end)

    def ballot(self) -> None:
        """The 党员代表会议 is today: 监票人 and 计票人 named, round 1 open, the two entries still to make."""
        day = self.dues["ballot"]
        for k, (name, duty) in enumerate((("方卫东", "scrutineer"), ("龙晓梅", "counter"))):
            voting.add_scrutineer(self.s, self.office, self.e.id, name, duty, self.at(day, 8, 30 + k))
        voting.open_round(self.s, self.office, self.e.id, voting.RoundInput(120, 112, 112, 112, "totals"),
                          self.at(day, 9, 30))


_SPEC: dict = {}


def _spec() -> dict:
    """seeds/data's sample timeline, 公示 contact office and name pools, read once."""
    if not _SPEC:
        from seeds.demo import _load_json

        election = _load_json("election.json")
        _SPEC.update(office=election["settings"]["office"], names=_load_json("names.json"),
                     sample_timeline_dates={s: date.fromisoformat(d) for s, d in election["sample_timeline"].items()})
    return _SPEC


def _contact(plan: Plan) -> vetting.ContactInput:
    """The 公示's 受理单位: the district's 选举办; the 区直机关's own office for its election."""
    office = dict(_spec()["office"])
    if plan is BALLOT_PLAN:
        office.update(name="区直机关工委组织部", phone="0000-12345690", address="某区行政中心2号楼205室")
    return vetting.ContactInput(office["name"], office["phone"], office["address"], office["mailbox"])
