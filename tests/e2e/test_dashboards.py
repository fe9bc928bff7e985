from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from election.core.db import db
from election.directory.models import ElectionUnit, Unit


def _election_unit_id(live_app, unit_code: str) -> int:
    with live_app.app_context():
        return db.session.scalar(select(ElectionUnit.id).join(Unit).where(Unit.code == unit_code))


def test_unit_user_sees_own_tasks_and_cannot_reach_another_unit(login, page, live_server, live_app, screenshot):
    login("unit01")
    expect(page.get_by_test_id("current-user")).to_contain_text("城关街道党工委")
    tasks = page.get_by_test_id("unit-tasks")
    expect(tasks).to_contain_text("某区出席市第十二次党代会代表选举")
    expect(tasks).to_contain_text("已提交")
    expect(page.get_by_role("link", name="选举管理")).to_have_count(0)
    screenshot("unit-dashboard")

    # the unit also put people forward for the demo's 省党代会 election (seeds/later_stages.py): open this one's list
    tasks.locator("tr", has_text="某区出席市第十二次党代会代表选举").get_by_role("link", name="查看名单").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("城关街道党工委")
    rows = page.get_by_test_id("nominees").locator("tbody tr")
    expect(rows).to_have_count(17)
    # ID numbers are masked for everyone but the 管理员
    expect(page.get_by_test_id("nominees")).to_contain_text(re.compile(r"\d{3}\*{11}[\dX]{4}"))

    other = _election_unit_id(live_app, "GW02")
    response = page.goto(f"{live_server}/units/{other}")
    assert response.status == 404
    body = page.locator("body").inner_text()
    assert "东城街道党工委" not in body.replace(page.get_by_test_id("current-user").inner_text(), "")
    assert "推荐人选名单" not in body and "页面不存在" in body

    response = page.goto(f"{live_server}/elections/")
    assert response.status == 403
    assert "无权访问" in page.locator("body").inner_text()


def test_admin_sees_all_elections_and_units(login, page, screenshot):
    login("admin")
    expect(page.get_by_test_id("current-user")).to_contain_text("组织部管理员")
    elections = page.get_by_test_id("elections")
    expect(elections).to_contain_text("某区出席市第十二次党代会代表选举")
    expect(elections).to_contain_text("推荐提名")
    expect(elections).to_contain_text("9 / 23")
    screenshot("office-dashboard")
    elections.get_by_role("link", name="某区出席市第十二次党代会代表选举").click()
    expect(page.get_by_test_id("units").locator("tbody tr")).to_have_count(23)
    page.get_by_role("link", name="审计日志").click()
    expect(page.get_by_test_id("audit")).to_contain_text("载入演示选举")
