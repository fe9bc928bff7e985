"""Fixtures of the 年会 tests: a district committee (organisation) with its congress's roll of delegates (12 in
office, one whose seat is vacated, one suspended), its 选举办 limited to it, a session being prepared, and another
district whose staff must reach none of it. Built from the models directly; committed, so a refused request's
rollback keeps them."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from election.assembly.models import AssemblySession
from election.directory.models import Organisation
from election.duties.models import TermDelegate

DAY = date(2026, 12, 1)
CONGRESS = "区第十二次党代会"
NAMES = ["王芳", "李娜", "张伟", "陈静", "刘强", "杨洋", "赵磊", "黄敏", "周杰", "吴刚", "徐丽", "孙涛"]
_seq = itertools.count(1)


@dataclass
class AssemblyWorld:
    district: Organisation
    other_district: Organisation
    congress: str
    delegates: list          # the 12 in office, in NAMES order
    vacated: TermDelegate    # 资格终止: not on the roll
    suspended: TermDelegate  # 停止执行代表职务: not on the roll
    office: object           # the district's 选举办 (limited to it)
    other_office: object     # another district's 选举办
    admin: object
    teller: object
    teller2: object
    delegate_user: object    # the user of delegates[0]
    session: AssemblySession  # 第五次会议, being prepared, opening on DAY + 14


@pytest.fixture
def assembly_world(session, make_user) -> AssemblyWorld:
    n = next(_seq)
    district = Organisation(code=f"AS-D{n}", name="中共某区委员会", category="党委")
    other = Organisation(code=f"AS-O{n}", name="中共另一区委员会", category="党委")
    session.add_all([district, other])
    session.flush()
    congress = f"{CONGRESS}{n}"
    delegate_user = make_user("delegate")
    common = {"congress": congress, "level": "区", "term_start": DAY - timedelta(days=1500),
              "term_end": DAY + timedelta(days=300)}
    people = [TermDelegate(name=name, gender="女" if i % 3 == 0 else "男", group_name=f"第{i % 3 + 1}代表小组",
                           user_id=delegate_user.id if i == 0 else None, **common)
              for i, name in enumerate(NAMES)]
    vacated = TermDelegate(name="钱进", gender="男", status="terminated", status_reason="deceased", status_issuer="区委",
                           status_doc_no="区委〔2026〕1号", status_decided_on=DAY - timedelta(days=90), **common)
    suspended = TermDelegate(name="郑安", gender="男", status="suspended", status_reason="transferred_out",
                             status_issuer="区委", status_doc_no="区委〔2026〕2号",
                             status_decided_on=DAY - timedelta(days=60), **common)
    session.add_all([*people, vacated, suspended])
    office = make_user("office", organisation_id=district.id)
    other_office = make_user("office", organisation_id=other.id)
    s = AssemblySession(organisation_id=district.id, congress=congress, meeting_no=5,
                        title="中国共产党某区第十二次代表大会第五次会议", opens_on=DAY + timedelta(days=14),
                        closes_on=DAY + timedelta(days=15), place="区委党校礼堂", created_by_id=office.id)
    session.add(s)
    world = AssemblyWorld(district, other, congress, people, vacated, suspended, office, other_office,
                          make_user("admin"), make_user("teller"), make_user("teller"), delegate_user, s)
    session.commit()
    return world
