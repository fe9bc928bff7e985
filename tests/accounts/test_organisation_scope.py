"""An account's 所属组织 (its part of the organisation directory) and the directory of a user limited to a part.

A city (上级党委) at the top of the directory with two 选举单位 under it, each with its 推荐单位: the 上级组织部门's
accounts must name their organisation; a 管理员 limited to one 选举单位 gives accounts only inside it (the form, the
account sheet and the API alike) and sees only its accounts; an office user limited to a 选举单位 sees and changes
only that 选举单位's subtree of the directory (pages, API and the sheet in and out), and the tree's rules and the
推荐单位 under each 选举单位 still hold with the city at the top."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from election.accounts import management
from election.accounts.models import User
from election.accounts.services import create_user
from election.audit.models import AuditEntry
from election.core.exceptions import NotFound, ServiceError
from election.directory import queries
from election.directory.models import Organisation, Unit
from election.directory.services import DirectoryRejected, create_organisation, import_organisations, link_units
from election.levels.models import Congress
from workflow.directory.tree import OrgRecord

NOW = datetime(2026, 12, 1, 2, 0)
STRONG = "Qiu-shui-43-Chang-tian"
CITY = OrgRecord("SW", "中共某市委员会", "党委")
DISTRICT = OrgRecord("QW", "中共某区委员会", "党委", "SW")
NEW_AREA = OrgRecord("XQ", "中共某新区工作委员会", "党工委", "SW")
GW = OrgRecord("GW01", "城关街道党工委", "党工委", "QW")
BRANCH = OrgRecord("GW0101", "城关街道机关党总支", "党总支", "GW01")
XQ_UNIT = OrgRecord("XQ01", "新区机关党委", "党委", "XQ")


@pytest.fixture
def city(session):
    """The city with its congress above two 选举单位 (the congress makes the city an upper committee)."""
    top = Organisation(code=CITY.code, name=CITY.name, category=CITY.category)
    session.add(top)
    session.flush()
    session.add(Congress(title="出席市第十二次党代会代表选举", organisation_id=top.id, seats=760))
    session.flush()
    import_organisations(session, None, [CITY, DISTRICT, NEW_AREA, GW, BRANCH, XQ_UNIT], NOW)
    return {o.code: o for o in session.scalars(select(Organisation))}


def _audits(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


# ------------------------------------------------------------------------------------------------ the tree
def test_with_a_city_on_top_the_units_are_those_under_each_electing_body(session, city):
    assert queries.electing_bodies(session) == {city["QW"].id, city["XQ"].id}
    units = {u.code for u in session.scalars(select(Unit))}
    assert units == {"GW01", "XQ01"}  # neither the 选举单位 nor a 基层党组织
    assert [u.code for u in queries.active_units(session)] == ["GW01", "XQ01"]
    assert [u.code for u in queries.active_units(session, frozenset({city["XQ"].id, city["XQ01"].id}))] == ["XQ01"]


def test_without_a_congress_the_top_is_the_electing_body_as_before(session):
    import_organisations(session, None, [OrgRecord("QW", "中共某区委员会", "党委"), OrgRecord("GW01", "城关街道党工委",
                                                                                        "党工委", "QW")], NOW)
    assert [u.code for u in queries.active_units(session)] == ["GW01"]


def test_a_city_imported_above_a_district_then_running_its_congress(session, make_user):
    """The usual order on a real installation: the district's tree is there; the admin imports the city above it and
    a second 选举单位; the city's congress then makes the 选举单位' own children the 推荐单位."""
    admin = make_user("admin")
    session.commit()
    import_organisations(session, admin, [OrgRecord("QW", "中共某区委员会", "党委"), GW], NOW)
    import_organisations(session, admin, [CITY, DISTRICT, NEW_AREA, XQ_UNIT], NOW)
    city = session.scalar(select(Organisation).where(Organisation.code == "SW"))
    session.add(Congress(title="出席市第十二次党代会代表选举", organisation_id=city.id, seats=760))
    link_units(session)
    session.commit()
    assert [u.code for u in queries.active_units(session)] == ["GW01", "XQ01"]
    marked = {n.org.code for n in queries.tree_rows(session) if n.unit_id is not None}
    assert marked == {"GW01", "XQ01"}  # the 选举单位 are not shown as 推荐单位, whatever units were made before


def test_a_second_top_is_still_refused_under_a_city(session, make_user, city):
    admin = make_user("admin")
    session.commit()
    with pytest.raises(DirectoryRejected, match="上级编码为空的只能是最上级的选举单位"):
        create_organisation(session, admin, OrgRecord("QW2", "中共另一区委员会", "党委"), NOW)


# ------------------------------------------------------------------------------------------------ accounts
def test_the_upper_committee_account_needs_its_organisation(session, city):
    before = _audits(session)
    with pytest.raises(ServiceError, match="上级组织部门的账户必须选择所属组织"):
        create_user(session, None, username="city", password=STRONG, role="upper")
    assert _audits(session) == before
    user = create_user(session, None, username="city", password=STRONG, role="upper",
                       organisation_id=city["SW"].id)
    assert user.organisation_id == city["SW"].id
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "user.create" and entry.after["organisation_id"] == city["SW"].id


def test_a_limited_admin_gives_accounts_only_in_its_part(session, make_user, city):
    admin = make_user("admin", organisation_id=city["QW"].id)
    session.commit()
    with pytest.raises(ServiceError, match="您只能为“中共某区委员会”及其下属组织"):
        create_user(session, admin, username="x1", password=STRONG, role="office", organisation_id=city["XQ"].id)
    with pytest.raises(ServiceError, match="您只能为“中共某区委员会”及其下属组织"):
        create_user(session, admin, username="x2", password=STRONG, role="office")  # 全系统 is not his to give
    xq_unit = session.scalar(select(Unit).where(Unit.code == "XQ01"))
    with pytest.raises(ServiceError, match="推荐单位“新区机关党委”不在“中共某区委员会”之下"):
        create_user(session, admin, username="x3", password=STRONG, role="unit", unit_id=xq_unit.id,
                    organisation_id=city["QW"].id)
    made = create_user(session, admin, username="office9", password=STRONG, role="office",
                       organisation_id=city["GW01"].id)
    assert made.organisation_id == city["GW01"].id
    other = make_user("office", organisation_id=city["XQ"].id)
    session.commit()
    with pytest.raises(NotFound):  # another part's account is not found
        management.update_user(session, admin, other.id, display_name="改名", role="office",
                               organisation_id=city["XQ"].id)
    with pytest.raises(NotFound):
        management.reset_password(session, admin, other.id)


def test_moving_an_account_to_another_organisation_ends_its_sessions(session, make_user, city):
    admin, clerk = make_user("admin"), make_user("office")
    session.commit()
    version = clerk.session_version
    management.update_user(session, admin, clerk.id, display_name=clerk.display_name, role="office",
                           organisation_id=city["QW"].id, now=NOW)
    assert clerk.organisation_id == city["QW"].id and clerk.session_version == version + 1
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "user.update" and entry.after == {"organisation_id": city["QW"].id}


def _sheet(*rows, header=("用户名", "姓名", "角色", "所属编码", "所属组织编码")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_account_sheet_names_the_organisation_by_code_with_row_and_column(session, make_user, city):
    from election.accounts.readers import parse_accounts_sheet

    admin = make_user("admin", organisation_id=city["QW"].id)
    session.commit()
    rows, errors = parse_accounts_sheet(_sheet(("gw01a", "王芳", "推荐单位经办人", "GW01", "QW"),
                                               ("gw01b", "李娜", "推荐单位经办人", "GW01", "XQ"),
                                               ("gw01c", "赵刚", "推荐单位经办人", "GW01", "NOPE"),
                                               ("gw01d", "钱多", "推荐单位经办人", "GW01", "")))
    assert errors == []
    with pytest.raises(management.BulkRejected) as refused:
        management.bulk_create(session, admin, rows, NOW)
    assert [(row, column) for row, column, _ in refused.value.problems] == [
        (3, "所属组织编码"), (4, "所属组织编码"), (5, "所属组织编码")]
    assert "找不到编码为“NOPE”的组织" in refused.value.problems[1][2]
    assert session.scalar(select(User.id).where(User.username == "gw01a")) is None  # all or nothing
    slips = management.bulk_create(session, admin, rows[:1], NOW)
    assert [s.username for s in slips] == ["gw01a"]
    assert session.scalar(select(User.organisation_id).where(User.username == "gw01a")) == city["QW"].id
    # a sheet from before levels (four columns) still reads: the accounts are of the whole installation
    old, errors = parse_accounts_sheet(_sheet(("gw01e", "孙丽", "推荐单位经办人", "GW01"),
                                              header=("用户名", "姓名", "角色", "所属编码")))
    assert errors == [] and old[0].organisation_code == ""


def test_users_page_and_api_of_a_limited_admin(client, session, make_user, auth, city):
    admin = make_user("admin", organisation_id=city["QW"].id)
    mine = make_user("office", organisation_id=city["GW01"].id, display_name="本区选举办")
    theirs = make_user("office", organisation_id=city["XQ"].id, display_name="新区选举办")
    session.commit()
    auth.login(admin.username)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "本区选举办" in page and "新区选举办" not in page and "中共某新区工作委员会" not in page
    assert client.get(f"/admin/users/{theirs.id}").status_code == 404
    assert client.get(f"/admin/users/{mine.id}").status_code == 200
    response = client.post("/admin/users", data={"username": "newoffice", "display_name": "新人",
                                                  "password": STRONG, "role": "office", "unit_id": 0,
                                                  "office_id": 0, "organisation_id": city["XQ"].id})
    assert "您只能为“中共某区委员会”及其下属组织" in response.get_data(as_text=True)
    assert session.scalar(select(User.id).where(User.username == "newoffice")) is None


def test_accounts_api_of_a_limited_admin_lists_its_part(client, session, make_user, city, token_for):
    _admin, headers = token_for("admin", organisation_id=city["QW"].id)
    make_user("office", organisation_id=city["GW01"].id, display_name="本区选举办")
    theirs = make_user("office", organisation_id=city["XQ"].id, display_name="新区选举办")
    session.commit()
    names = {u["display_name"] for u in client.get("/api/v1/users?per_page=100", headers=headers).get_json()["items"]}
    assert "本区选举办" in names and "新区选举办" not in names
    assert client.get(f"/api/v1/users/{theirs.id}", headers=headers).status_code == 404


def test_accounts_api_takes_and_checks_the_organisation(client, session, make_user, city, token_for):
    _admin, headers = token_for("admin")
    session.commit()
    refused = client.post("/api/v1/users", headers=headers, json={"username": "city1", "display_name": "市委组织部",
                                                                    "role": "upper"})
    assert refused.status_code == 422 and "上级组织部门的账户必须选择所属组织" in refused.get_json()["error"]["message"]
    made = client.post("/api/v1/users", headers=headers, json={"username": "city1", "display_name": "市委组织部",
                                                                 "role": "upper", "organisation_id": city["SW"].id})
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["user"]["organisation_name"] == "中共某市委员会"
    moved = client.patch(f"/api/v1/users/{made.get_json()['user']['id']}", headers=headers,
                         json={"organisation_id": 999999})
    assert moved.status_code == 422 and "所选所属组织不存在" in moved.get_json()["error"]["message"]


# ------------------------------------------------------------------------------------------------ the directory
def test_a_limited_office_sees_and_changes_only_its_subtree(client, session, make_user, auth, city):
    clerk = make_user("office", organisation_id=city["QW"].id)
    session.commit()
    before = _audits(session)
    with pytest.raises(DirectoryRejected, match="不在您负责的组织范围内"):
        create_organisation(session, clerk, OrgRecord("XQ02", "新区某党支部", "党支部", "XQ"), NOW)
    with pytest.raises(DirectoryRejected, match="请填写上级编码"):
        create_organisation(session, clerk, OrgRecord("TOP2", "某党委", "党委"), NOW)
    assert _audits(session) == before
    create_organisation(session, clerk, OrgRecord("GW0102", "城关街道某社区党支部", "党支部", "GW01"), NOW)

    auth.login(clerk.username)
    page = client.get("/directory/").get_data(as_text=True)
    assert "城关街道党工委" in page and "新区机关党委" not in page and "中共某市委员会" not in page
    assert "新区机关党委" not in client.get("/directory/?q=机关").get_data(as_text=True)
    assert client.get(f"/directory/{city['XQ01'].id}/edit").status_code == 404
    # the parent offered for a new organisation is one of his own, never another part's
    assert 'value="XQ01"' not in client.get(f"/directory/new?parent={city['XQ01'].id}").get_data(as_text=True)

    exported = load_workbook(io.BytesIO(client.get("/directory/export").data)).worksheets[0]
    codes = [row[0] for row in exported.iter_rows(min_row=2, values_only=True) if row[0]]
    assert set(codes) == {"QW", "GW01", "GW0101", "GW0102"}


def test_a_limited_office_import_refuses_rows_outside_its_part_by_row(client, session, make_user, auth, city):
    clerk = make_user("office", organisation_id=city["QW"].id)
    session.commit()
    auth.login(clerk.username)
    sheet = Workbook()
    ws = sheet.active
    ws.append(["编码", "名称", "类别", "上级编码", "基层党组织数", "党员数", "联系人", "联系电话"])
    ws.append(["QW", "中共某区委员会", "党委", "SW", 0, 0, "", ""])          # his own top, its 上级 kept: fine
    ws.append(["GW0103", "城关街道新社区党支部", "党支部", "GW01", 0, 20, "", ""])
    ws.append(["XQ01", "新区机关党委（改）", "党委", "XQ", 0, 0, "", ""])    # another part's
    ws.append(["XQ0101", "新区某党支部", "党支部", "XQ01", 0, 0, "", ""])     # under another part's
    data = io.BytesIO()
    sheet.save(data)
    response = client.post("/directory/import", data={"file": (io.BytesIO(data.getvalue()), "组织机构.xlsx")},
                           content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第4行" in text and "第5行" in text and "不在您负责的组织范围内" in text and "第3行" not in text
    assert session.scalar(select(Organisation.id).where(Organisation.code == "GW0103")) is None
    assert session.scalar(select(Organisation.name).where(Organisation.code == "XQ01")) == "新区机关党委"


def test_the_directory_api_lists_a_limited_users_part(client, session, make_user, city, token_for):
    _clerk, headers = token_for("office", organisation_id=city["XQ"].id)
    session.commit()
    listed = client.get("/api/v1/organisations?per_page=100", headers=headers).get_json()
    assert {o["code"] for o in listed["items"]} == {"XQ", "XQ01"}
    assert client.get(f"/api/v1/organisations/{city['GW01'].id}", headers=headers).status_code == 404
    moved = client.put(f"/api/v1/organisations/{city['XQ01'].id}", headers=headers, json={"parent_code": "QW"})
    assert moved.status_code == 422
