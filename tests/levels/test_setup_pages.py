"""The upper committee's set-up pages and API: the congress, the allocation table (未分配 shown, one over refused),
the .xlsx template round trip and an import whose bad cells name row and column (nothing written), 下发, the
nominees; an upper user of another city gets 404, a district office and the 审计 cannot write."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from election.directory.models import Organisation
from election.elections.models import Election
from election.levels.models import Congress, CongressNominee, CongressUnit
from election.levels.readers import COLUMNS


class _WithHeaders:
    """The test client with a token on every call."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def __getattr__(self, method):
        return lambda *a, **kw: getattr(self.client, method)(*a, headers=self.headers, **kw)


@pytest.fixture(name="city")
def city_fixture(session):
    city = Organisation(code="P01", name="中共某市委员会", category="党委")
    other = Organisation(code="Q01", name="中共另一市委员会", category="党委")
    session.add_all([city, other])
    session.flush()
    a = Organisation(code="P011", name="中共甲区委员会", category="党委", parent_id=city.id)
    b = Organisation(code="P012", name="中共乙区委员会", category="党委", parent_id=city.id)
    session.add_all([a, b])
    session.commit()
    return {"city": city, "other": other, "a": a, "b": b}


def _congress(client, city) -> Congress:
    response = client.post("/levels/congresses/new", data={
        "title": "出席市第十二次党代会代表选举", "organisation_id": city["city"].id, "seats": "20",
        "age_reference_date": "2027-04-10", "categories": "基层一线：先进模范人物、专业技术人员、其他一线\n"
        "先进模范人物：工人、农民、其他先进模范\n领导干部：局级领导干部、处级领导干部\n其他：",
        "due_ballot": "2027-04-10", "rules-0-code": "women", "rules-0-rule_label": "女性", "rules-0-kind": "gender",
        "rules-0-value": "女", "rules-0-min_share": "30%", **{f"rules-{i}-kind": "" for i in range(1, 10)}})
    assert response.status_code == 302, response.get_data(as_text=True)
    from election.core.db import db

    return db.session.scalar(select(Congress).order_by(Congress.id.desc()))


def _allocate(client, congress, city, a_seats, b_seats, **extra):
    data = {f"seats_{city['a'].id}": str(a_seats), f"higher_{city['a'].id}": "1", f"women_{city['a'].id}": "7",
            f"seats_{city['b'].id}": str(b_seats), **extra}
    return client.post(f"/levels/congresses/{congress.id}/allocations", data=data, follow_redirects=True)


def test_the_upper_committee_sets_up_its_election_through_the_pages(client, session, login_as, auth, make_user, city):
    login_as("upper", organisation_id=city["city"].id)
    congress = _congress(client, city)
    assert congress.quota_rules == [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min_share": "30%"}]
    assert congress.timeline == {"ballot": "2027-04-10"}
    page = _allocate(client, congress, city, 10, 10).get_data(as_text=True)
    assert "超过代表名额20名，多出1名" in page
    page = _allocate(client, congress, city, 10, 9).get_data(as_text=True)
    assert "共分配20名，未分配0名" in page and "未分配0名" in page
    unit = session.scalar(select(CongressUnit).where(CongressUnit.organisation_id == city["a"].id))
    assert unit.quota_rules == [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 7}]
    page = client.post(f"/levels/congresses/{congress.id}/children", follow_redirects=True).get_data(as_text=True)
    assert "已下发2个选举单位的选举" in page
    child = session.get(Election, unit.election_id)
    assert child.title == "甲区出席市第十二次党代会代表选举" and child.seats == 10
    page = client.post(f"/levels/congresses/{congress.id}/nominees", data={
        "name": "丁一", "gender": "男", "ethnicity": "汉族", "birth_date": "1970-01-01", "category": "局级领导干部",
        "workplace_title": "某市某局局长"}, follow_redirects=True).get_data(as_text=True)
    assert "已登记市委提名人选“丁一”" in page
    person = session.scalar(select(CongressNominee).where(CongressNominee.name == "丁一"))
    page = client.post(f"/levels/congress-nominees/{person.id}/assign", data={"congress_unit_id": unit.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "已保存“丁一”的分配" in page and "中共甲区委员会" in page
    # the district's side says where its seats come from
    office = make_user("office", organisation_id=city["a"].id)
    session.commit()
    auth.logout()
    auth.login(office.username)
    assert "由上级组织部门下达" in client.get(f"/elections/{child.id}").get_data(as_text=True)
    assert "由上级组织部门下达" in client.get(f"/elections/{child.id}/edit").get_data(as_text=True)


def test_the_template_round_trips_and_a_bad_sheet_names_row_and_column(client, session, login_as, city):
    login_as("upper", organisation_id=city["city"].id)
    congress = _congress(client, city)
    _allocate(client, congress, city, 8, 6)
    response = client.get(f"/levels/congresses/{congress.id}/allocations/template")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    ws = wb.active
    assert tuple(c.value for c in ws[1]) == COLUMNS
    assert [ws.cell(r, 2).value for r in (2, 3)] == ["中共甲区委员会", "中共乙区委员会"]
    assert ws.cell(2, 3).value == 8 and ws.cell(2, COLUMNS.index("妇女不少于") + 1).value == 7
    ws.cell(3, 3).value = 12
    ws.cell(3, COLUMNS.index("基层一线不少于") + 1).value = "很多"
    ws.cell(2, 4).value = -1
    bad = io.BytesIO()
    wb.save(bad)
    response = client.post(f"/levels/congresses/{congress.id}/allocations/import",
                           data={"file": (io.BytesIO(bad.getvalue()), "分配.xlsx")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第2行" in page and "上级提名名额" in page and "第3行" in page and "基层一线不少于" in page
    unit = session.scalar(select(CongressUnit).where(CongressUnit.organisation_id == city["b"].id))
    assert unit.seats == 6  # nothing half-written
    ws.cell(3, COLUMNS.index("基层一线不少于") + 1).value = 3
    ws.cell(2, 4).value = 0
    good = io.BytesIO()
    wb.save(good)
    page = client.post(f"/levels/congresses/{congress.id}/allocations/import",
                       data={"file": (io.BytesIO(good.getvalue()), "分配.xlsx")},
                       follow_redirects=True).get_data(as_text=True)
    assert "共分配20名，未分配0名" in page
    session.refresh(unit)
    assert unit.seats == 12
    assert {"code": "frontline", "label": "基层一线", "where": {"category_in": ["基层一线"]}, "min": 3} in unit.quota_rules


def test_scope_other_city_404_district_and_auditor_cannot_write(client, session, login_as, auth, city, make_user,
                                                               token_for):
    login_as("upper", organisation_id=city["city"].id)
    congress = _congress(client, city)
    stranger = make_user("upper", organisation_id=city["other"].id)
    district = make_user("office", organisation_id=city["a"].id)
    office = make_user("office")  # the whole installation's 选举办: not the upper committee's staff
    auditor = make_user("auditor")
    session.commit()
    for user, get, post in ((stranger, 404, 404), (district, 404, 404), (office, 403, 403), (auditor, 200, 403)):
        auth.logout()
        auth.login(user.username)
        assert client.get(f"/levels/congresses/{congress.id}/allocations").status_code == get
        assert _allocate(client, congress, city, 1, 1).status_code == post
    _, stranger_api = token_for("upper", organisation_id=city["other"].id)
    _, office_api = token_for("office")
    session.commit()
    assert client.get(f"/api/v1/congresses/{congress.id}", headers=stranger_api).status_code == 404
    assert client.put(f"/api/v1/congresses/{congress.id}/allocations", headers=office_api,
                      json={"units": []}).status_code == 403
    session.refresh(congress)
    assert congress.units == []


def test_api_allocations_children_and_assignment(client, session, login_as, city, token_for):
    login_as("upper", organisation_id=city["city"].id)
    congress = _congress(client, city)
    _, headers = token_for("upper", organisation_id=city["city"].id)
    session.commit()
    client = _WithHeaders(client, headers)
    url = f"/api/v1/congresses/{congress.id}/allocations"
    over = client.put(url, json={"units": [{"organisation_id": city["a"].id, "seats": 15, "higher_seats": 1},
                                           {"organisation_id": city["b"].id, "seats": 5}]})
    assert over.status_code == 422 and "多出1名" in over.get_json()["error"]["message"]
    ok = client.put(url, json={"units": [{"organisation_id": city["a"].id, "seats": 14, "higher_seats": 1},
                                         {"organisation_id": city["b"].id, "seats": 5}]})
    assert ok.status_code == 200 and ok.get_json()["unallocated"] == 0
    made = client.post(f"/api/v1/congresses/{congress.id}/children", json={})
    assert made.status_code == 201 and len(made.get_json()["elections"]) == 2
    person = client.post(f"/api/v1/congresses/{congress.id}/nominees", json={
        "name": "丁一", "gender": "男", "birth_date": "1970-01-01", "category": "局级领导干部"}).get_json()
    unit_a = next(u for u in ok.get_json()["units"] if u["organisation_id"] == city["a"].id)
    assigned = client.put(f"/api/v1/congress-nominees/{person['id']}/assignment",
                          json={"congress_unit_id": unit_a["id"]})
    assert assigned.status_code == 200 and assigned.get_json()["higher_nominee_id"]
    second = client.post(f"/api/v1/congresses/{congress.id}/nominees", json={
        "name": "王二", "gender": "女", "birth_date": "1972-01-01", "category": "专业技术人员"}).get_json()
    full = client.put(f"/api/v1/congress-nominees/{second['id']}/assignment", json={"congress_unit_id": unit_a["id"]})
    assert full.status_code == 422 and "上级提名名额为1名" in full.get_json()["error"]["message"]
    bad = client.post(f"{url}/file", data={"file": (io.BytesIO(b"not a workbook"), "x.xlsx")})
    assert bad.status_code == 422
    assert client.get(f"/api/v1/congresses/{congress.id}/nominees").get_json()[0]["congress_unit_id"] == unit_a["id"]
    assert date(2027, 4, 10).isoformat() == client.get(f"/api/v1/congresses/{congress.id}").get_json()["timeline"]["ballot"]


def test_link_edit_and_delete_through_the_pages(client, session, login_as, city, make_election):
    login_as("upper", organisation_id=city["city"].id)
    congress = _congress(client, city)
    _allocate(client, congress, city, 8, 6)
    own = make_election(stage="nominate", organisation_id=city["b"].id, seats=3, title="乙区已有的选举")
    session.commit()
    unit_b = session.scalar(select(CongressUnit).where(CongressUnit.organisation_id == city["b"].id))
    page = client.get(f"/levels/congresses/{congress.id}/children").get_data(as_text=True)
    assert "乙区已有的选举" in page
    page = client.post(f"/levels/congresses/{congress.id}/children/link",
                       data={"congress_unit_id": unit_b.id, "election_id": own.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "已关联选举“乙区已有的选举”" in page
    session.refresh(own)
    assert (own.congress_id, own.seats) == (congress.id, 6)
    client.post(f"/levels/congresses/{congress.id}/nominees", data={
        "name": "丁一", "gender": "男", "birth_date": "1970-01-01", "category": "局级领导干部"})
    person = session.scalar(select(CongressNominee).where(CongressNominee.name == "丁一"))
    assert client.get(f"/levels/congress-nominees/{person.id}/edit").status_code == 200
    client.post(f"/levels/congress-nominees/{person.id}/edit", data={
        "name": "丁一民", "gender": "男", "birth_date": "1970-01-01", "category": "处级领导干部"})
    session.refresh(person)
    assert (person.name, person.category) == ("丁一民", "处级领导干部")
    page = client.post(f"/levels/congress-nominees/{person.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "已删除" in page and session.get(CongressNominee, person.id) is None
