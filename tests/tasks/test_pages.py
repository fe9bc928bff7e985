"""Big imports and the yearly ranking export as background tasks: progress to 100 %, a result file."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from election.tasks.models import BackgroundTask
from sqlalchemy import func, select

from election.directory.models import DelegateOffice
from election.duties.models import TermDelegate
from election.nominations.models import Nominee

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def inline(app, tmp_path):
    """Tasks run at once in the request; every upload counts as big."""
    app.config.update(TASKS_INLINE=True, UPLOAD_DIR=str(tmp_path), BACKGROUND_IMPORT_BYTES=0)
    return app


def _task(session, response) -> BackgroundTask:
    assert response.status_code == 302 and "/tasks/" in response.headers["Location"]
    task_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    session.expire_all()
    return session.get(BackgroundTask, task_id)


def _roll(*rows) -> bytes:
    """A delegate roll with the required columns and ROWS."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "层级", "党代会届次", "任期开始", "任期结束", "选举单位"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _download(client, task) -> openpyxl.Workbook:
    response = client.get(f"/tasks/{task.id}/download")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.data))


@pytest.fixture
def two_offices(session):
    offices = [DelegateOffice(name="后台工作室甲"), DelegateOffice(name="后台工作室乙")]
    session.add_all(offices)
    session.flush()
    session.add_all(TermDelegate(name=name, gender="男", level="区", congress="区第十二次党代会",
                                 term_start=date(2022, 1, 1), term_end=date(2026, 12, 31), electing_unit="单位",
                                 office_id=office.id)
                    for office, name in ((offices[0], "王芳"), (offices[0], "丁一"), (offices[1], "李娜")))
    session.flush()
    return offices


def test_ranking_export_all_groups_one_sheet_each(client, session, login_as, inline, two_offices):
    login_as("office")
    task = _task(session, client.post("/tasks/rankings-export", data={"year": "2026"}))
    assert (task.status, task.progress, task.kind) == ("done", 100, "ranking_export")
    assert re.fullmatch(r"2026年度履职积分排名（全部范围）_\d{8}\.xlsx", task.download_name)
    assert "个排名范围" in task.message
    wb = _download(client, task)
    assert {"后台工作室甲", "后台工作室乙"} <= set(wb.sheetnames)
    names = [row[1] for row in wb["后台工作室甲"].iter_rows(min_row=3, values_only=True)]
    assert names == ["丁一", "王芳"]   # equal points: 姓氏笔画 order, as on the page
    status = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'data-testid="task-download"' in status and "/duties/rankings" in status


def test_ranking_export_studio_only_its_office(client, session, login_as, inline, two_offices):
    login_as("studio", office_id=two_offices[1].id)
    task = _task(session, client.post("/tasks/rankings-export", data={"year": "2026"}))
    assert _download(client, task).sheetnames == ["后台工作室乙"]


def test_ranking_export_refuses_a_bad_year_and_non_duty_roles(client, session, login_as, inline):
    login_as("office")
    response = client.post("/tasks/rankings-export", data={"year": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/tasks/")
    assert session.scalar(select(func.count()).select_from(BackgroundTask)) == 0


def test_rankings_page_offers_the_background_export(client, login_as, two_offices):
    login_as("office")
    assert 'data-testid="ranking-export-all"' in client.get("/duties/rankings").get_data(as_text=True)
    assert 'data-testid="start-ranking-export"' in client.get("/tasks/").get_data(as_text=True)


def test_big_delegate_import_runs_as_a_task_and_stores_the_roll(client, session, login_as, inline):
    login_as("office")
    data = {"file": (io.BytesIO(_roll(["王芳", "女", "区", "区第十二次党代会", "2022-01-01", "2026-12-31", "单位"])),
                     "roll.xlsx")}
    task = _task(session, client.post("/duties/delegates/import", data=data, content_type="multipart/form-data"))
    assert (task.status, task.progress) == ("done", 100)
    assert task.message.startswith("已导入") and task.kind == "delegate_import"
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 1


def test_big_delegate_import_with_errors_stores_nothing_and_lists_them(client, session, login_as, inline):
    login_as("office")
    data = {"file": (io.BytesIO(_roll(["王芳", "女", "省", "区第十二次党代会", "2022-01-01", "2026-12-31", "单位"])),
                     "roll.xlsx")}
    task = _task(session, client.post("/duties/delegates/import", data=data, content_type="multipart/form-data"))
    assert (task.status, task.status_label) == ("rejected", "有错误，未保存") and "未导入任何数据" in task.message
    result = _download(client, task).active
    assert result.cell(row=2, column=1).value == "行号" and result.max_row >= 3
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 0


def test_big_nominee_upload_runs_as_a_task(client, session, login_as, inline, make_election, monkeypatch):
    monkeypatch.setattr("election.nominations.views.today_local", lambda: date(2026, 2, 15))
    election = make_election(stage="nominate", units=1)
    eu = election.units[0]
    eu.unit.name = "第一街道党工委"
    eu.breakdown = {"局级领导干部": 6, "处级领导干部": 3, "基层一线": 8}
    session.commit()
    login_as("unit", unit_id=eu.unit_id)
    data = {"file": (io.BytesIO((DATA / "good.xlsx").read_bytes()), "good.xlsx")}
    task = _task(session, client.post(f"/units/{eu.id}/upload", data=data, content_type="multipart/form-data"))
    assert (task.status, task.progress, task.kind) == ("done", 100, "nominee_import"), task.message
    stored = session.scalar(select(func.count()).select_from(Nominee).where(Nominee.election_unit_id == eu.id))
    assert stored > 0 and f"已保存{stored}名" in task.message
