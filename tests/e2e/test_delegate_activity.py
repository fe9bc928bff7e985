"""Browser: a delegate logs an activity on a 375-px-wide phone screen, staff verify it, the ranking updates."""
from __future__ import annotations

import re

from election.core.clock import today_local


def _points(page, live_server, name: str) -> int:
    page.goto(f"{live_server}/duties/rankings?year={today_local().year}")  # the demo's duty year is the current one
    row = page.locator('[data-testid="ranking-table"] tbody tr', has_text=name).first
    return int(row.locator("td.points").inner_text())


def test_delegate_logs_activity_on_phone_staff_verify_ranking_updates(page, login, live_server, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    login("studio")
    before = _points(page, live_server, "孙丽华")
    page.get_by_role("button", name="退出").click()

    login("delegate")
    page.goto(f"{live_server}/duties/activities/new")
    page.get_by_label("活动类型").select_option("inspection")
    page.get_by_label("活动日期").fill(today_local().isoformat())
    page.get_by_label("地点").fill("城关街道老旧小区")
    page.get_by_label("活动内容").fill("浏览器测试：视察老旧小区改造")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone
    screenshot("duties-activity-375")
    page.get_by_test_id("submit-activity").click()
    page.wait_for_load_state()
    assert re.search(r"/duties/me", page.url)
    assert "活动已登记" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    mine = page.get_by_test_id("my-activities").locator("li", has_text="视察调研").first
    assert "待核实" in mine.inner_text()
    page.get_by_role("button", name="退出").click()

    login("studio")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/duties/verify")
    row = page.locator("tr", has_text="浏览器测试：视察老旧小区改造")
    row.get_by_role("button", name="核实").click()
    page.wait_for_load_state()
    assert "已核实" in page.content()
    assert _points(page, live_server, "孙丽华") == before + 10  # 盐田 视察调研 10
    assert page.get_by_test_id("chart").locator("rect").count() >= 1
    screenshot("duties-ranking")
