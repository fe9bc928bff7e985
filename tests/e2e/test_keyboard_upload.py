"""The upload form works from the keyboard alone (Tab to the file field, Space, Tab, Enter)."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from sqlalchemy import select

from election.accounts.models import User
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.directory.models import ElectionUnit, Unit
from election.nominations.services import reopen_unit
from workflow.common.idcard import make_id

DATA = Path(__file__).resolve().parents[1] / "data"
UNIT_CODE, UNIT_NAME, USERNAME = "GW08", "长安街道党工委", "unit08"


def _focus(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until document.activeElement satisfies PREDICATE (a JS expression over `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!e && ({predicate}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_upload_by_keyboard_only(login, page, live_server, live_app, tmp_path, screenshot):
    with live_app.app_context():
        eu = db.session.scalar(select(ElectionUnit).join(Unit).where(Unit.code == UNIT_CODE))
        office = db.session.scalar(select(User).where(User.username == "office"))
        reopen_unit(db.session, office, eu.id, "同意延长报送时间", today_local(), utcnow(),
                    until=today_local() + timedelta(days=10))
        eu_id = eu.id
    wb = openpyxl.load_workbook(DATA / "good.xlsx")
    ws = wb["名单"]
    for row in ws.iter_rows(max_row=3):
        for cell in row:
            if isinstance(cell.value, str) and "第一街道党工委" in cell.value:
                cell.value = cell.value.replace("第一街道党工委", UNIT_NAME)
    # other people than good.xlsx's: the live app is shared, and another test uploads good.xlsx for its unit
    id_column = next(c.column for c in ws[3] if c.value == "身份证号")
    for (cell,) in ws.iter_rows(min_row=4, min_col=id_column, max_col=id_column):
        old = str(cell.value or "")
        if len(old) == 18:
            born = date(int(old[6:10]), int(old[10:12]), int(old[12:14]))
            cell.value = make_id(old[:6], born, (int(old[14:17]) // 2 + 123) % 500, int(old[16]) % 2 == 1)
    file = tmp_path / "长安名单.xlsx"
    wb.save(file)

    login(USERNAME)
    page.goto(f"{live_server}/units/{eu_id}")
    page.wait_for_load_state("networkidle")
    page.locator("body").focus()
    _focus(page, "e.type === 'file'")
    chooser = None
    for key in ("Space", "Enter", "Space"):  # either key opens the chooser of a focused file field
        try:
            with page.expect_file_chooser(timeout=5000) as event:
                page.keyboard.press(key)
            chooser = event.value
            break
        except PlaywrightTimeout:
            continue
    assert chooser is not None, "键盘无法打开文件选择框"
    chooser.set_files(str(file))
    _focus(page, "e.tagName === 'BUTTON' && e.textContent.includes('上传并检查')")
    page.keyboard.press("Enter")
    expect(page.get_by_text("上传成功：已保存17名推荐人选")).to_be_visible()
    expect(page.get_by_test_id("nominees").locator("tbody tr")).to_have_count(17)
    screenshot("unit-upload-keyboard")
