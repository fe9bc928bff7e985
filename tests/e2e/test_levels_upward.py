"""Browser, on SQLite and on PostgreSQL: a 选举单位 of the demo city (某新区) goes from 确定初步人选 to its recorded
result, and every decision from above is made by the city's own user in the same installation — the 同意 of the
初步人选, the 市委提名人选 assigned to the 选举单位, the 初步审查 and 批复 of the 预备人选, the 收到 of the result.

The demo is loaded as of three weeks ago, so that the steps the 选举单位 took then (the 初步人选 reported up) and
the 第二次公示 dated from the city's 同意 lie in the past, as they would on the day the clerk comes back to it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from election.core.clock import to_local, today_local
from tests.e2e.steps import advance, enter_count, login, logout, served_demo

BACK = timedelta(days=21)


@pytest.fixture(params=["sqlite", "postgresql"])
def city_demo(request, tmp_path):
    """The demo loaded three weeks ago on its own database, served; -> (base URL, app)."""
    with served_demo(request, tmp_path, "levels", BACK) as served:
        yield served


def _world(app) -> dict:
    from election.core.db import db
    from election.directory.models import Organisation
    from election.elections.models import Election
    from election.levels.models import CongressNominee, UpwardReport

    with app.app_context():
        s = db.session
        org = s.scalar(select(Organisation).where(Organisation.code == "XQ"))
        election = s.scalar(select(Election).where(Election.organisation_id == org.id))
        report = s.scalar(select(UpwardReport).where(UpwardReport.election_id == election.id))
        free = s.scalar(select(CongressNominee).where(CongressNominee.congress_unit_id.is_(None)))
        return {"election": election.id, "congress": election.congress_id, "stage": election.stage,
                "org_name": org.name, "consent": report.id, "consent_status": report.status,
                "submitted_on": to_local(report.submitted_at).date(), "nominee": free.name}


def _ok(page):
    expect(page.locator(".flash-success").first).to_be_visible()


def _city_decides(page, base, report_id, day, doc_number=""):
    """The city user opens the package from its queue and makes the decision the package waits for."""
    page.goto(f"{base}/levels/reports/{report_id}")
    page.locator("#decided_on").fill(day.isoformat())
    if doc_number:
        page.locator("#doc_number").fill(doc_number)
    page.get_by_test_id("approve-button").click()
    page.wait_for_load_state()
    _ok(page)


def _report_up(page, base, election_id, kind_label, doc_number):
    page.goto(f"{base}/levels/elections/{election_id}/reports")
    page.get_by_label("本单位文号").fill(doc_number)
    page.get_by_label("报送说明").fill("请予审核。")
    page.get_by_role("button", name=f"报送{kind_label}").click()
    page.wait_for_load_state()
    _ok(page)
    rows = page.get_by_test_id("packages").locator("tbody tr", has_text=kind_label)
    expect(rows.first).to_contain_text("已报送")
    return max(int(rows.nth(k).get_attribute("data-testid").removeprefix("package-")) for k in range(rows.count()))


def _round(app, election_id) -> tuple[int, list[str], int]:
    from election.core.db import db
    from election.voting.models import BallotRound

    with app.app_context():
        rnd = db.session.scalar(select(BallotRound).where(BallotRound.election_id == election_id))
        return rnd.id, list(rnd.candidates), rnd.seats


def test_a_district_from_its_initial_list_to_its_result_with_the_city_deciding(page, city_demo, screenshot):
    base, app = city_demo
    w = _world(app)
    assert w["stage"] == "preliminary" and w["consent_status"] == "submitted"
    eid, today = w["election"], today_local()
    consent_day = w["submitted_on"] + timedelta(days=1)
    page.on("dialog", lambda dialog: dialog.accept())

    # the city finds the 新区's 初步人选 waiting in its queue and gives its 同意 (dated the day it was given)
    login(page, base, "city")
    page.goto(f"{base}/levels/congresses/{w['congress']}/reports")
    expect(page.get_by_test_id(f"queue-{w['consent']}")).to_contain_text("初步人选")
    page.get_by_test_id(f"queue-{w['consent']}").get_by_role("link", name="审核").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("people").locator("tbody tr").first).to_be_visible()
    screenshot("levels-consent-package")
    _city_decides(page, base, w["consent"], consent_day, f"市组函〔{consent_day.year}〕41号")
    expect(page.get_by_test_id("status")).to_contain_text("同意")
    logout(page)

    # the 新区's office: the 第二次公示 from the day of the 同意, then on to 确定预备人选
    login(page, base, "office2")
    page.goto(f"{base}/levels/elections/{eid}/reports")
    expect(page.get_by_test_id("packages")).to_contain_text("同意")
    page.goto(f"{base}/vetting/{eid}/notices")
    page.get_by_label("公示发布日期").fill(consent_day.isoformat())
    page.get_by_label("补登理由").fill("公示已于市委同意当日张贴，现补录")
    page.get_by_label("受理单位").fill("新区工委组织部")
    page.get_by_label("受理电话").fill("0000-12345700")
    page.get_by_label("通信地址").fill("新区行政中心1号楼")
    page.get_by_label("电子邮箱或意见箱").fill("新区组织部意见箱")
    page.get_by_role("button", name="生成公示草稿").click()
    page.wait_for_load_state()
    screenshot("levels-second-notice")
    second = page.get_by_test_id("notices").locator("tbody tr", has_text="第二次公示")
    page.goto(base + second.locator("a").first.get_attribute("href"))
    page.get_by_role("button", name="发布公示").click()
    expect(page.get_by_test_id("notice-status")).to_have_text("已发布")
    advance(page, base, eid, "确定预备人选")

    # the 全委会 圈选 the 预备人选 (all of the 初步人选) and its decision is recorded
    page.goto(f"{base}/elections/{eid}/voting/candidates")
    page.get_by_label("会议", exact=True).fill("新区工委全体会议")
    page.get_by_label("会议日期").fill(today.isoformat())
    page.get_by_label("应到会委员").fill("25")
    page.get_by_label("实到会委员").fill("23")
    boxes = page.get_by_test_id("preliminary").locator("input[type=checkbox]")
    for k in range(boxes.count()):
        boxes.nth(k).check()
    page.get_by_role("button", name="保存圈选结果").click()
    page.wait_for_load_state()
    _ok(page)
    page.goto(f"{base}/elections/{eid}")
    page.get_by_text("登记决定").click()
    page.locator("#decision-kind").select_option("confirm")
    page.locator("[name=body]").fill("新区工委全体会议")
    page.locator("[name=held_on]").fill(today.isoformat())
    page.locator("[name=doc_number]").fill(f"新区工委全纪〔{today.year}〕5号")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state()
    _ok(page)
    # the hand-typed 批复 is not offered: it comes from the city
    expect(page.locator("#decision-kind option[value=approval]")).to_have_count(0)
    logout(page)

    # the city assigns its own nominee to the 新区 (its 上级提名名额)
    login(page, base, "city")
    page.goto(f"{base}/levels/congresses/{w['congress']}/nominees")
    page.get_by_label(f"{w['nominee']}分配到选举单位").select_option(label=w["org_name"])
    row = page.get_by_test_id("congress-nominees").locator("tr", has_text=w["nominee"])
    row.get_by_role("button", name="分配").click()
    page.wait_for_load_state()
    _ok(page)
    logout(page)

    # the 新区 reports its 预备人选 up; the city does the 初步审查, then the 批复
    login(page, base, "office2")
    page.goto(f"{base}/elections/{eid}/voting/candidates")
    expect(page.get_by_test_id("higher")).to_contain_text(w["nominee"])
    approval = _report_up(page, base, eid, "预备人选", f"新区组〔{today.year}〕15号")
    page.goto(f"{base}/elections/{eid}")
    expect(page.locator("body")).to_contain_text("等待上级组织部门")
    logout(page)
    login(page, base, "city")
    page.goto(f"{base}/levels/reports/{approval}")
    expect(page.get_by_test_id("people")).to_contain_text(w["nominee"])
    page.get_by_role("textbox", name="审查意见").fill("经初步审查，人选结构符合要求。")
    page.get_by_test_id("review-button").click()
    page.wait_for_load_state()
    _ok(page)
    _city_decides(page, base, approval, today, f"市委组〔{today.year}〕52号")
    expect(page.get_by_test_id("status")).to_contain_text("批复")
    screenshot("levels-approval-decided")
    logout(page)

    # the 选举大会: the 新区's office opens round 1, its two tellers count, the office records the result
    login(page, base, "office2")
    advance(page, base, eid, "差额选举")
    page.goto(f"{base}/elections/{eid}/voting")
    page.get_by_label("应到会人数").fill("60")
    page.get_by_label("实到会人数").fill("58")
    page.get_by_label("发出选票").fill("58")
    page.get_by_label("收回选票").fill("58")
    page.get_by_role("button", name="登记并开始计票").click()
    page.wait_for_load_state()
    _ok(page)
    round_id, candidates, seats = _round(app, eid)
    figures = {name: (50 if i < seats else 4) for i, name in enumerate(candidates)}
    logout(page)
    login(page, base, "teller3")
    enter_count(page, base, round_id, 1, figures, 58)
    logout(page)
    login(page, base, "teller4")
    enter_count(page, base, round_id, 2, figures, 58)
    page.get_by_role("button", name="确认计票结果").click()
    expect(page.get_by_test_id("round-status")).to_have_text("计票已确认")
    logout(page)
    login(page, base, "office2")
    page.goto(f"{base}/voting/rounds/{round_id}")
    page.get_by_role("button", name="结束本轮并计算结果").click()
    page.wait_for_load_state()
    page.goto(f"{base}/elections/{eid}/voting/results")
    page.get_by_role("button", name="录入选举结果").click()
    page.wait_for_load_state()
    _ok(page)
    advance(page, base, eid, "结果上报")
    result = _report_up(page, base, eid, "选举结果", f"新区组〔{today.year}〕21号")
    logout(page)

    # the city receives the result; the 新区 completes; the city sees it finished and its nominee's result
    login(page, base, "city")
    _city_decides(page, base, result, today)
    expect(page.get_by_test_id("status")).to_contain_text("收到")
    logout(page)
    login(page, base, "office2")
    advance(page, base, eid, "已完成")
    logout(page)
    login(page, base, "city")
    page.goto(f"{base}/levels/congresses/{w['congress']}")
    expect(page.locator("body")).to_contain_text("已完成")
    page.goto(f"{base}/levels/congresses/{w['congress']}/nominees")
    row = page.get_by_test_id("congress-nominees").locator("tr", has_text=w["nominee"])
    expect(row).to_contain_text("当选" if figures.get(w["nominee"]) == 50 else "未当选")
    screenshot("levels-completed")
