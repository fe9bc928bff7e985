"""组织机构 pages and API: browse, search, add, edit and move, retire, import with row errors, export; the
allocation page and the user form offer only the organisations in force."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from election.directory.models import Organisation, Unit
from tests.directory.test_sheet import ROWS, sheet
from workflow.directory.tree import OrgRecord


def _import(client, rows):
    return client.post("/directory/import", data={"file": (io.BytesIO(sheet(rows)), "组织机构.xlsx")},
                       content_type="multipart/form-data")


def test_office_imports_browses_and_searches(client, session, login_as):
    login_as("office")
    response = _import(client, ROWS)
    assert response.status_code == 302
    page = client.get("/directory/").get_data(as_text=True)
    assert "组织机构已导入：新增5个，更新0个，未变0个。" in page
    assert page.index("中共某区委员会") < page.index("城关街道党工委") < page.index("城关第一社区党支部") < page.index("区教育局党组")
    assert "推荐单位" in page
    found = client.get("/directory/?q=党支部").get_data(as_text=True)
    assert "查找“党支部”：1个" in found and "城关第一社区党支部" in found


def test_row_errors_are_listed_and_nothing_is_imported(client, session, login_as):
    login_as("office")
    response = _import(client, [*ROWS, ("103", "", "党小组", "999", -1, 0, "", "")])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第7行" in page and "名称不能为空" in page and "“党小组”不是可选的类别" in page and "应为0或正整数" in page
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_add_edit_move_and_retire_through_the_pages(client, session, login_as):
    login_as("office")
    _import(client, ROWS)
    gw = session.scalar(select(Organisation).where(Organisation.code == "101"))
    form = client.get(f"/directory/new?parent={gw.id}").get_data(as_text=True)
    assert 'value="101"' in form
    added = client.post("/directory/new", data={"code": "10102", "name": "城关第二社区党支部", "category": "党支部",
                                                "parent_code": "101", "grassroots_orgs": "0", "members": "38"})
    assert added.status_code == 302
    branch = session.scalar(select(Organisation).where(Organisation.code == "10102"))
    moved = client.post(f"/directory/{branch.id}/edit", data={"code": "10102", "name": "城关第二社区党支部",
                                                               "category": "党支部", "parent_code": "102",
                                                               "grassroots_orgs": "0", "members": "38"})
    assert moved.status_code == 302 and branch.parent.code == "102"
    bad = client.post(f"/directory/{branch.id}/edit", data={"code": "10102", "name": "城关第二社区党支部",
                                                             "category": "党支部", "parent_code": "10199",
                                                             "grassroots_orgs": "0", "members": "38"})
    assert bad.status_code == 422 and "党代表工作室下不能再设组织" in bad.get_data(as_text=True)
    retired = client.post(f"/directory/{branch.id}/retire", data={"reason": "社区合并"})
    assert retired.status_code == 302 and branch.retired_at is not None
    assert "已撤销“城关第二社区党支部”" in client.get("/directory/").get_data(as_text=True)  # the flash
    assert "城关第二社区党支部" not in client.get("/directory/").get_data(as_text=True)
    assert "城关第二社区党支部" in client.get("/directory/?retired=1").get_data(as_text=True)


def test_export_downloads_the_sheet(client, session, login_as):
    login_as("admin")
    _import(client, ROWS)
    response = client.get("/directory/export")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [r[0] for r in ROWS]


def test_auditor_reads_without_buttons_and_others_are_refused(client, session, login_as, auth):
    login_as("auditor")
    page = client.get("/directory/").get_data(as_text=True)
    assert "导出组织机构表" in page and "新增组织" not in page and "导入组织机构表" not in page
    assert client.post("/directory/new", data={}).status_code == 403
    auth.logout()
    login_as("teller")
    assert client.get("/directory/").status_code == 403


def test_allocation_and_user_choices_come_from_the_directory(client, session, login_as, make_election):
    login_as("admin")
    _import(client, ROWS)
    election = make_election(stage="plan", units=0)
    page = client.get(f"/elections/{election.id}/allocations").get_data(as_text=True)
    assert "城关街道党工委" in page and "区教育局党组" in page and "城关第一社区党支部" not in page
    users = client.get("/admin/users").get_data(as_text=True)
    assert "城关街道党代表工作室" in users
    gw = session.scalar(select(Organisation).where(Organisation.code == "102"))
    client.post(f"/directory/{gw.id}/retire", data={"reason": "机构改革"})
    client.get("/directory/")  # its flash
    assert "区教育局党组" not in client.get(f"/elections/{election.id}/allocations").get_data(as_text=True)
    unit = session.scalar(select(Unit).where(Unit.code == "102"))
    response = client.post("/admin/users", data={"username": "late", "display_name": "迟到", "password": "Qiu-shui-43-Chang-tian",
                                                "role": "unit", "unit_id": str(unit.id), "office_id": "0"})
    assert "已撤销，不能再为它建账户" in response.get_data(as_text=True)


def test_api_lists_creates_moves_and_imports(client, session, token_for):
    _user, headers = token_for("office")
    upload = client.post("/api/v1/organisations/file", headers=headers,
                         data={"file": (io.BytesIO(sheet(ROWS)), "o.xlsx")}, content_type="multipart/form-data")
    assert upload.status_code == 200 and upload.get_json() == {"added": 5, "updated": 0, "unchanged": 0}
    listed = client.get("/api/v1/organisations?per_page=100", headers=headers).get_json()
    assert [(o["code"], o["depth"], o["is_unit"]) for o in listed["items"]] == [
        ("100", 0, False), ("101", 1, True), ("10101", 2, False), ("10199", 2, False), ("102", 1, True)]
    created = client.post("/api/v1/organisations", headers=headers,
                          json={"code": "10102", "name": "城关第二社区党支部", "category": "党支部", "parent_code": "101"})
    assert created.status_code == 201
    org_id = created.get_json()["id"]
    moved = client.put(f"/api/v1/organisations/{org_id}", headers=headers, json={"parent_code": "10199"})
    body = moved.get_json()
    assert moved.status_code == 422 and body["error"]["details"][0]["field"] == "parent_code"
    assert "党代表工作室下不能再设组织" in body["error"]["details"][0]["message"]
    bad = client.post("/api/v1/organisations/file", headers=headers,
                      data={"file": (io.BytesIO(sheet([*ROWS, ("103", "x", "党工委", "999", 0, 0, "", "")])), "o.xlsx")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and bad.get_json()["error"]["details"] == [
        {"row": 7, "column": "上级编码", "message": "上级编码“999”找不到对应的组织"}]
    assert client.delete(f"/api/v1/organisations/{org_id}", headers=headers).status_code == 204
    exported = client.get("/api/v1/organisations/file", headers=headers)
    assert exported.status_code == 200 and exported.mimetype.endswith("spreadsheetml.sheet")


def test_api_refuses_writes_to_readers(client, session, token_for):
    _user, headers = token_for("auditor")
    assert client.get("/api/v1/organisations", headers=headers).status_code == 200
    assert client.post("/api/v1/organisations", headers=headers,
                       json={"code": "1", "name": "x", "category": "党委"}).status_code == 403


def _tree(n_units: int, branches: int) -> list[OrgRecord]:
    records = [OrgRecord("100", "中共某区委员会", "党委")]
    for u in range(n_units):
        records.append(OrgRecord(f"U{u:02d}", f"第{u}街道党工委", "党工委", "100"))
        records += [OrgRecord(f"U{u:02d}{b:02d}", f"第{u}街道第{b}党支部", "党支部", f"U{u:02d}") for b in range(branches)]
    return records


@pytest.mark.parametrize("n_units, branches", [(3, 2), (30, 10)])
def test_the_tree_page_and_the_export_cost_the_same_statements_at_any_size(client, session, login_as, count_queries,
                                                                           n_units, branches):
    from election.directory.services import import_organisations

    user = login_as("office")
    import_organisations(session, user, _tree(n_units, branches))
    client.get("/directory/")  # warm: the login's own reads
    with count_queries() as tree:
        page = client.get("/directory/")
    with count_queries() as export:
        client.get("/directory/export")
    assert page.status_code == 200 and f"组织机构树（{1 + n_units * (1 + branches)}个）" in page.get_data(as_text=True)
    assert tree.count <= 8 and export.count <= 5, (tree.statements, export.statements)
