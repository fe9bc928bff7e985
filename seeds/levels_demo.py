"""The demo city: the upper committee on the same installation (docs/rules.md §8, docs/manual/09-upper.md).

- The directory gets 中共某市委员会 (SW) at its top, with three 选举单位 under it: the demo district 中共某区委员会 (QW,
  whose 推荐单位 stay as they were), 中共某新区工作委员会 (XQ) and 中共某市直属机关工作委员会 (SZ), each of the two new
  ones with five 推荐单位 of its own.
- The city's election 出席市第十二次党代会代表选举: 760 seats, congress-wide requirements (女性 ≥ 30%, 少数民族 ≥ 8%,
  基层一线 ≥ 1/3, 领导干部 ≤ 2/3, 50岁以下 ≥ 40%), the district's timeline (seeds/dates.py), and its allocations: the
  district 16 seats + 3 上级提名 with the structure of docs/rules.md §8, each new 选举单位 6 + 1.
- The district's 推荐提名 election is linked to it; the two new 选举单位' elections are 下发 by the city and walked
  through the same use cases as seeds/later_stages.py: the 新区's to 确定初步人选并第二次公示 with its 初步人选 reported
  up and waiting for the city's 同意; the 市直机关's to 确定预备人选 with its 预备人选 through the city's 初步审查 and
  waiting for the 批复. Two 市委提名人选, one assigned to the 市直机关.
- Logins: ``city`` (上级组织部门, SW), ``office2`` / ``office3`` (选举办 of XQ / SZ), the 考察组, 纪检 and 经办人 of the
  two new 选举单位 (scoped to them).

Idempotent: nothing is made once the congress exists. Everything runs in one transaction of the whole load (the use
cases' commits become savepoints), as seeds/later_stages.py does; when the working-day calendar does not know a year
the walks would span, the two new elections are 下发 but not walked (the system never guesses holidays).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.accounts.services import create_user
from election.audit.services import audit
from election.calendar.services import load_calendar
from election.core.roles import Role
from election.directory.models import Organisation
from election.directory.queries import all_records
from election.directory.services import import_organisations
from election.elections import services as elections
from election.elections.models import Election
from election.levels.models import Congress, CongressUnit
from election.levels.services import nominees as congress_nominees
from election.levels.services import reports
from election.levels.services import setup as levels
from seeds.dates import plan_demo_dates
from seeds.directory import TOP_CODE
from seeds.later_stages import BALLOT_PLAN, CATEGORIES, Plan, Slot, _Run, _utc
from workflow.directory.tree import OrgRecord

CITY_CODE, CITY_NAME = "SW", "中共某市委员会"
CONGRESS_TITLE = "出席市第十二次党代会代表选举"
# 来源: docs/rules.md §8 — the city's requirements over all 760 seats (rule format of docs/quota-check.md)
CITY_RULES = [
    {"code": "women", "label": "女性", "where": {"gender": "女"}, "min_share": "30%"},
    {"code": "minority", "label": "少数民族", "where": {"ethnicity_not": "汉族"}, "min_share": "8%"},
    {"code": "frontline", "label": "基层一线", "where": {"category_in": ["基层一线"]}, "min_share": "1/3"},
    {"code": "leaders", "label": "领导干部", "where": {"category_in": ["领导干部"]}, "max_share": "2/3"},
    {"code": "under50", "label": "50岁以下", "where": {"age_below": 50}, "min_share": "40%"},
]
AREAS = {  # 选举单位 code -> (name, its 推荐单位 (code, name, category, 基层党组织数, 党员数))
    "XQ": ("中共某新区工作委员会", (
        ("XQ01", "新区机关党委", "党委", 22, 860), ("XQ02", "新区产业园党工委", "党工委", 35, 1420),
        ("XQ03", "新区湖滨街道党工委", "党工委", 28, 1130), ("XQ04", "新区教育卫生党委", "党委", 19, 940),
        ("XQ05", "新区国有企业党委", "党委", 16, 780))),
    "SZ": ("中共某市直属机关工作委员会", (
        ("SZ01", "市发展和改革委员会党组", "党组", 8, 210), ("SZ02", "市教育局党委", "党委", 26, 1320),
        ("SZ03", "市卫生健康委员会党委", "党委", 31, 1680), ("SZ04", "市交通运输局党委", "党委", 14, 590),
        ("SZ05", "市财政局党组", "党组", 7, 180))),
}
OFFICES = {"XQ": ("office2", "新区选举办 韩雪"), "SZ": ("office3", "市直机关选举办 邓涛")}
AREA_STAFF = {"XQ": (("inspector3", Role.inspector, "新区考察组 蒋平"), ("discipline2", Role.discipline, "新区纪检 秦岚"),
                     ("teller3", Role.teller, "新区计票 沈杰"), ("teller4", Role.teller, "新区计票 钟敏")),
              "SZ": (("inspector4", Role.inspector, "市直机关考察组 许诺"), ("discipline3", Role.discipline, "市直机关纪检 彭越"),
                     ("teller5", Role.teller, "市直机关计票 范宁"), ("teller6", Role.teller, "市直机关计票 白露"))}
CITY_USER = ("city", "市委组织部 刘洋")


def _slots(titles: list[list[str]]) -> list[list[Slot]]:
    """The 区直机关 plan's people (seeds/later_stages.py: 领导干部 and 基层一线 as its requirements want them) with the
    new 选举单位's own 工作单位及职务."""
    return [[Slot(s.category, t, s.female, s.ages, s.ethnicity) for s, t in zip(unit, names, strict=True)]
            for unit, names in zip(BALLOT_PLAN.units.values(), titles, strict=True)]


def _plan(code: str, titles: list[list[str]]) -> Plan:
    name = AREAS[code][0]
    units = dict(zip((u[0] for u in AREAS[code][1]), _slots(titles), strict=True))
    left = {old: new for old, new in zip(BALLOT_PLAN.units, units, strict=True)}
    return Plan(title="", level="市", electing_body=name, convening_body=CITY_NAME, seats=6, higher_seats=1,
                voters=BALLOT_PLAN.voters, shortlist=BALLOT_PLAN.shortlist, preliminary=BALLOT_PLAN.preliminary,
                quota_rules=BALLOT_PLAN.quota_rules, units=units,
                left_out=tuple((left[c], k) for c, k in BALLOT_PLAN.left_out))


XQ_PLAN = _plan("XQ", [
    ["新区管委会副主任", "新区机关服务中心窗口负责人、省优秀共产党员", "新区政务服务中心工作人员"],
    ["新区产业园党工委书记", "某新能源科技有限公司高级工程师", "某精密制造有限公司数控车工、市劳动模范"],
    ["新区湖滨街道办事处副主任", "湖滨街道网格员", "新区湖滨街道社区卫生服务中心主治医师"],
    ["新区教育卫生党委书记", "新区第一中学高级教师", "新区人民医院护士长"],
    ["新区国有企业党委副书记", "新区建设投资有限公司工程师", "新区公交有限公司调度员"]])
SZ_PLAN = _plan("SZ", [
    ["市发展和改革委员会副主任", "市发展和改革委员会综合科科员、市优秀公务员", "市价格监测中心工作人员"],
    ["市教育局党委书记、局长", "市第二中学高级教师", "市实验小学校长、省劳动模范"],
    ["市卫生健康委员会副主任", "市中心医院呼吸科主任医师", "市疾病预防控制中心检验员"],
    ["市交通运输局党委书记", "市公路事业发展中心工程师", "市交通运输综合行政执法支队执法队员"],
    ["市财政局副局长", "市财政投资评审中心高级会计师", "市国库支付中心工作人员"]])
CONGRESS_NOMINEES = (  # (name, gender, birth, 民族, 身份类别, 工作单位及职务, assigned to)
    ("司马振邦", "男", date(1971, 3, 18), "汉族", "局级领导干部", "市委常委、市委秘书长", "SZ"),
    ("欧阳慧敏", "女", date(1976, 9, 2), "回族", "局级领导干部", "市人民政府副市长", None),
)


def load_levels_demo(session: Session, today: date, now: datetime) -> bool:
    """Make the demo city when it is missing (before the district's own election, so that the newest election —
    the one a home page opens on — stays the district's 推荐提名 one); True when anything was made."""
    from seeds.demo import demo_dates

    if session.scalar(select(Organisation.id).where(Organisation.code == TOP_CODE)) is None or \
            session.scalar(select(Congress.id).where(Congress.title == CONGRESS_TITLE)) is not None:
        session.rollback()  # end the read-only transaction of the look-up
        return False
    district_dues = demo_dates(session, today).dues  # the district's timeline is the city's (seeds/dates.py)
    calendar = load_calendar(session)
    years = {(today - timedelta(days=120)).year, today.year, (today + timedelta(days=20)).year}
    walk = all(calendar.has_year(y) for y in years)
    inner = Session(bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        _City(inner, calendar, today, now, district_dues).build(walk)
        inner.close()
        session.commit()
    except BaseException:
        inner.close()
        session.rollback()
        raise
    return True


def link_district(session: Session, now: datetime) -> bool:
    """The district's 推荐提名 election becomes the city's child for the district (关联已有选举); True when linked."""
    from seeds.demo import _load_json

    district = session.scalar(select(Election).where(Election.title == _load_json("election.json")["title"]))
    unit = session.scalar(select(CongressUnit).join(Organisation, CongressUnit.organisation_id == Organisation.id)
                          .join(Congress, CongressUnit.congress_id == Congress.id)
                          .where(Organisation.code == TOP_CODE, Congress.title == CONGRESS_TITLE))
    city = session.scalar(select(User).where(User.username == CITY_USER[0]))
    if district is None or unit is None or city is None or unit.election_id is not None \
            or district.congress_id is not None:
        session.rollback()
        return False
    levels.link_child(session, city, unit.id, district.id, now)
    return True


class _City:
    def __init__(self, session: Session, calendar, today: date, now: datetime, district_dues: dict[str, date]):
        self.s, self.cal, self.today, self.now, self.dues = session, calendar, today, now, district_dues
        # the city set up before any of its 选举单位 began (the 市直机关's walk, furthest along, began first)
        from seeds.later_stages import _spec

        begun = plan_demo_dates(today, calendar, _spec()["sample_timeline_dates"], "confirm").moves[0][2]
        self.start = min(min(district_dues.values()), begun) - timedelta(days=7)

    def at(self, hour: int, day: date | None = None) -> datetime:
        return min(_utc(day or self.start, hour), self.now)

    def build(self, walk: bool) -> None:
        s = self.s
        city_org = Organisation(code=CITY_CODE, name=CITY_NAME, category="党委")
        s.add(city_org)
        s.flush()
        audit(s, None, "seed.levels", city_org, summary=f"载入演示上级党委“{CITY_NAME}”", now=self.now)
        s.commit()
        self.city = create_user(s, None, username=CITY_USER[0], password=_password(), role=Role.upper,
                                display_name=CITY_USER[1], organisation_id=city_org.id, check_strength=False)
        congress = levels.create_congress(s, self.city, levels.CongressInput(
            title=CONGRESS_TITLE, organisation_id=city_org.id, seats=760, categories=CATEGORIES,
            quota_rules=CITY_RULES, timeline=dict(self.dues)), self.at(9))
        self.congress_id = congress.id
        self.orgs = self.directory()
        from seeds.demo import _load_json

        district = _load_json("election.json")  # the district's 16 seats + 3 and its structure (docs/rules.md §8)
        levels.save_allocations(s, self.city, congress.id, [
            levels.AllocationInput(self.orgs[TOP_CODE].id, district["seats"], district["higher_nominated_seats"],
                                   list(district["quota_rules"]), "不含市委提名；市委提名3名另行分配"),
            *(levels.AllocationInput(self.orgs[code].id, 6, 1, list(BALLOT_PLAN.quota_rules)) for code in AREAS)],
            self.at(10))
        units = {u.organisation_id: u for u in s.scalars(select(CongressUnit).where(
            CongressUnit.congress_id == congress.id))}
        children = levels.create_children(s, self.city, congress.id, self.at(12),
                                          [units[self.orgs[c].id].id for c in AREAS])
        by_org = {e.organisation_id: e for e in children}
        staff = self.users()
        self.units = units
        self.nominees = [(congress_nominees.register_nominee(s, self.city, congress.id, congress_nominees.NomineeInput(
            name, gender, birth, ethnicity, category, title, "市委提名"), self.at(14)), to)
            for name, gender, birth, ethnicity, category, title, to in CONGRESS_NOMINEES]
        if not walk:
            return
        for (plan, stage), code in zip(((XQ_PLAN, "preliminary"), (SZ_PLAN, "confirm")), AREAS, strict=True):
            election = by_org[self.orgs[code].id]
            _ChildRun(s, self.cal, plan, stage, self.today, self.now, election, staff[code], self).go()

    def assign_nominees(self, area: str, day: date) -> None:
        """The city assigns its nominees of AREA to that 选举单位: they join its list as its 上级提名人选."""
        for nominee, to in self.nominees:
            if to == area:
                congress_nominees.assign_nominee(self.s, self.city, nominee.id, self.units[self.orgs[to].id].id,
                                                 self.at(15, day))

    def directory(self) -> dict[str, Organisation]:
        """The city above the district, the two new 选举单位 and their 推荐单位 beside it (one import)."""
        existing = all_records(self.s)
        records = [OrgRecord(CITY_CODE, CITY_NAME, "党委"), replace(existing[TOP_CODE], parent_code=CITY_CODE)]
        for code, (name, units) in AREAS.items():
            records.append(OrgRecord(code, name, "党工委", CITY_CODE, sum(u[3] for u in units), sum(u[4] for u in units)))
            records += [OrgRecord(c, n, cat, code, g, m) for c, n, cat, g, m in units]
        import_organisations(self.s, None, records, self.at(9, self.start))
        return {o.code: o for o in self.s.scalars(select(Organisation).where(
            Organisation.code.in_([CITY_CODE, TOP_CODE, *AREAS, *(u[0] for a in AREAS.values() for u in a[1])])))}

    def users(self) -> dict[str, dict[str, User]]:
        """Each new 选举单位's 选举办, 考察组, 纪检 and 经办人, scoped to it."""
        from election.directory.models import Unit

        out = {}
        for code in AREAS:
            org = self.orgs[code].id
            people = {"office": self._user(*OFFICES[code], Role.office, org)}
            for username, role, name in AREA_STAFF[code]:
                people[role.value] = self._user(username, name, role, org)
            for k, (unit_code, unit_name, *_rest) in enumerate(AREAS[code][1], start=1):
                unit = self.s.scalar(select(Unit).where(Unit.code == unit_code))
                self._user(f"{code.lower()}{k:02d}", f"{unit_name}经办人", Role.unit, org, unit_id=unit.id)
            out[code] = people
        return out

    def _user(self, username: str, name: str, role: Role, organisation_id: int, **kw) -> User:
        return self.s.scalar(select(User).where(User.username == username)) or create_user(
            self.s, None, username=username, password=_password(), role=role, display_name=name,
            organisation_id=organisation_id, check_strength=False, now=self.at(13), **kw)


def _password() -> str:
    from seeds.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


class _ChildRun(_Run):
    """seeds/later_stages.py's walk for an election the city 下发: its plan and due dates came from above, its
    initial list goes up for the city's 同意 and its 预备人选 for the 初步审查 and 批复 (instead of typed decisions)."""

    def __init__(self, session, calendar, plan, stage, today, now, election: Election, staff: dict, city: _City):
        super().__init__(session, calendar, plan, stage, today, now)
        self.e, self.city = election, city
        self.office, self.inspector, self.discipline = staff["office"], staff["inspector"], staff["discipline"]
        self.ref_dues = dict(self.dues)  # the walk's own rhythm (what happened when)
        self.dues = {d.stage: d.due_date for d in election.dues} | {"ballot": self.ref_dues["ballot"]}
        self.area = next(code for code, (name, _units) in AREAS.items() if name == plan.electing_body)

    def go(self) -> None:
        for step in (self.set_up, self.nominate, self.shortlist, self.vet_start, self.vet_all, self.preliminary):
            step()
        if self.stage == "confirm":
            self.confirm()

    def set_up(self) -> None:
        """The office fills in what the city did not set (voters, 考察对象 and 初步人选 counts), allocates its
        推荐单位 and starts; the due dates are the city's."""
        from election.directory.models import Unit

        p, created = self.plan, self.moved["plan"]
        setup = elections.setup_of(self.e)
        setup.voters, setup.shortlist_count, setup.preliminary_count = p.voters, p.shortlist, p.preliminary
        elections.update_election(self.s, self.office, self.e.id, setup, self.at(created, 9))
        self.units = {u.code: u for u in self.s.scalars(select(Unit).where(Unit.code.in_(list(p.units))))}
        elections.set_allocations(self.s, self.office, self.e.id, [
            elections.AllocationRow(self.units[c].id, 2, 3, {"领导干部": 1, "基层一线": 2}) for c in p.units],
            self.at(created, 10))
        self.advance(self.moved["deploy"])
        self.advance(self.moved["nominate"])

    def advance(self, day: date, hour: int = 17) -> None:
        source = self.e.stage
        late = day > self.dues.get(source, day)
        decision = elections.advance_stage(self.s, self.e.id, self.office, self.at(day, hour), day,
                                           overdue_reason="" if not late else "按市委时间安排顺延")
        if not decision.allowed:
            raise RuntimeError(f"{self.e.title}: {source} → {[b.message for b in decision.blockers]}")

    def vet_all(self) -> None:
        """Every 考察对象 vetted and both 公示 published (no 反映 here)."""
        start, end = self.moved["vet"], self.moved["preliminary"]
        day = self.wd(start, 1)
        self.assign(self.shortlisted, start)
        for nid in self.notice_ids:
            from election.vetting import services as vetting

            vetting.publish_notice(self.s, self.office, nid, self.at(start, 18, 30))
        for k, nid in enumerate(self.shortlisted):
            self.vet_person(nid, self.wd(day, k % 3), conclude=True)
        self.advance(end)

    def preliminary(self) -> None:
        from election.vetting import services as vetting

        start = self.moved["preliminary"]
        ids = self.shortlisted[:self.plan.preliminary]
        vetting.select_preliminary(self.s, self.office, self.e.id, ids, self.at(start, 17, 30))
        meeting, consent = self.wd(start, 1), self.wd(start, 2)
        place = self.plan.electing_body.removeprefix("中共").removesuffix("工作委员会")
        self.decide("preliminary", f"{place}工委会议", meeting, f"{place}工委纪〔{meeting.year}〕12号")
        report = reports.submit_report(self.s, self.office, self.e.id, "consent", "请予审核同意。",
                                       f"{place}组〔{meeting.year}〕8号", self.at(meeting, 18))
        self.preliminary_ids = ids
        if self.stage == "preliminary":
            return  # waiting for the city's 同意
        reports.approve_report(self.s, self.city.city, report.id, consent, f"市组函〔{consent.year}〕31号", "",
                               self.at(consent, 11), today=consent)
        second = vetting.create_second_notice(self.s, self.office, self.e.id, consent, _contact(self.plan),
                                              self.at(consent, 17))
        vetting.publish_notice(self.s, self.office, second.id, self.at(consent, 17, 30))
        self.advance(self.moved["confirm"])

    def confirm(self) -> None:
        from election.voting import services as voting

        plenum = self.moved["confirm"]
        place = self.plan.electing_body.removeprefix("中共").removesuffix("工作委员会")
        chosen = tuple(self.preliminary_ids[:-1])
        voting.record_confirm_meeting(self.s, self.office, self.e.id, voting.ConfirmInput(
            held_on=plenum, members=25, attendance=23, mode="list", chosen_ids=chosen, body=f"{place}工委全体会议"),
            self.at(plenum, 17))
        self.decide("confirm", f"{place}工委全体会议", plenum, f"{place}工委全纪〔{plenum.year}〕3号")
        self.city.assign_nominees(self.area, plenum)
        report = reports.submit_report(self.s, self.office, self.e.id, "approval", "预备人选名单及有关材料，请予审查批复。",
                                       f"{place}组〔{plenum.year}〕15号", self.at(plenum, 18))
        review = min(self.wd(plenum, 1), self.today)
        reports.review_report(self.s, self.city.city, report.id, "经初步审查，人选结构符合要求，拟提请市委批复。",
                              self.at(review, 10))


def _contact(plan: Plan):
    from election.vetting import services as vetting

    place = plan.electing_body.removeprefix("中共").removesuffix("工作委员会")
    return vetting.ContactInput(f"{place}工委组织部", "0000-12345700", f"{place}行政中心1号楼", f"{place}组织部意见箱")
