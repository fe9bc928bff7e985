"""Each role's 工作台 shows its own work, with links that answer, in a fixed number of statements."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from election.core.clock import today_local, utcnow


def _links(html: str) -> list[str]:
    return [h for h in re.findall(r'href="([^"#]+)"', html) if h.startswith("/") and not h.startswith("/static")]


def _links_answer(client, html: str) -> None:
    for href in _links(html):
        assert client.get(href, follow_redirects=True).status_code == 200, href


def _vetted_people(session, make_election, count: int, stage="vet"):
    from election.directory.models import ElectionUnit
    from election.nominations.models import Nominee

    election = make_election(stage=stage, units=1)
    eu = session.query(ElectionUnit).filter_by(election_id=election.id).one()
    people = [Nominee(election_id=election.id, election_unit_id=eu.id, name=f"考察{i}", gender="男", ethnicity="汉族",
                      id_number=f"1101051980010100{i:02d}", birth_date=date(1980, 1, 1), category="工人",
                      step="shortlisted") for i in range(count)]
    session.add_all(people)
    session.flush()
    return election, people


def _assign(session, election, people, user):
    from election.vetting.models import InspectorAssignment

    session.add_all(InspectorAssignment(election_id=election.id, nominee_id=n.id, user_id=user.id) for n in people)
    session.flush()


def test_inspector_home_lists_my_people_and_what_each_needs(client, session, login_as, make_election, make_user):
    from election.vetting.models import Vetting

    election, people = _vetted_people(session, make_election, 3)
    me = login_as("inspector")
    _assign(session, election, people[:2], me)
    _assign(session, election, people[2:], make_user("inspector"))
    session.add(Vetting(election_id=election.id, nominee_id=people[0].id, file_audit="passed", appraisal_count=30))
    session.flush()
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="my-people"' in html and "考察0" in html and "考察1" in html and "考察2" not in html
    row0 = html.split(f'data-nominee="{people[0].id}"')[1].split("</tr>")[0]
    assert "尚未录入档案审核" not in row0 and "尚未录入个别谈话人数" in row0
    assert "尚未录入档案审核" in html.split(f'data-nominee="{people[1].id}"')[1].split("</tr>")[0]
    assert f"/vetting/people/{people[0].id}" in html and "API令牌" not in html
    _links_answer(client, html)


def test_inspector_home_query_budget(client, session, login_as, make_election, count_queries):
    me = login_as("inspector")
    election, people = _vetted_people(session, make_election, 2)
    _assign(session, election, people, me)
    with count_queries() as small:
        assert client.get("/").status_code == 200
    election, people = _vetted_people(session, make_election, 12)
    _assign(session, election, people, me)
    with count_queries() as big:     # another query string: the page cache must not answer
        assert client.get("/?size=big").status_code == 200
    assert big.count == small.count, big.statements


def test_discipline_home_lists_opinions_and_complaints_waiting(client, session, login_as, make_election,
                                                               count_queries):
    from election.vetting.models import Complaint, Notice, Vetting

    election, people = _vetted_people(session, make_election, 2)
    me = login_as("discipline")
    session.add(Vetting(election_id=election.id, nominee_id=people[0].id, discipline_opinion="无意见",
                        discipline_by_id=me.id, discipline_at=utcnow()))
    notice = Notice(election_id=election.id, kind="second", title="公示", posted_on=today_local(),
                    period_end=today_local() + timedelta(days=7), office_name="选举办", office_phone="1",
                    office_address="地址", office_mailbox="信箱")
    session.add(notice)
    session.flush()
    session.add(Complaint(notice_id=notice.id, nominee_id=people[1].id, channel="phone", received_on=today_local(),
                          content="反映内容", status="assigned", assigned_to_id=me.id))
    session.flush()
    with count_queries() as small:
        html = client.get("/").get_data(as_text=True)
    waiting = html.split('data-testid="opinions-waiting"')[1].split("</section>")[0]
    assert "考察1" in waiting and "考察0" not in waiting and "录入纪检机关意见" in waiting
    complaints = html.split('data-testid="my-complaints"')[1].split("</section>")[0]
    assert "考察1" in complaints and "已交办" in complaints and "/vetting/complaints/" in complaints
    _links_answer(client, html)
    _vetted_people(session, make_election, 10)
    with count_queries() as big:     # another query string: the page cache must not answer
        assert client.get("/?size=big").status_code == 200
    assert big.count == small.count, big.statements


def _round(session, election, round_no=1):
    from election.voting.models import BallotRound

    rnd = BallotRound(election_id=election.id, round_no=round_no, seats=2, eligible=100, present=90, ballots_issued=90,
                      ballots_collected=90, candidates=["甲", "乙", "丙"], status="open")
    session.add(rnd)
    session.flush()
    return rnd


def test_teller_home_lists_open_rounds_and_my_entry(client, session, login_as, make_election, make_user,
                                                    count_queries):
    from election.voting.models import TellerEntry

    election = make_election(stage="ballot", units=1)
    rnd = _round(session, election)
    other = make_user("teller")
    me = login_as("teller")
    session.add(TellerEntry(round_id=rnd.id, entry_no=1, teller_id=other.id, totals={}))
    session.flush()
    with count_queries() as small:
        html = client.get("/").get_data(as_text=True)
    rounds = html.split('data-testid="my-rounds"')[1].split("</section>")[0]
    assert "第1轮" in rounds and f"{other.display_name}已录入" in rounds and "进行第2次录入" in rounds
    assert f"/voting/rounds/{rnd.id}/entry/2" in rounds
    _links_answer(client, html)
    session.add(TellerEntry(round_id=rnd.id, entry_no=2, teller_id=me.id, totals={}))
    for n in range(2, 6):
        _round(session, election, n)
    with count_queries() as big:
        html = client.get("/?size=big").get_data(as_text=True)
    assert big.count == small.count, big.statements
    assert "我已录入" in html and "核对或修改第2次录入" in html


def test_auditor_home_is_the_overview_without_actions(client, session, login_as, make_election):
    from tests.dashboard.test_pages import _election

    _election(session, make_election, units=3, submitted=1)
    login_as("auditor")
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="election-panel"' in html and 'data-testid="blockers"' in html
    assert "<form" not in html.split("<main")[1] and "批量生成登记表" not in html and "系统初始化" not in html
    _links_answer(client, html)


def test_office_home_folds_blockers_by_kind(client, session, login_as, make_election, count_queries):
    from tests.dashboard.test_pages import _election

    _election(session, make_election, units=5, submitted=1)
    login_as("office")
    html = client.get("/").get_data(as_text=True)
    blockers = html.split('data-testid="next-step"')[1].split("</div>")[0]
    assert "下一步：进入“确定考察对象”阶段" in html
    assert "4个推荐单位尚未报送推荐人选" in blockers and "<details>" in blockers
    assert blockers.count('data-code="nominate.unit_not_submitted"') == 4
    assert "API令牌" in html


def test_election_page_folds_unit_blockers(client, session, login_as, make_election):
    from tests.dashboard.test_pages import _election

    election = _election(session, make_election, units=4, submitted=1)
    login_as("office")
    html = client.get(f"/elections/{election.id}").get_data(as_text=True)
    section = html.split('data-testid="blockers"')[1].split("</div>")[0]
    assert section.count("尚未报送推荐人选") == 1 and "3个推荐单位尚未报送推荐人选" in section
    assert section.count('data-code="nominate.unit_not_submitted"') == 3


def test_group_blockers_keeps_a_single_one_whole():
    from election.dashboard.blockers import group_blockers
    from workflow.common.results import Blocker

    one = Blocker("nominate.unit_not_submitted", "推荐单位“甲”尚未报送推荐人选，请督促其提交")
    lists = [Blocker("unit_list.report_count", "推荐单位“乙”：应上报3名，已录入2名"),
             Blocker("unit_list.breakdown.women", "推荐单位“乙”：妇女不足"),
             Blocker("unit_list.empty", "推荐单位“丙”：本单位尚未录入推荐人选")]
    groups = group_blockers([one, *lists])
    assert [g.kind for g in groups] == ["nominate.unit_not_submitted", "unit_list"]
    assert groups[0].summary == one.message and not groups[0].folded
    assert groups[1].summary.startswith("2个推荐单位的名单不符合要求")
    assert [i.label for i in groups[1].items] == ["乙：应上报3名，已录入2名", "乙：妇女不足", "丙：本单位尚未录入推荐人选"]


@pytest.fixture
def office(session):
    from election.directory.models import DelegateOffice

    o = DelegateOffice(name="工作台工作室")
    session.add(o)
    session.flush()
    return o


def _delegates(session, office, n, user_id=None, prefix="工作台代表"):
    from election.duties.models import TermDelegate

    out = [TermDelegate(name=f"{prefix}{i}", gender="男", level="区", congress="区第十二次党代会",
                        term_start=date(2022, 1, 1), term_end=date(2030, 12, 31), electing_unit="单位",
                        office_id=office.id, user_id=user_id if i == 0 else None) for i in range(n)]
    session.add_all(out)
    session.flush()
    return out


def test_delegate_home_shows_duties_due_now(client, session, login_as, office, count_queries):
    from election.duties.models import ActivityRecord

    me = login_as("delegate")
    d = _delegates(session, office, 1, me.id)[0]
    session.add(ActivityRecord(delegate_id=d.id, type_code="duty_reception", on=today_local(), status="returned",
                               return_reason="缺少照片", verified_at=utcnow()))
    session.flush()
    with count_queries() as small:
        html = client.get("/").get_data(as_text=True)
    assert 'data-testid="duties-due"' in html and "缺少照片" in html and "API令牌" not in html
    _links_answer(client, html)
    session.add_all(ActivityRecord(delegate_id=d.id, type_code="duty_reception", on=today_local(), status="pending")
                    for _ in range(10))
    session.flush()
    with count_queries() as big:
        assert "另有" in client.get("/?size=big").get_data(as_text=True)
    assert big.count == small.count, big.statements


def test_studio_home_shows_queue_and_petitions_with_time_left(client, session, login_as, office, count_queries):
    from election.duties.models import ActivityRecord, Petition

    login_as("studio", office_id=office.id)
    people = _delegates(session, office, 2)
    session.add(ActivityRecord(delegate_id=people[0].id, type_code="duty_reception", on=today_local(),
                               status="pending", description="接访群众"))
    session.add(Petition(office_id=office.id, resident_name="张三", content="路灯不亮", state="registered",
                         registered_at=datetime.combine(today_local() - timedelta(days=5), datetime.min.time())))
    session.flush()
    with count_queries() as small:
        html = client.get("/").get_data(as_text=True)
    assert "待核实的履职活动（1项）" in html and "接访群众" in html
    petitions = html.split('data-testid="petitions-by-step"')[1].split("</section>")[0]
    assert "登记（1件）" in petitions and "张三" in petitions and "已超期" in petitions
    _links_answer(client, html)
    more = _delegates(session, office, 8, prefix="另一代表")
    session.add_all(ActivityRecord(delegate_id=d.id, type_code="duty_reception", on=today_local(), status="pending")
                    for d in more)
    session.add_all(Petition(office_id=office.id, resident_name=f"居民{i}", content="诉求", state="registered",
                             registered_at=utcnow()) for i in range(8))
    session.flush()
    with count_queries() as big:     # another query string: the page cache must not answer
        assert client.get("/?size=big").status_code == 200
    assert big.count == small.count, big.statements
