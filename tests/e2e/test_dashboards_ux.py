"""Browser tests of the dashboards on the demo data; they save the screenshots the manual uses (docs/manual/images)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

MANUAL_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "manual" / "images"


@pytest.fixture
def shot(page):
    def save(name: str, full_page: bool = False):
        MANUAL_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(MANUAL_IMAGES / f"{name}.png"), full_page=full_page)

    return save


@pytest.fixture(autouse=True)
def _viewport(page):
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture(scope="module", autouse=True)
def _uploads(live_app, tmp_path_factory):
    live_app.config["UPLOAD_DIR"] = str(tmp_path_factory.mktemp("uploads"))


def test_login_by_keyboard_only(page, live_server, shot):
    page.goto(f"{live_server}/login")
    shot("login")
    expect(page.locator("a.skip-link")).to_have_attribute("href", "#main")
    page.get_by_label("用户名").focus()
    page.keyboard.type("office")
    page.keyboard.press("Tab")
    page.keyboard.type("demo12345")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_test_id("current-user")).to_contain_text("王晓")


def test_office_dashboard_charts_and_tables(page, login, shot):
    login("office")
    panel = page.get_by_test_id("election-panel").first
    expect(panel).to_contain_text("某区出席市第十二次党代会代表选举")
    expect(panel.get_by_test_id("units-table")).to_contain_text("已提交")
    expect(panel.locator("svg[role=img]").first).to_be_visible()
    expect(panel.get_by_test_id("quota-table")).to_contain_text("领导干部")
    expect(panel.get_by_test_id("open-items")).to_be_visible()
    shot("dashboard-office")


def test_unit_dashboard_one_task(page, login, shot):
    login("unit03")
    expect(page.get_by_test_id("unit-current-task")).to_contain_text("应上报")
    expect(page.get_by_test_id("unit-tasks")).to_be_visible()
    shot("dashboard-unit")


def test_delegate_and_studio_dashboards(page, login, shot):
    login("delegate")
    expect(page.get_by_test_id("duty-links")).to_be_visible()
    shot("dashboard-delegate")
    page.context.clear_cookies()
    login("studio")
    expect(page.get_by_test_id("duty-links")).to_be_visible()
    shot("dashboard-studio")


def test_inspector_and_teller_dashboards_are_their_work(page, login, shot):
    login("inspector")
    expect(page.locator("#people-heading")).to_contain_text("我的考察对象")
    shot("dashboard-inspector")
    page.context.clear_cookies()
    login("teller")
    expect(page.locator("#rounds-heading")).to_contain_text("待录入的投票轮次")
    shot("dashboard-teller")


def test_background_task_progress_reaches_100(page, login, shot):
    login("office")
    page.get_by_role("link", name="后台任务").click()
    page.get_by_test_id("start-registration-forms").get_by_role("button", name="开始生成").click()
    expect(page.get_by_test_id("task-progress")).to_have_attribute("value", "100", timeout=60_000)
    download_link = page.get_by_test_id("task-download")
    expect(download_link).to_be_visible()
    shot("task-progress")
    with page.expect_download() as info:
        download_link.click()
    assert re.search(r"登记表_\d{8}\.docx$", info.value.suggested_filename)   # 选举名称_文书名称_日期


def test_print_view_in_print_media(page, login, shot):
    login("office")
    page.goto(page.url.rstrip("/") + "/print/elections/1/people")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_test_id("print-people")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    assert page.evaluate("getComputedStyle(document.querySelector('tbody tr')).breakInside") == "avoid"
    shot("print-people")
    page.emulate_media(media="screen")


def test_narrow_375_screen_and_help(page, login, shot):
    page.set_viewport_size({"width": 375, "height": 700})
    login("delegate")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1
    shot("mobile")
    page.get_by_test_id("help-link").click()
    expect(page.get_by_test_id("help-body")).to_contain_text("使用手册")
