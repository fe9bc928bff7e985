"""The upper committee's pages, API and documents on the hand-checked city (tests/levels/overview_world.py):
who may read them (the upper user and the auditor; another city's upper user 404; a district office 403), what
they show, and that the .docx/.xlsx open and carry the figures."""
from __future__ import annotations

import io
from datetime import date
from urllib.parse import unquote

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.levels.overview_world import CONGRESS_TITLE, build_city


@pytest.fixture
def city(session, monkeypatch):
    for module in ("election.levels.views.overview", "election.levels.api_overview"):
        monkeypatch.setattr(f"{module}.today_local", lambda: date(2019, 4, 15))
    return build_city(session)


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_upper_user_lands_on_its_congresses(client, city, login_as):
    login_as("upper", organisation_id=city["city"])
    r = client.get("/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/levels/")
    page = client.get("/levels/").get_data(as_text=True)
    assert CONGRESS_TITLE in page and "上级选举" in page and "上报事项" in page
    assert "1件" in page  # one package waiting


def test_overview_page_shows_units_and_structure(client, city, login_as):
    login_as("upper", organisation_id=city["city"])
    r = client.get(f"/levels/congresses/{city['congress']}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    for text in ("甲区委", "乙区委", "丙区委", "尚未建立选举", "已逾期5天", "预备人选（审查批复）", "待审查",
                 "至少3名（不少于30%）", "联合可行"):
        assert text in page, text
    assert 'data-rule="women" data-status="feasible"' in page
    assert 'data-rule="minority" data-status="safe"' in page
    assert "丙区委（最多可增加3名）、乙区委（最多可增加1名）" in page
    # the waiting package and the reports queue are linked where the reports pages are installed
    assert f"/levels/congresses/{city['congress']}/reports" in page and "/levels/reports/" in page


def test_auditor_reads_and_office_is_refused(client, city, login_as, auth):
    login_as("auditor")
    assert client.get(f"/levels/congresses/{city['congress']}").status_code == 200
    assert client.get(f"/levels/congresses/{city['congress']}/roster").status_code == 200
    auth.logout()
    login_as("office")
    assert client.get(f"/levels/congresses/{city['congress']}").status_code == 403
    assert client.get("/levels/").status_code == 403


def test_other_citys_upper_user_gets_404(client, session, city, login_as):
    other = build_city(session, code="OTHER")
    login_as("upper", organisation_id=other["city"])
    for url in (f"/levels/congresses/{city['congress']}", f"/levels/congresses/{city['congress']}/roster",
                f"/levels/congresses/{city['congress']}/roster/download/docx",
                f"/levels/congresses/{city['congress']}/structure-report"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/levels/congresses/{other['congress']}").status_code == 200


def test_roster_page_and_print_view(client, city, login_as):
    login_as("upper", organisation_id=city["city"])
    page = client.get(f"/levels/congresses/{city['congress']}/roster").get_data(as_text=True)
    assert page.index("王芳") < page.index("孙刚") < page.index("钱红")
    assert "上级提名人选" in page and "当选代表" in page
    printed = client.get(f"/levels/congresses/{city['congress']}/roster/print").get_data(as_text=True)
    assert "<thead>" in printed and "共8名" in printed and "吴军" in printed


def test_roster_documents_open_and_carry_the_people(client, city, login_as):
    login_as("upper", organisation_id=city["city"])
    r = client.get(f"/levels/congresses/{city['congress']}/roster/download/docx")
    assert r.status_code == 200
    assert f"{CONGRESS_TITLE}_汇总名册_20190415.docx" in unquote(r.headers["Content-Disposition"])
    text = _text(r.data)
    assert "汇总名册" in text and "（共8名）" in text and "乙区委" in text and "吴军" in text
    r = client.get(f"/levels/congresses/{city['congress']}/roster/download/xlsx")
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][:2] == ("序号", "姓名") and rows[3][1] == "王芳" and rows[3][7] == "甲区委"
    assert len(rows) == 3 + 8
    assert client.get(f"/levels/congresses/{city['congress']}/roster/download/pdf").status_code == 404


def test_xlsx_keeps_user_text_as_text(client, session, city, login_as):
    from election.voting.models import HigherNominee

    h = session.query(HigherNominee).filter_by(name="吴军").one()
    h.workplace_title = '=HYPERLINK("http://evil","点")'
    session.commit()
    login_as("upper", organisation_id=city["city"])
    ws = load_workbook(io.BytesIO(client.get(
        f"/levels/congresses/{city['congress']}/roster/download/xlsx").data)).active
    cell = next(row[6] for row in ws.iter_rows(min_row=4) if row[1].value == "吴军")
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_structure_report_carries_the_figures(client, city, login_as):
    login_as("upper", organisation_id=city["city"])
    r = client.get(f"/levels/congresses/{city['congress']}/structure-report")
    assert r.status_code == 200
    text = _text(r.data)
    assert "结构情况报告" in text and "代表名额共10名" in text
    # the table: 女性 至少3名, as is 3, worst 2, best 6, 可行
    assert "至少3名（不少于30%）" in text and "可行，但最不利时不符合" in text and "稳妥" in text
    assert "乙区委：名额3名（另有上级提名1名），处于“差额选举”阶段，现有预备人选4名，已超过本阶段截止日期5天" in text
    assert "丙区委：名额3名，尚未建立选举。" in text
    assert "女性：最不利时还差1名" in text and "乙区委进度滞后" in text


def test_api_overview_structure_and_roster(client, city, token_for):
    _, headers = token_for("upper", organisation_id=city["city"])
    base = f"/api/v1/congresses/{city['congress']}"
    body = client.get(f"{base}/overview", headers=headers).get_json()
    assert [u["name"] for u in body["units"]] == ["甲区委", "乙区委", "丙区委"]
    b = body["units"][1]
    assert (b["standing"], b["listed"], b["days_late"], b["waiting"][0]["kind"]) == ("confirmed", 4, 5, "approval")
    st = client.get(f"{base}/structure", headers=headers).get_json()
    women = st["requirements"][0]
    assert (women["minimum"], women["as_is"], women["worst"], women["best"], women["status"]) == (3, 3, 2, 6, "feasible")
    assert [s["name"] for s in women["could_make_up"]] == ["丙区委", "乙区委"]
    assert st["joint"]["feasible"] is True and st["status"] == "feasible"
    roster = client.get(f"{base}/roster", headers=headers).get_json()
    assert roster["count"] == 8 and roster["people"][0]["name"] == "王芳"


def test_api_scope_and_roles(client, session, city, token_for):
    other = build_city(session, code="OTHER")
    _, stranger = token_for("upper", organisation_id=other["city"])
    assert client.get(f"/api/v1/congresses/{city['congress']}/overview", headers=stranger).status_code == 404
    _, office = token_for("office")
    assert client.get(f"/api/v1/congresses/{city['congress']}/structure", headers=office).status_code == 403
