"""The upper committee's overview on a hand-checked city (tests/levels/overview_world.py): per 选举单位 rows,
the congress-wide sums, the combined roster, and a query count that does not grow with the lists."""
from __future__ import annotations

from datetime import date

import pytest

from election.accounts.models import User
from election.core.exceptions import NotFound
from election.levels.services import overview as ov
from tests.levels.overview_world import build_city
from workflow.levels.congress import Status

TODAY = date(2019, 4, 15)


@pytest.fixture
def city(session):
    return build_city(session)


@pytest.fixture
def upper(make_user, session, city):
    u = make_user("upper", organisation_id=city["city"])
    session.commit()
    return u


def test_rows_per_unit(session, city, upper):
    view = ov.congress_overview(session, upper, city["congress"], TODAY)
    a, b, c = view.rows
    assert [r.name for r in view.rows] == ["甲区委", "乙区委", "丙区委"]
    assert (a.standing, a.standing_label, a.listed, a.stage_label) == ("elected", "选举结果", 3, "已完成")
    assert a.deadline is None and a.days_late == 0
    # 乙区: its 预备人选 (the 初步人选 not confirmed and the removed one not counted), its 上级提名, 5 days late
    assert (b.standing, b.listed, b.higher_listed, b.stage_label) == ("confirmed", 4, 1, "差额选举")
    assert b.due == date(2019, 4, 10) and b.days_late == 5
    assert [(w.kind, w.status_label) for w in b.waiting] == [("approval", "待审查")] and view.waiting == 1
    # its own requirement (women ≥ 1 of 3): 2 women among 4, at least 1 whoever is elected
    (own,) = b.own.rows
    assert (own.actual, own.worst, own.worst_ok) == (2, 1, True) and b.own.safe and b.own.feasible
    assert (c.standing, c.election_id, c.stage_label, c.own) == ("none", None, "尚未建立选举", None)
    assert view.seats_allocated == 10 and view.late == (b,)


def test_congress_structure_hand_checked(session, city, upper):
    # women ≥ 3 of 10: 甲 1 (elected) + 乙 3 of (赵敏, 钱红 | 孙刚, 周杰): 1…2, 上级提名 吴军: 0 + 丙 未定 0…3
    #   → as is 1 + 2 + 0 = 3, worst 1 + 1 + 0 = 2 (short by 1), best 1 + 2 + 3 = 6: 可行, 丙区 can add 3, 乙区 1.
    # leaders ≤ 5: 甲 2 + 乙 own 1…2 (钱红, 孙刚 of 4) + 吴军 1 + 丙 0…3 → 4 … 8: worst 8 over by 3, best 4: 可行.
    # minority ≥ 1: 甲 李强 (回族) already elected → 稳妥.
    view = ov.congress_overview(session, upper, city["congress"], TODAY)
    women, leaders, minority = view.structure.requirements
    assert (women.minimum, women.as_is, women.lowest, women.highest) == (3, 3, 2, 6)
    assert women.status is Status.feasible and women.shortfall == 1
    assert [(s.name, s.room) for s in women.could_make_up] == [("丙区委", 3), ("乙区委", 1)]
    assert (leaders.maximum, leaders.lowest, leaders.highest, leaders.status, leaders.shortfall) == (
        5, 4, 8, Status.feasible, 3)
    assert minority.status is Status.safe and minority.lowest == 1
    assert view.structure.joint.feasible and view.structure.status is Status.feasible


def test_jointly_infeasible_when_the_open_unit_is_held_by_its_own_rules(session, make_user):
    # The congress needs 4 women. 丙区 has no election yet, and its allocation allows it no woman (max 0):
    # on the sums alone 1 (甲) + 1…2 (乙) + 0…3 (丙) reaches 4, but with 丙's own rule at most 1 + 2 + 0 = 3.
    ids = build_city(session, code="CITY2", rules=[{"code": "women", "label": "女性", "where": {"gender": "女"},
                                                    "min": 4}])
    from election.levels.models import CongressUnit
    cu = session.get(CongressUnit, ids["units"][2])
    cu.quota_rules = [{"code": "women", "where": {"gender": "女"}, "max": 0}]
    session.commit()
    u = make_user("upper", organisation_id=ids["city"])
    (women,) = (view := ov.congress_overview(session, u, ids["congress"], TODAY)).structure.requirements
    assert women.status is Status.feasible          # alone: 1 + 2 + 3 = 6 ≥ 4
    assert not view.structure.joint.feasible and view.structure.joint.conflicts == ("women",)


def test_roster_in_stroke_order_with_units(session, city, upper):
    congress, rows = ov.congress_roster(session, upper, city["congress"])
    assert congress.id == city["congress"]
    names = [r.name for r in rows]
    assert sorted(names) == sorted(["王芳", "李强", "张伟", "赵敏", "钱红", "孙刚", "周杰", "吴军"])
    # 姓氏笔画: 王(4) 孙(6) 李(7) 吴(7) 张(7) 周(8) 赵(9) 钱(10)
    assert names == ["王芳", "孙刚", "李强", "吴军", "张伟", "周杰", "赵敏", "钱红"]
    by_name = {r.name: r for r in rows}
    assert (by_name["吴军"].unit_name, by_name["吴军"].list_label) == ("乙区委", "上级提名人选")
    assert (by_name["王芳"].unit_name, by_name["王芳"].list_label, by_name["王芳"].gender) == ("甲区委", "当选代表", "女")


def test_other_citys_upper_user_gets_not_found(session, city, make_user):
    other = build_city(session, code="OTHER")
    stranger = make_user("upper", organisation_id=other["city"])
    with pytest.raises(NotFound):
        ov.congress_overview(session, stranger, city["congress"], TODAY)
    assert [(c.id, units, waiting) for c, units, waiting in ov.list_congresses(session, stranger)] == [
        (other["congress"], 3, 1)]


def test_query_count_does_not_grow_with_the_lists(session, make_user, count_queries):
    counts = []
    for i, extra in enumerate((0, 40)):
        ids = build_city(session, code=f"Q{i}", extra_people=extra)
        uid = make_user("upper", organisation_id=ids["city"]).id
        session.commit()
        session.expunge_all()
        u = session.get(User, uid)
        with count_queries() as q:
            view = ov.congress_overview(session, u, ids["congress"], TODAY)
            ov.congress_roster(session, u, ids["congress"])
        assert view.rows[1].listed == 4 + extra
        counts.append(q.count)
    assert counts[0] == counts[1] and counts[0] <= 24, counts


def test_seats_left_empty_by_an_election_stay_open(session, city, upper):
    # 甲区 elected only 王芳 and 李强 of its 3 seats: the third is 未定 — women 1…2 there, not a fixed 1.
    from sqlalchemy import delete

    from election.voting.models import Delegate

    session.execute(delete(Delegate).where(Delegate.name == "张伟"))
    session.commit()
    view = ov.congress_overview(session, upper, city["congress"], TODAY)
    women = view.structure.requirements[0]
    a = women.shares[0]
    assert (a.as_is, a.lowest, a.highest, a.open) == (1, 1, 2, 1)
    assert view.structure.allocated == 10 and not view.structure.notes
