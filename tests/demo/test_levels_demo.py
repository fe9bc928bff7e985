"""The demo city (seeds/levels_demo.py): 中共某市委员会 above the demo district and two more 选举单位 in one
installation, its 出席市第十二次党代会代表选举 with the allocations, the district's election linked to it, the two other
elections walked by the rules to where they wait for the city, and logins that each see their own part."""
from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from sqlalchemy import select

from election.accounts.models import User
from election.core.roles import Role
from election.directory.models import Organisation, Unit
from election.elections.models import Election, ElectionDecision
from election.levels.models import Congress, CongressNominee, UpwardReport
from election.voting.models import HigherNominee
from seeds.demo import DEMO_PASSWORD, load_demo
from seeds.levels_demo import CONGRESS_TITLE

DAY = date(2026, 12, 4)  # a Friday
DISTRICT = "某区出席市第十二次党代会代表选举"
NEW_AREA = "某新区出席市第十二次党代会代表选举"
CITY_ORGANS = "某市直属机关出席市第十二次党代会代表选举"


@pytest.fixture
def demo(app, session):
    assert load_demo(session, today=DAY) is True
    return session


def _election(session, title: str) -> Election:
    return session.scalar(select(Election).where(Election.title == title))


def _org(session, code: str) -> Organisation:
    return session.scalar(select(Organisation).where(Organisation.code == code))


def test_the_city_is_on_top_of_the_directory_with_three_electing_bodies(demo):
    city = _org(demo, "SW")
    assert city.parent_id is None and city.name == "中共某市委员会"
    bodies = {o.code for o in demo.scalars(select(Organisation).where(Organisation.parent_id == city.id))}
    assert bodies == {"QW", "XQ", "SZ"}
    for code in ("XQ", "SZ"):  # each new 选举单位 with 推荐单位 of its own, linked as units
        units = demo.scalars(select(Unit).join(Organisation, Unit.organisation_id == Organisation.id)
                             .where(Organisation.parent_id == _org(demo, code).id)).all()
        assert len(units) == 5
    assert demo.scalar(select(Unit).where(Unit.code.in_(["SW", "QW", "XQ", "SZ"]))) is None  # none is a 推荐单位


def test_the_congress_its_requirements_timeline_and_allocations(demo):
    congress = demo.scalar(select(Congress).where(Congress.title == CONGRESS_TITLE))
    district = _election(demo, DISTRICT)
    assert congress.seats == 760 and congress.organisation.code == "SW"
    assert {r["code"]: (r.get("min_share"), r.get("max_share")) for r in congress.quota_rules} == {
        "women": ("30%", None), "minority": ("8%", None), "frontline": ("1/3", None), "leaders": (None, "2/3"),
        "under50": ("40%", None)}
    # the city's timeline is the one the district runs on (seeds/dates.py)
    assert congress.timeline == {d.stage: d.due_date.isoformat() for d in district.dues}
    units = {u.organisation.code: u for u in congress.units}
    assert {c: (u.seats, u.higher_seats) for c, u in units.items()} == {"QW": (16, 3), "XQ": (6, 1), "SZ": (6, 1)}
    rules = {r["code"]: r for r in units["QW"].quota_rules}  # docs/rules.md §8's structure for the district
    assert (rules["leaders"]["max"], rules["frontline"]["min"], rules["models"]["min"], rules["workers"]["min"],
            rules["professionals"]["min"], rules["women"]["min"], rules["minority"]["min"],
            rules["under50"]["min"]) == (9, 7, 3, 1, 4, 7, 1, 9)
    # the district's election is the city's child for the district; the other two were 下发
    assert district.organisation_id == _org(demo, "QW").id and district.congress_id == congress.id
    assert units["QW"].election_id == district.id and district.stage == "nominate"
    assert _election(demo, NEW_AREA).id == units["XQ"].election_id
    assert _election(demo, CITY_ORGANS).id == units["SZ"].election_id


def test_the_other_two_elections_wait_for_the_city(demo):
    xq, sz = _election(demo, NEW_AREA), _election(demo, CITY_ORGANS)
    assert (xq.stage, xq.organisation_id) == ("preliminary", _org(demo, "XQ").id)
    assert (sz.stage, sz.organisation_id) == ("confirm", _org(demo, "SZ").id)
    packages = {(r.election_id, r.kind): r for r in demo.scalars(select(UpwardReport))}
    assert packages[(xq.id, "consent")].status == "submitted"          # waiting for the city's 同意
    assert packages[(sz.id, "consent")].status == "approved"           # agreed in the system ...
    consent = demo.scalar(select(ElectionDecision).where(ElectionDecision.election_id == sz.id,
                                                         ElectionDecision.kind == "higher_consent"))
    assert consent is not None and consent.body == "中共某市委员会"     # ... written into the child's record
    approval = packages[(sz.id, "approval")]
    assert approval.status == "reviewed" and approval.reviewed_at is not None  # 初步审查 done, waiting for the 批复
    # the 市委提名人选: one assigned to the 市直机关, on its list as its 上级提名人选 and in the package
    nominees = {n.name: n for n in demo.scalars(select(CongressNominee))}
    assigned = [n for n in nominees.values() if n.congress_unit_id is not None]
    assert len(nominees) == 2 and len(assigned) == 1 and assigned[0].congress_unit.organisation.code == "SZ"
    higher = demo.get(HigherNominee, assigned[0].higher_nominee_id)
    assert higher.election_id == sz.id
    assert assigned[0].name in {p["name"] for p in approval.people}


def test_demo_logins_and_their_parts(demo):
    users = {u.username: u for u in demo.scalars(select(User).where(User.username.in_(
        ["city", "office", "office2", "office3", "admin", "inspector", "teller", "auditor"])))}
    assert users["city"].role == Role.upper.value and users["city"].organisation.code == "SW"
    assert users["office2"].organisation.code == "XQ" and users["office3"].organisation.code == "SZ"
    assert {users[u].organisation.code for u in ("office", "inspector", "teller")} == {"QW"}
    assert users["admin"].organisation_id is None and users["auditor"].organisation_id is None
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())


def _login(client, username: str) -> None:
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _texts(html: str, xpath: str) -> list[str]:
    return [e.text_content().strip() for e in lxml.html.fromstring(html).xpath(xpath)]


def test_each_login_sees_its_own_part(client, demo):
    congress = demo.scalar(select(Congress).where(Congress.title == CONGRESS_TITLE))
    xq, sz, district = _election(demo, NEW_AREA), _election(demo, CITY_ORGANS), _election(demo, DISTRICT)

    # the city: its three 选举单位, each at its stage
    _login(client, "city")
    page = client.get(f"/levels/congresses/{congress.id}")
    assert page.status_code == 200
    rows = {cells[0]: cells[2] for cells in (
        [td.text_content().strip() for td in tr.findall("td")]
        for tr in lxml.html.fromstring(page.get_data(as_text=True)).xpath('//*[@data-testid="unit-rows"]//tbody/tr'))}
    assert rows == {"中共某区委员会": "推荐提名", "中共某新区工作委员会": "确定初步人选并第二次公示",
                    "中共某市直属机关工作委员会": "确定预备人选"}

    # the 新区's 选举办: its own election only
    _login(client, "office2")
    listed = client.get("/elections/").get_data(as_text=True)
    assert NEW_AREA in listed and DISTRICT not in listed and CITY_ORGANS not in listed
    assert client.get(f"/elections/{district.id}").status_code == 404
    assert client.get(f"/elections/{xq.id}").status_code == 200

    # the district's 选举办: its three elections, not the 新区's or the 市直机关's
    _login(client, "office")
    listed = client.get("/elections/").get_data(as_text=True)
    assert DISTRICT in listed and NEW_AREA not in listed and CITY_ORGANS not in listed
    assert "区直机关出席区第十三次党代会代表选举" in listed and "某区出席省第十三次党代会代表选举" in listed
    assert client.get(f"/elections/{xq.id}").status_code == 404 and client.get(f"/elections/{sz.id}").status_code == 404


def test_the_demo_logins_find_their_work_on_the_pages(client, demo):
    """The city's home, its queue and a package waiting for it; the 新区's home and 上报上级 page with its package."""
    congress = demo.scalar(select(Congress).where(Congress.title == CONGRESS_TITLE))
    xq = _election(demo, NEW_AREA)
    waiting = demo.scalar(select(UpwardReport).where(UpwardReport.election_id == xq.id))
    _login(client, "city")
    for url in ("/", "/levels/", f"/levels/congresses/{congress.id}/reports", f"/levels/reports/{waiting.id}"):
        assert client.get(url, follow_redirects=True).status_code == 200, url
    queue = client.get(f"/levels/congresses/{congress.id}/reports").get_data(as_text=True)
    assert "中共某新区工作委员会" in queue and "中共某市直属机关工作委员会" in queue
    _login(client, "office2")
    assert client.get("/", follow_redirects=True).status_code == 200
    page = client.get(f"/levels/elections/{xq.id}/reports").get_data(as_text=True)
    assert "初步人选" in page and "第1次" in page
