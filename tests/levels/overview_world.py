"""A hand-checked city for the overview tests: a congress of 10 seats over three 选举单位 —

- 甲区 (3 seats): result recorded — 王芳 (女, 汉族, 工人), 李强 (男, 回族, 局级领导干部), 张伟 (男, 汉族, 处级领导干部);
- 乙区 (3 seats + 1 上级提名): at 代表选举, 预备人选 赵敏 (女, 专业技术人员), 钱红 (女, 处级领导干部),
  孙刚 (男, 局级领导干部), 周杰 (男, 其他一线) — 3 of 4 elected; 上级提名 吴军 (男, 局级领导干部); an 初步人选 not
  confirmed and a removed nominee who count nowhere; its ballot was due 2019-04-10; a package waiting, one decided;
- 丙区 (3 seats): no election yet (未定).

Requirements over 10 seats: 女性 ≥ 30% (3), 领导干部 ≤ 5, 少数民族 ≥ 1.
"""
from __future__ import annotations

from datetime import date, datetime

from election.directory.models import ElectionUnit, Organisation, Unit
from election.elections.models import Election, StageDue
from election.levels.models import Congress, CongressUnit, UpwardReport
from election.nominations.models import Nominee
from election.voting.models import Delegate, HigherNominee, VotingResult
from workflow.common.idcard import make_id

RULES = [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min_share": "30%"},
         {"code": "leaders", "label": "领导干部", "where": {"category_in": ["领导干部"]}, "max": 5},
         {"code": "minority", "label": "少数民族", "where": {"ethnicity_not": "汉族"}, "min": 1}]
ELECTED = [("王芳", "女", "汉族", date(1980, 5, 1), "工人"), ("李强", "男", "回族", date(1970, 1, 2), "局级领导干部"),
           ("张伟", "男", "汉族", date(1965, 3, 3), "处级领导干部")]
CONFIRMED = [("赵敏", "女", "汉族", date(1982, 2, 1), "专业技术人员"), ("钱红", "女", "汉族", date(1976, 6, 1), "处级领导干部"),
             ("孙刚", "男", "汉族", date(1968, 8, 1), "局级领导干部"), ("周杰", "男", "汉族", date(1985, 9, 1), "其他一线")]
CONGRESS_TITLE = "出席市第十二次党代会代表选举"


def _nominee(election, eu, i, name, gender, eth, born, category, step="confirmed", removed=None):
    return Nominee(election_id=election.id, election_unit_id=eu.id, position=i, name=name, gender=gender,
                   ethnicity=eth, birth_date=born, id_number=make_id("110105", born, i % 90 + 1, gender == "男"),
                   workplace_title=f"{name}所在单位职务", category=category, step=step, removed_reason=removed)


def build_city(session, *, code: str = "CITY", extra_people: int = 0, rules=None) -> dict:
    """The city above; EXTRA_PEOPLE more 预备人选 in 乙区 and more 考察对象-stage people (for the query budget).
    Returns ids: city org, congress, the three allocations, the elections."""
    city = Organisation(code=code, name=f"{code}市委", category="党委")
    session.add(city)
    session.flush()
    orgs = []
    for i, name in enumerate(("甲区委", "乙区委", "丙区委")):
        org = Organisation(code=f"{code}-{i}", name=name, category="党委", parent_id=city.id)
        session.add(org)
        orgs.append(org)
    session.flush()
    congress = Congress(title=CONGRESS_TITLE, organisation_id=city.id, seats=10, age_reference_date=date(2019, 4, 10),
                        quota_rules=RULES if rules is None else rules, timeline={"ballot": "2019-04-10"})
    session.add(congress)
    session.flush()
    a = Election(title="甲区出席市第十二次党代会代表选举", seats=3, stage="completed", organisation_id=orgs[0].id,
                 congress_id=congress.id, age_reference_date=date(2019, 4, 10))
    b = Election(title="乙区出席市第十二次党代会代表选举", seats=3, higher_nominated_seats=1, stage="ballot",
                 organisation_id=orgs[1].id, congress_id=congress.id, age_reference_date=date(2019, 4, 10),
                 quota_rules=[{"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 1}])
    session.add_all([a, b])
    session.flush()
    units = []
    for election in (a, b):
        unit = Unit(code=f"{code}-U{election.id}", name=f"{code}{election.title[:2]}推荐单位", kind="党工委")
        session.add(unit)
        session.flush()
        eu = ElectionUnit(election_id=election.id, unit_id=unit.id, quota=11, report_count=17)
        session.add(eu)
        units.append(eu)
    session.flush()
    for i, (name, gender, eth, born, cat) in enumerate(ELECTED):
        n = _nominee(a, units[0], i, name, gender, eth, born, cat)
        session.add(n)
        session.flush()
        session.add(Delegate(election_id=a.id, nominee_id=n.id, name=name, unit=n.workplace_title, votes=9))
    session.add(VotingResult(election_id=a.id, elected=[p[0] for p in ELECTED], recorded_at=datetime(2019, 4, 9)))
    people = list(CONFIRMED) + [(f"林{i:03d}", "男", "汉族", date(1970, 1, 1), "其他一线") for i in range(extra_people)]
    for i, (name, gender, eth, born, cat) in enumerate(people):
        session.add(_nominee(b, units[1], i, name, gender, eth, born, cat))
    session.add(_nominee(b, units[1], 90, "郑燕", "女", "壮族", date(1979, 1, 1), "工人", step="preliminary"))
    session.add(_nominee(b, units[1], 91, "冯兰", "女", "满族", date(1979, 1, 1), "工人", removed="本人申请退出"))
    for i in range(extra_people):
        session.add(_nominee(b, units[1], 100 + i, f"陈{i:03d}", "女", "汉族", date(1979, 1, 1), "工人",
                             step="shortlisted"))
    session.add(HigherNominee(election_id=b.id, name="吴军", gender="男", ethnicity="汉族", birth_date=date(1966, 1, 1),
                              category="局级领导干部", workplace_title="市某局局长"))
    session.add(StageDue(election_id=b.id, stage="ballot", due_date=date(2019, 4, 10)))
    session.add_all([
        UpwardReport(election_id=b.id, kind="approval", attempt=1, status="submitted", people=[],
                     submitted_at=datetime(2019, 4, 1, 2)),
        UpwardReport(election_id=b.id, kind="consent", attempt=1, status="approved", people=[],
                     submitted_at=datetime(2019, 3, 15, 2), decided_at=datetime(2019, 3, 16, 2)),
    ])
    cu = [CongressUnit(congress_id=congress.id, organisation_id=orgs[0].id, election_id=a.id, seats=3),
          CongressUnit(congress_id=congress.id, organisation_id=orgs[1].id, election_id=b.id, seats=3, higher_seats=1),
          CongressUnit(congress_id=congress.id, organisation_id=orgs[2].id, seats=3)]
    session.add_all(cu)
    session.commit()
    return {"city": city.id, "congress": congress.id, "units": [c.id for c in cu], "elections": [a.id, b.id],
            "orgs": [o.id for o in orgs]}
