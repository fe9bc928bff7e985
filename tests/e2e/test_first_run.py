"""A real district from an empty database, in the browser, on SQLite and on PostgreSQL: no seed and no model
writes — only `election db upgrade`, then the pages. The first admin is made on the first-run page; the 工作台's
系统初始化 guide leads through 组织机构 (a sheet imported), 账号 (the units' handlers from a sheet, their 账号通知单),
新建选举, 名额分配, 时间安排 and 工作部署; then three units log in with their one-time passwords, set their own, download
their template, fill it and upload their lists in 推荐提名."""
from __future__ import annotations

import io
import re
import threading
from datetime import timedelta

import chinese_calendar
import openpyxl
import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from election import create_app
from election.core.clock import today_local
from election.core.migrate import upgrade
from tests import pg
from tests.data.make_sheets import PEOPLE
from workflow.common.idcard import make_id

ADMIN_PASSWORD = "Qiu-shui-43-Chang-tian"
UNITS = [("201", "城关街道党工委"), ("202", "东城街道党工委"), ("203", "区教育局党组")]
STAGES = ["制定工作方案", "工作部署", "推荐提名", "确定考察对象", "考察并第一次公示", "确定初步人选并第二次公示",
          "确定预备人选", "差额选举", "结果上报"]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_server(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        url = pg.create_database(request.getfixturevalue("pg_server"), "election_first_run_e2e")
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "first-run-secret-key-0123456789",
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        from election.core.db import db

        db.engine.dispose()


def _xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _directory_sheet() -> bytes:
    rows = [["编码", "名称", "类别", "上级编码", "基层党组织数", "党员数", "联系人", "联系电话"],
            ["200", "中共某县委员会", "党委", "", 60, 3200, "", ""]]
    rows += [[code, name, "党工委" if "街道" in name else "党组", "200", 10, 400, "", ""] for code, name in UNITS]
    rows.append(["20199", "城关街道党代表工作室", "党代表工作室", "201", 0, 0, "", ""])
    return _xlsx(rows)


def _accounts_sheet() -> bytes:
    return _xlsx([["用户名", "姓名", "角色", "所属编码"]]
                 + [[f"jb{code}", f"{name[:2]}经办人", "推荐单位经办人", code] for code, name in UNITS])


def _fill_list(template: bytes, unit_index: int) -> bytes:
    """The unit's own template with 17 people; each unit its own people (another unit's person is refused)."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb["名单"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "姓名")
    for i, p in enumerate(PEOPLE):
        values = p.values()
        values[0] = p.name + "甲乙丙"[unit_index]
        values[3] = make_id(p.region, p.birth, 100 * (unit_index + 1) + p.seq, p.male)
        for c, value in enumerate(values, start=1):
            ws.cell(header_row + 1 + i, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _holiday_notice_if_needed(page, base: str, last_day) -> None:
    """The timeline may reach a year the bundled calendar does not know yet: the admin pastes that year's notice."""
    try:
        chinese_calendar.is_workday(last_day)
        return
    except NotImplementedError:
        pass
    page.goto(f"{base}/admin/holidays")
    page.get_by_label(re.compile("^通知全文")).fill(
        f"国务院办公厅关于{last_day.year}年部分节假日安排的通知\n一、元旦：1月1日放假。")
    page.get_by_role("button", name="识别").click()
    page.get_by_role("button", name="确认保存").click()
    expect(page.locator(".flash-success")).to_contain_text(f"已按通知保存{last_day.year}年的节假日设置")


def test_a_district_sets_itself_up_from_an_empty_database(page, empty_server, tmp_path):
    base = empty_server
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. the first admin, on the first-run page the login page points to
    page.goto(f"{base}/login")
    page.get_by_role("link", name="进行系统初始化").click()
    page.get_by_label("管理员用户名").fill("zzb")
    page.get_by_label("姓名").fill("组织部管理员")
    page.get_by_label(re.compile("^密码")).fill(ADMIN_PASSWORD)
    page.get_by_label("再次输入密码").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="创建管理员").click()
    guide = page.get_by_test_id("setup-guide")
    expect(guide).to_contain_text("请先录入最上级的选举单位")

    # 2. 组织机构: the county committee, three 推荐单位 and a 党代表工作室, imported as a sheet
    guide.get_by_role("link", name="去「组织机构」").click()
    sheet = tmp_path / "组织机构.xlsx"
    sheet.write_bytes(_directory_sheet())
    page.get_by_label("组织机构表（.xlsx）").set_input_files(str(sheet))
    page.get_by_role("button", name="导入").click()
    expect(page.locator(".flash-success")).to_contain_text("新增5个")
    expect(page.get_by_test_id("directory-tree")).to_contain_text("区教育局党组")

    # 3. 账号: each unit's 经办人 from a sheet; the slips carry the one-time passwords, shown this once
    page.get_by_role("link", name="工作台").click()
    expect(guide.locator("[data-step='组织机构']")).to_contain_text("已完成")
    expect(guide.locator("[data-step='账号']")).to_contain_text("还没有经办人账户")
    guide.get_by_role("link", name="去「批量创建账户」").click()
    accounts = tmp_path / "账户.xlsx"
    accounts.write_bytes(_accounts_sheet())
    page.get_by_label("账户表（.xlsx）").set_input_files(str(accounts))
    page.get_by_role("button", name="创建账户并生成通知单").click()
    expect(page.get_by_test_id("slip")).to_have_count(3)
    usernames = page.get_by_test_id("slip-username").all_inner_texts()
    passwords = page.get_by_test_id("slip-password").all_inner_texts()
    assert usernames == [f"jb{code}" for code, _ in UNITS] and len(set(passwords)) == 3

    # 4. 新建选举, 5. 名额分配, 6. 时间安排 (with the year's holidays if the calendar lacks them), 7. 工作部署
    today = today_local()
    dues = [today + timedelta(days=d) for d in (3, 5, 20, 30, 45, 60, 75, 90, 95)]
    _holiday_notice_if_needed(page, base, dues[-1])
    page.goto(f"{base}/")
    guide.get_by_role("link", name="去「新建选举」").click()
    page.get_by_label("选举名称").fill("某县出席市第十二次党代会代表选举")
    page.get_by_label("应选名额（不含上级提名）").fill("10")
    page.get_by_label("应到会代表数").fill("200")
    page.get_by_role("button", name="保存工作方案").click()
    expect(page.get_by_test_id("stage")).to_have_text("制定工作方案")
    page.get_by_role("link", name="推荐单位及名额").click()
    for _code, name in UNITS:
        page.get_by_label(f"{name}参加").check()
        page.get_by_label(f"{name}推荐名额").fill("11")
        page.get_by_label(f"{name}应上报人数").fill("17")
    page.get_by_role("button", name="保存名额分配").click()
    expect(page.locator(".flash-success")).to_contain_text("已保存3个推荐单位")
    page.get_by_role("link", name="时间安排（计划与实际）").click()
    for label, day in zip(STAGES, dues, strict=True):
        page.get_by_label(f"{label}截止日期").fill(day.isoformat())
    page.get_by_role("button", name="保存时间安排").click()
    page.get_by_role("link", name="返回选举").click()
    page.get_by_role("button", name="进入“工作部署”阶段").click()
    expect(page.get_by_test_id("stage")).to_have_text("工作部署")
    page.get_by_role("button", name="进入“推荐提名”阶段").click()
    expect(page.get_by_test_id("stage")).to_have_text("推荐提名")
    page.get_by_role("link", name="工作台").click()
    expect(page.get_by_test_id("setup-guide")).to_have_count(0)  # every step done: the guide is gone
    page.get_by_role("button", name="退出").click()

    # 8. three units: one-time password → their own → the template → their list uploaded
    for index, (username, otp) in enumerate(zip(usernames, passwords, strict=True)):
        page.goto(f"{base}/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(otp)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="设置您自己的密码")).to_be_visible()
        own = f"Wo-de-mi-ma-{index}-Lan-tian"
        page.get_by_label(re.compile("^当前密码")).fill(otp)
        page.get_by_label(re.compile("^新密码")).fill(own)
        page.get_by_label("再次输入新密码").fill(own)
        page.get_by_role("button", name="保存新密码").click()
        expect(page.locator(".flash-success")).to_contain_text("密码已修改")
        page.get_by_role("link", name="进入本单位名单").click()
        with page.expect_download() as download:
            page.get_by_test_id("template-link").click()
        filled = tmp_path / f"名单{index}.xlsx"
        filled.write_bytes(_fill_list(download.value.path().read_bytes(), index))
        page.get_by_label(re.compile("选择填好的名单文件")).set_input_files(str(filled))
        page.get_by_role("button", name="上传并检查").click()
        expect(page.get_by_text("上传成功：已保存17名推荐人选")).to_be_visible()
        expect(page.get_by_test_id("nominees").locator("tbody tr")).to_have_count(17)
        page.get_by_role("button", name="退出").click()
