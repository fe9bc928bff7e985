"""The pipeline in the browser: the 管理员 sets up an election, advances it, sees the blockers of an unsubmitted unit
and sees them disappear once the unit has submitted."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from election.core.db import db
from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election


def test_admin_sets_up_and_advances_an_election(login, page, live_server, live_app, screenshot):
    login("admin")
    page.goto(f"{live_server}/elections/new")
    page.get_by_label("选举名称").fill("浏览器测试：某街道出席区党代会代表选举")
    page.get_by_label("应选名额（不含上级提名）").fill("5")
    page.get_by_label("应到会代表数").fill("120")
    page.get_by_label("第1项代码").fill("women")
    page.get_by_label("第1项名称").fill("女性")
    page.get_by_label("第1项条件", exact=True).select_option("gender")
    page.get_by_label("第1项条件值").fill("女")
    page.get_by_label("第1项至少人数").fill("2")
    page.get_by_role("button", name="保存工作方案").click()
    expect(page.get_by_test_id("stage")).to_have_text("制定工作方案")
    blockers = page.get_by_test_id("blockers")
    expect(blockers).to_contain_text("截止日期")
    screenshot("pipeline-plan-blockers")

    page.get_by_role("link", name="推荐单位及名额").click()
    for name in ("城关街道党工委", "东城街道党工委"):
        page.get_by_label(f"{name}参加").check()
        page.get_by_label(f"{name}推荐名额").fill("2")
        page.get_by_label(f"{name}应上报人数").fill("3")
    page.get_by_role("button", name="保存名额分配").click()
    expect(page.locator(".flash-success")).to_contain_text("已保存2个推荐单位")

    page.get_by_role("link", name="时间安排（计划与实际）").click()
    dates = ["2099-02-08", "2099-02-10", "2099-02-21", "2099-03-01", "2099-03-10", "2099-03-20", "2099-03-31",
             "2099-04-10", "2099-04-15"]
    labels = ["制定工作方案", "工作部署", "推荐提名", "确定考察对象", "考察并第一次公示", "确定初步人选并第二次公示",
              "确定预备人选", "差额选举", "结果上报"]
    for label, day in zip(labels, dates):
        page.get_by_label(f"{label}截止日期").fill(day)
    page.get_by_role("button", name="保存时间安排").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("2099年2月8日")
    page.get_by_role("link", name="返回选举").click()

    expect(page.get_by_test_id("ready")).to_be_visible()
    # 「进入…阶段」 asks first and says what happens; dismissed, nothing moves (docs/manual/index.md)
    asked: list[str] = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="进入“工作部署”阶段").click()
    expect(page.get_by_test_id("stage")).to_have_text("制定工作方案")
    assert asked and asked[-1].startswith("确定进入“工作部署”阶段？“制定工作方案”阶段随即结束")
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="进入“工作部署”阶段").click()
    expect(page.get_by_test_id("stage")).to_have_text("工作部署")
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="进入“推荐提名”阶段").click()
    expect(page.get_by_test_id("stage")).to_have_text("推荐提名")
    assert len(asked) == 3

    blockers = page.get_by_test_id("blockers")
    expect(blockers.locator("[data-code='nominate.unit_not_submitted']")).to_have_count(2)
    expect(blockers).to_contain_text("城关街道党工委")
    screenshot("pipeline-nominate-blockers")

    with live_app.app_context():
        election_id = db.session.scalar(select(Election.id).where(Election.title.like("浏览器测试%")))
        eu = db.session.scalar(select(ElectionUnit).join(Unit).where(ElectionUnit.election_id == election_id,
                                                                      Unit.code == "GW01"))
        _submit_for_unit(eu)
    page.reload()
    blockers = page.get_by_test_id("blockers")
    expect(blockers.locator("[data-code='nominate.unit_not_submitted']")).to_have_count(1)
    expect(blockers).not_to_contain_text("城关街道党工委尚未")

    row = page.get_by_test_id("units").locator("tr", has_text="东城街道党工委")
    row.get_by_label("东城街道党工委免报理由").fill("本次无推荐任务")
    row.get_by_role("button", name="免报").click()
    expect(page.locator("[data-code='nominate.unit_not_submitted']")).to_have_count(0)


def _submit_for_unit(eu: ElectionUnit) -> None:
    """The unit's own page is driven in test_unit_upload.py; here unit01 adds its three people and submits
    through the same use cases."""
    from datetime import date

    from election.accounts.models import User
    from election.core.clock import today_local, utcnow
    from election.nominations.services import add_nominee, submit_list
    from workflow.common.idcard import make_id

    actor = db.session.scalar(select(User).where(User.username == "unit01"))
    people = [("王春梅", "女", "工人"), ("李建国", "男", "专业技术人员"), ("张晓燕", "女", "其他一线")]
    for i, (name, gender, category) in enumerate(people):
        born = date(1982, 3, 1 + i)
        outcome = add_nominee(db.session, actor, eu.id, {
            "name": name, "gender": gender, "ethnicity": "汉族", "id_number": make_id("110105", born, 100 + i,
                                                                                    gender == "男"),
            "birth_month": born.strftime("%Y-%m"), "native_place": "河北石家庄", "education": "大学本科",
            "party_join_date": "2008-07", "work_start_date": "", "workplace_title": "城关街道某社区",
            "category": category, "remark": ""}, today_local(), utcnow())
        assert not outcome.errors, outcome.errors
    assert submit_list(db.session, actor, eu.id, today_local(), utcnow()) == []
