"""A unit uploads a list with errors, reads them by row and column, fixes them, uploads again and submits;
another unit's user cannot see that list. The office first 退回 (reopens) 西城街道党工委 with a reason and a date it
may edit until — as it would after the 推荐提名 due date (the demo's is a few working days ahead)."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import openpyxl
from playwright.sync_api import expect
from sqlalchemy import select

from election.core.clock import today_local
from election.core.db import db
from election.directory.models import ElectionUnit, Unit

DATA = Path(__file__).resolve().parents[1] / "data"
UNIT = "西城街道党工委"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    """good.xlsx with this unit's name; and a copy with a wrong check digit (row 4) and a future 入党时间 (row 6)."""
    wb = openpyxl.load_workbook(DATA / "good.xlsx")
    ws = wb["名单"]
    for row in ws.iter_rows(max_row=3):
        for cell in row:
            if isinstance(cell.value, str) and "第一街道党工委" in cell.value:
                cell.value = cell.value.replace("第一街道党工委", UNIT)
    good = tmp_path / "西城名单.xlsx"
    wb.save(good)
    headers = {c.value: c.column for c in ws[3]}
    ident = ws.cell(4, headers["身份证号"])
    ident.value = ident.value[:-1] + ("0" if ident.value[-1] != "0" else "1")
    ws.cell(6, headers["入党时间"]).value = f"{today_local().year + 1}-01"
    bad = tmp_path / "西城名单-有错.xlsx"
    wb.save(bad)
    return bad, good


def test_unit_fixes_errors_uploads_and_submits_other_unit_cannot_see(login, page, live_server, live_app, screenshot,
                                                                      tmp_path):
    with live_app.app_context():
        eu_id = db.session.scalar(select(ElectionUnit.id).join(Unit).where(Unit.code == "GW03"))
    bad, good = _files(tmp_path)
    page.on("dialog", lambda dialog: dialog.accept())

    # the office reopens the unit with a reason and a date
    login("office")
    page.goto(f"{live_server}/units/{eu_id}")
    page.get_by_label("退回理由（必填）").fill("同意延长报送时间")
    page.get_by_label("允许修改至（已过截止日期时必填）").fill((today_local() + timedelta(days=10)).isoformat())
    page.get_by_test_id("reopen").get_by_role("button", name="退回").click()
    expect(page.get_by_text("已退回该单位的名单")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    login("unit03")
    page.goto(f"{live_server}/units/{eu_id}")
    expect(page.get_by_test_id("deadline")).to_contain_text("可修改至")
    page.get_by_label(re.compile("选择填好的名单文件")).set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.get_by_test_id("upload-errors")
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors.locator("tbody tr").nth(0)).to_contain_text("第4行")
    expect(errors.locator("tbody tr").nth(0)).to_contain_text("身份证号")
    expect(errors.locator("tbody tr").nth(1)).to_contain_text("第6行")
    expect(errors.locator("tbody tr").nth(1)).to_contain_text("入党时间")
    expect(page.get_by_test_id("upload-summary")).to_contain_text("名单未保存")
    expect(page.get_by_test_id("nominees").locator("tbody tr")).to_have_count(15)  # the old draft stays
    screenshot("unit-upload-errors")

    page.get_by_label(re.compile("选择填好的名单文件")).set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("上传成功：已保存17名推荐人选")).to_be_visible()
    expect(page.get_by_test_id("nominees").locator("tbody tr")).to_have_count(17)
    expect(page.get_by_test_id("list-ok")).to_be_visible()
    submit = page.get_by_test_id("submit-button")
    expect(submit).to_be_enabled()
    expect(submit).to_have_attribute("data-confirm", re.compile("提交后本单位名单将锁定，需选举办退回方可修改"))
    submit.click()
    expect(page.get_by_test_id("list-status")).to_contain_text("已提交")
    expect(page.get_by_role("button", name="上传并检查")).to_have_count(0)
    screenshot("unit-submitted")
    page.get_by_role("button", name="退出").click()

    login("unit01")
    response = page.goto(f"{live_server}/units/{eu_id}")
    assert response.status == 404
    expect(page.get_by_text("林晓东")).to_have_count(0)
