"""The unit's task page and the office's overview: permissions, errors by row and column, budgets."""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import func, select

from election.directory.models import ElectionUnit
from election.nominations import services as svc
from election.nominations.models import Nominee

DATA = Path(__file__).resolve().parents[1] / "data"
UNIT = "第一街道党工委"
BREAKDOWN = {"局级领导干部": 6, "处级领导干部": 3, "基层一线": 8}


@pytest.fixture
def units(session, make_election, monkeypatch):
    # the sample files are checked as on 2026-02-15 (tests/data/make_sheets.py)
    monkeypatch.setattr("election.nominations.views.today_local", lambda: date(2026, 2, 15))
    election = make_election(stage="nominate", units=2)
    eu, other = sorted(election.units, key=lambda e: e.id)
    eu.unit.name = UNIT
    eu.breakdown = other.breakdown = BREAKDOWN
    session.commit()
    return election, eu, other


def post_file(client, eu, name):
    data = {"file": (io.BytesIO((DATA / name).read_bytes()), name)}
    return client.post(f"/units/{eu.id}/upload", data=data, content_type="multipart/form-data")


def test_upload_with_errors_shows_table_by_row_and_column_and_stores_nothing(client, session, units, login_as):
    _, eu, _ = units
    login_as("unit", unit_id=eu.unit_id)
    response = post_file(client, eu, "bad_dates.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-testid="upload-errors"' in html
    assert "<td>第4行</td><td>入党时间</td><td>入党时间1986-04早于年满18周岁的日期（1986-05-12），请核对入党时间或身份证号</td>" in html
    assert "发现9处错误，名单未保存" in html
    assert session.scalar(select(func.count()).select_from(Nominee).where(Nominee.election_unit_id == eu.id)) == 0


def test_upload_refused_file_says_how_to_convert(client, units, login_as):
    _, eu, _ = units
    login_as("unit", unit_id=eu.unit_id)
    html = post_file(client, eu, "fake.xls").get_data(as_text=True)
    assert "文件未被接受" in html and "另存为“Excel工作簿(*.xlsx)”" in html


def test_good_upload_then_submit_locks_the_list(client, session, units, login_as):
    _, eu, _ = units
    login_as("unit", unit_id=eu.unit_id)
    response = post_file(client, eu, "good.xlsx")
    assert response.status_code == 302
    page = client.get(f"/units/{eu.id}").get_data(as_text=True)
    assert "上传成功：已保存17名推荐人选" in page and 'data-testid="list-ok"' in page
    assert svc.SUBMIT_CONSEQUENCE in page and "disabled" not in page.split('data-testid="submit-button"')[1][:200]
    assert "110***********" in page  # masked for a unit user
    client.post(f"/units/{eu.id}/submit")
    session.expire_all()
    assert session.get(ElectionUnit, eu.id).status == "submitted"
    page = client.get(f"/units/{eu.id}").get_data(as_text=True)
    assert "名单已提交并锁定" in page and "上传并检查" not in page


def test_submit_button_disabled_while_list_fails(client, units, login_as):
    _, eu, _ = units
    login_as("unit", unit_id=eu.unit_id)
    page = client.get(f"/units/{eu.id}").get_data(as_text=True)
    assert "disabled" in page.split('data-testid="submit-button"')[1][:200]
    assert "本单位尚未录入推荐人选" in page


def test_other_units_user_gets_404_everywhere(client, units, login_as):
    _, eu, other = units
    login_as("unit", unit_id=other.unit_id)
    for url in (f"/units/{eu.id}", f"/units/{eu.id}/template.xlsx", f"/units/{eu.id}/nominees/new"):
        assert client.get(url).status_code == 404
    assert post_file(client, eu, "good.xlsx").status_code == 404
    assert client.get(f"/elections/{eu.election_id}/nominations").status_code == 403


def test_template_download_has_the_units_name(client, units, login_as):
    _, eu, _ = units
    login_as("unit", unit_id=eu.unit_id)
    response = client.get(f"/units/{eu.id}/template.xlsx")
    assert response.status_code == 200 and "filename*=UTF-8''" in response.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    assert any(UNIT in str(c.value) for row in wb["名单"].iter_rows(max_row=3) for c in row if c.value)


def test_add_one_nominee_with_field_errors_next_to_fields(client, units, login_as):
    _, eu, _ = units
    login_as("unit", unit_id=eu.unit_id)
    response = client.post(f"/units/{eu.id}/nominees/new", data={
        "name": "钱晓红", "gender": "女", "ethnicity": "汉族", "id_number": "11010119800506002", "birth_month": "1980-05",
        "native_place": "北京", "education": "大学本科", "party_join_date": "2030-07", "workplace_title": "某社区书记",
        "category": "其他一线"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "身份证号应为18位，当前为17位" in html and "入党时间2030-07晚于今天" in html


def test_statistics_form_shows_rates_and_rejects_overcount(client, units, login_as):
    _, eu, _ = units
    eu.unit.grassroots_orgs, eu.unit.members = 40, 2000
    login_as("unit", unit_id=eu.unit_id)
    client.post(f"/units/{eu.id}/statistics", data={"participating_orgs": 40, "participating_members": 1999,
                                                    "summary_text": "已组织推荐"})
    html = client.get(f"/units/{eu.id}").get_data(as_text=True)
    assert ">100.0%<" in html and ">100.0%<" in html and "未达到100.0%的要求" in html
    response = client.post(f"/units/{eu.id}/statistics", data={"participating_orgs": 41, "participating_members": 1})
    assert response.status_code == 422 and "超过本单位基层党组织总数40" in response.get_data(as_text=True)
    assert client.post(f"/units/{eu.id}/statistics", data={"participating_orgs": "x"}).status_code == 422


def test_office_reopens_with_reason(client, session, units, login_as):
    _, eu, _ = units
    eu.status, eu.submitted_at = "submitted", datetime(2026, 2, 14)
    session.commit()
    login_as("office")
    assert 'data-testid="reopen"' in client.get(f"/units/{eu.id}").get_data(as_text=True)
    client.post(f"/units/{eu.id}/reopen", data={"reason": "请补充一线人选"})
    session.expire_all()
    assert session.get(ElectionUnit, eu.id).status == "draft"


def test_unit_page_query_budget(client, session, units, login_as, count_queries):
    _, eu, _ = units
    user = login_as("unit", unit_id=eu.unit_id)
    svc.import_nominee_file(session, user, eu.id, (DATA / "good.xlsx").read_bytes(), date(2026, 2, 15),
                            datetime(2026, 2, 15))
    with count_queries() as q:
        assert client.get(f"/units/{eu.id}").status_code == 200
    assert q.count <= 10, q.statements


def test_overview_query_budget_and_masking(client, session, units, login_as, count_queries, make_election):
    election, eu, _ = units
    user = login_as("unit", unit_id=eu.unit_id)
    svc.import_nominee_file(session, user, eu.id, (DATA / "good.xlsx").read_bytes(), date(2026, 2, 15),
                            datetime(2026, 2, 15))
    client.post("/logout")
    login_as("office")
    with count_queries() as q:
        response = client.get(f"/elections/{election.id}/nominations")
    assert response.status_code == 200 and q.count <= 10, q.statements
    html = response.get_data(as_text=True)
    assert UNIT in html and "17 / 17" in html and "未提交" in html


def test_roster_exports_sorted_masked_and_docx_without_ids(client, session, units, login_as):
    election, eu, _ = units
    user = login_as("unit", unit_id=eu.unit_id)
    svc.import_nominee_file(session, user, eu.id, (DATA / "good.xlsx").read_bytes(), date(2026, 2, 15),
                            datetime(2026, 2, 15))
    svc.submit_list(session, user, eu.id, date(2026, 2, 15), datetime(2026, 2, 15))
    number = session.scalars(select(Nominee.id_number).where(Nominee.election_unit_id == eu.id)).first()
    client.post("/logout")
    login_as("office")
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/elections/{election.id}/nominations/roster.xlsx").data))
    rows = list(wb.active.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 17 and rows[0][1] == "马文斌" and rows[-1][1] == "黄磊"  # 姓氏笔画: 马 3 strokes … 黄 11
    ids = [r[12] for r in rows]
    assert number not in ids and all("*" in i for i in ids)
    doc = Document(io.BytesIO(client.get(f"/elections/{election.id}/nominations/roster.docx").data))
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "马文斌" in text and number not in text and "***" not in text
    stats = openpyxl.load_workbook(io.BytesIO(client.get(f"/elections/{election.id}/nominations/statistics.xlsx").data))
    assert stats.active["A3"].value == UNIT
    client.post("/logout")
    login_as("admin")
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/elections/{election.id}/nominations/roster.xlsx").data))
    assert number in [r[12] for r in wb.active.iter_rows(min_row=4, values_only=True)]


def test_nominee_form_collects_the_registration_fields(client, session, units, login_as):
    from workflow.common.idcard import make_id

    _, eu, _ = units
    login_as("unit", unit_id=eu.unit_id)
    form = client.get(f"/units/{eu.id}/nominees/new").get_data(as_text=True)
    assert all(label in form for label in ("出生地", "健康状况", "专业技术职务", "简历（每段经历一行）", "奖惩情况"))
    response = client.post(f"/units/{eu.id}/nominees/new", data={
        "name": "钱晓红", "gender": "女", "ethnicity": "汉族", "id_number": make_id("110101", date(1980, 5, 6), 21, False),
        "birth_month": "1980-05", "native_place": "北京", "education": "大学本科", "party_join_date": "2002-07",
        "workplace_title": "某社区书记", "category": "其他一线", "birthplace": "北京海淀", "health": "健康",
        "resume": "2002.07—2010.06 某社区干事\r\n2010.06—今 某社区书记", "rewards": "无"})
    assert response.status_code == 302
    n = session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id)).one()
    assert (n.birthplace, n.resume) == ("北京海淀", "2002.07—2010.06 某社区干事\n2010.06—今 某社区书记")
    page = client.get(f"/units/{eu.id}/nominees/{n.id}/edit").get_data(as_text=True)
    assert "2010.06—今 某社区书记</textarea>" in page and 'value="北京海淀"' in page
