from __future__ import annotations

from datetime import date

import pytest

from election.core.permissions import can_view_unit
from election.core.roles import Role
from election.directory.models import ElectionUnit
from election.nominations.models import Nominee
from workflow.common.idcard import make_id


@pytest.fixture
def two_units(session, make_election):
    election = make_election(units=2)
    own, other = session.query(ElectionUnit).filter_by(election_id=election.id).order_by(ElectionUnit.id).all()
    session.add(Nominee(election_id=election.id, election_unit_id=other.id, name="欧阳秘密", gender="女",
                        ethnicity="汉族", id_number=make_id("110105", date(1980, 5, 1), 1, False),
                        birth_date=date(1980, 5, 1), category="工人"))
    session.flush()
    return election, own, other


def test_unit_user_sees_own_unit_list(client, login_as, two_units):
    _, own, _ = two_units
    login_as("unit", unit_id=own.unit_id)
    assert client.get(f"/units/{own.id}").status_code == 200


def test_unit_user_gets_404_and_no_data_for_another_unit(client, login_as, two_units):
    _, own, other = two_units
    login_as("unit", unit_id=own.unit_id)
    response = client.get(f"/units/{other.id}")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "欧阳秘密" not in body and other.unit.name not in body


@pytest.mark.parametrize("path", ["/elections/", "/admin/audit", "/admin/users"])
def test_unit_user_refused_office_pages(client, login_as, two_units, path):
    _, own, _ = two_units
    login_as("unit", unit_id=own.unit_id)
    response = client.get(path)
    assert response.status_code == 403 and "无权访问" in response.get_data(as_text=True)


@pytest.mark.parametrize("role,status", [("admin", 200), ("auditor", 200), ("office", 403), ("delegate", 403)])
def test_audit_page_only_for_admin_and_auditor(client, login_as, role, status):
    kw = {}
    if role == "studio":
        kw["office_id"] = None
    login_as(role, **kw)
    assert client.get("/admin/audit").status_code == status


def test_election_pages_for_staff(client, login_as, two_units):
    election, own, other = two_units
    login_as("office")
    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert own.unit.name in page and other.unit.name in page
    assert client.get(f"/units/{other.id}").status_code == 200


def test_anonymous_redirected_to_login(client, two_units):
    _, own, _ = two_units
    response = client.get(f"/units/{own.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_id_numbers_masked_except_for_admin(client, login_as, two_units, auth):
    _, _, other = two_units
    full = make_id("110105", date(1980, 5, 1), 1, False)
    login_as("office")
    page = client.get(f"/units/{other.id}").get_data(as_text=True)
    assert full not in page and full[:3] + "*" * 11 + full[-4:] in page
    auth.logout()
    login_as("admin")
    assert full in client.get(f"/units/{other.id}").get_data(as_text=True)


def test_can_view_unit_predicate_matches_the_page(make_user, two_units):
    _, own, other = two_units
    unit_user = make_user("unit", unit_id=own.unit_id)
    assert can_view_unit(unit_user, own.unit_id) and not can_view_unit(unit_user, other.unit_id)
    assert can_view_unit(make_user(Role.office.value), other.unit_id)


def test_dashboard_query_budget_does_not_grow_with_elections(client, login_as, make_election, count_queries):
    login_as("office")
    make_election(units=2)
    with count_queries() as few:
        client.get("/")
    for _ in range(4):
        make_election(units=3)
    with count_queries() as many:
        assert client.get("/").status_code == 200
    assert many.count == few.count
