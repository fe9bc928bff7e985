"""Browser tests: a duty list's print view in print media, and the yearly ranking export as a
background job whose progress bar reaches 100 %. Saves the screenshot the manual uses (print-delegates.png)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from workflow.common.strokes import sort_names

MANUAL_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "manual" / "images"


@pytest.fixture(autouse=True)
def _viewport(page):
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture(scope="module", autouse=True)
def _uploads(live_app, tmp_path_factory):
    live_app.config["UPLOAD_DIR"] = str(tmp_path_factory.mktemp("uploads"))


def test_print_view_of_the_delegate_list(page, login):
    login("office")
    page.goto(page.url.rstrip("/") + "/duties/delegates")
    page.get_by_test_id("print-link").first.click()
    expect(page.get_by_test_id("print-view")).to_be_visible()
    expect(page.get_by_role("button", name="打印本页")).to_be_visible()
    tables = page.get_by_test_id("print-delegates")
    expect(tables.first).to_be_visible()
    for i in range(tables.count()):   # each office's names in 姓氏笔画 order
        names = tables.nth(i).locator("tbody tr td:nth-child(2)").all_inner_texts()
        assert names and names == sort_names(names)
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".print-bar")).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    assert page.evaluate("getComputedStyle(document.querySelector('tbody tr')).breakInside") == "avoid"
    MANUAL_IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(MANUAL_IMAGES / "print-delegates.png"))
    page.emulate_media(media="screen")


def test_ranking_export_in_the_background_reaches_100(page, login):
    login("office")
    page.goto(page.url.rstrip("/") + "/duties/rankings")
    page.get_by_test_id("ranking-export-all").get_by_role("button").click()
    expect(page.get_by_test_id("task-progress")).to_have_attribute("value", "100", timeout=60_000)
    link = page.get_by_test_id("task-download")
    expect(link).to_be_visible()
    expect(page.get_by_test_id("task-status")).to_contain_text("个排名范围")
    with page.expect_download() as info:
        link.click()
    assert re.search(r"（全部范围）_\d{8}\.xlsx$", info.value.suggested_filename)
    page.get_by_test_id("task-result-page").click()
    expect(page.get_by_test_id("ranking-table")).to_be_visible()


def test_keyboard_focus_is_visible(page, login):
    login("office")
    page.keyboard.press("Tab")   # the skip link comes first and shows itself
    expect(page.locator("a.skip-link")).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-9999px"
    page.keyboard.press("Tab")
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, s.outlineWidth]; })()")
    assert style[0] != "none" and style[1] != "0px"
