"""考察对象 → vetting → first 公示 with a complaint → closing → 初步人选 → second 公示, in Chromium."""
from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from docx import Document
from playwright.sync_api import expect
from sqlalchemy import select

from election.accounts.models import User
from election.core.db import db
from election.directory.models import ElectionUnit, Organisation, Unit
from election.elections.models import Election
from election.nominations.models import Nominee
from election.vetting import services as svc
from workflow.common.idcard import make_id

# unit 0 gets 丁一, 马力, 王芳; unit 1 gets 于洋, 李娜, 张伟 (the last is not picked)
PEOPLE = [("王芳", 0), ("丁一", 0), ("马力", 0), ("于洋", 1), ("李娜", 1), ("张伟", 1)]
SHORTLIST = ["丁一", "于洋", "马力", "王芳", "李娜"]
NOW = datetime(2026, 11, 3, 9, 0)


@pytest.fixture
def flow_election(live_app):
    with live_app.app_context():
        s = db.session
        units = s.scalars(select(Unit).order_by(Unit.code).limit(2)).all()
        election = Election(title="考察流程测试选举", seats=2, stage="shortlist", electing_body="中共某区委员会",
                            convening_body="中共某市委员会",
                            settings={"margins": {"unit_list": "1/2", "final_ballot": "1/5"},
                                      "office": {"name": "区委组织部", "phone": "0000-7654321",
                                                 "address": "某区行政中心", "mailbox": "zzb@example.cn"}})
        s.add(election)
        # the demo office works in the district's part of the directory (seeds/levels_demo.py)
        election.organisation_id = s.scalar(select(Organisation.id).where(Organisation.code == "QW"))
        s.flush()
        eus = [ElectionUnit(election_id=election.id, unit_id=u.id, quota=2, report_count=3, status="submitted",
                            submitted_at=NOW) for u in units]
        s.add_all(eus)
        s.flush()
        for i, (name, unit) in enumerate(PEOPLE):
            birth = date(1975 + i, 5, 1)
            s.add(Nominee(election_id=election.id, election_unit_id=eus[unit].id, position=i, name=name,
                          gender="女" if i % 2 else "男", ethnicity="汉族", id_number=make_id("110105", birth, 400 + i, i % 2 == 0),
                          birth_date=birth, native_place="某省", education="大学", party_join_date=date(2000, 7, 1),
                          workplace_title=f"某单位职工{i}", category="专业技术人员"))
        s.commit()
        return election.id


def _person(live_app, election_id, name) -> int:
    with live_app.app_context():
        return db.session.scalar(select(Nominee.id).where(Nominee.election_id == election_id, Nominee.name == name))


def _switch(page, login, username):
    page.context.clear_cookies()
    login(username)


def _vet_by_service(live_app, election_id, names):
    with live_app.app_context():
        s = db.session
        office = s.scalar(select(User).where(User.username == "office"))
        discipline = s.scalar(select(User).where(User.username == "discipline"))
        for name in names:
            nid = s.scalar(select(Nominee.id).where(Nominee.election_id == election_id, Nominee.name == name))
            svc.record_vetting(s, office, nid, svc.VettingInput(file_audit="passed", petition_check="无",
                                                                appraisal_count=20, interview_count=8,
                                                                integrity_received=True), NOW)
            svc.record_discipline_opinion(s, discipline, nid, "未发现违纪违法问题", NOW)
            svc.conclude_vetting(s, office, nid, "passed", "", NOW)


def _flash(page):
    return page.locator(".flashes")


def test_vetting_flow_from_shortlist_to_second_notice(page, login, live_server, live_app, flow_election,
                                                      screenshot):
    eid = flow_election
    page.on("dialog", lambda d: d.accept())
    login("office")

    # --- 考察对象 with live counters -------------------------------------------------------------------
    page.goto(f"{live_server}/vetting/{eid}/shortlist")
    for name in SHORTLIST:
        page.get_by_label(f"选择{name}").check()
    page.get_by_role("button", name="重新核算").click()
    expect(page.get_by_test_id("counters")).to_contain_text("当前勾选：5名")
    expect(page.get_by_test_id("counters")).to_contain_text("至少4名")
    page.get_by_role("button", name="保存考察对象名单").click()
    expect(_flash(page)).to_contain_text("已保存考察对象5名")
    screenshot("vetting-shortlist")

    page.goto(f"{live_server}/elections/{eid}")
    page.get_by_text("登记决定").click()
    page.locator("#decision-kind").select_option("shortlist")
    page.locator("[name=body]").fill("区委常委会")
    page.locator("[name=held_on]").fill("2026-10-30")
    page.locator("[name=doc_number]").fill("常委会纪要〔2026〕30号")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_role("button", name="进入“考察并第一次公示”阶段").click()
    expect(page.get_by_test_id("stage")).to_have_text("考察并第一次公示")

    # --- vetting: the office assigns, the 考察组 records, 纪检 gives its opinion ------------------------
    wang = _person(live_app, eid, "王芳")
    page.goto(f"{live_server}/vetting/people/{wang}")
    page.locator("[name=user_id]").select_option(label="考察组 李明")
    page.get_by_role("button", name="分配", exact=True).click()
    expect(page.get_by_test_id("inspectors")).to_contain_text("考察组 李明")

    _switch(page, login, "inspector")
    page.goto(f"{live_server}/vetting/{eid}")
    expect(page.get_by_test_id("vetting-board").locator("tbody tr")).to_have_count(1)
    assert page.goto(f"{live_server}/vetting/people/{_person(live_app, eid, '李娜')}").status == 403
    page.goto(f"{live_server}/vetting/people/{wang}")
    form = page.get_by_test_id("vetting-form")
    form.get_by_label("档案审核（三龄两历一身份）").select_option("passed")
    form.get_by_label("信访举报核查情况").fill("经查无信访举报")
    form.get_by_label("民主测评参加人数").fill("35")
    form.get_by_label("个别谈话人数").fill("12")
    form.get_by_label("已收到本人廉洁自律情况说明").check()
    form.get_by_role("button", name="保存考察材料").click()
    expect(_flash(page)).to_contain_text("考察材料已保存")
    expect(page.get_by_test_id("missing")).to_contain_text("尚未听取纪检机关意见")

    _switch(page, login, "discipline")
    page.goto(f"{live_server}/vetting/people/{wang}")
    page.get_by_label("纪检机关意见").fill("未发现违纪违法问题，同意列为考察对象")
    page.get_by_role("button", name="录入纪检机关意见").click()
    expect(page.get_by_test_id("discipline-opinion")).to_contain_text("同意列为考察对象")

    _switch(page, login, "inspector")
    page.goto(f"{live_server}/vetting/people/{wang}")
    page.get_by_role("button", name="登记结论").click()
    expect(page.get_by_test_id("conclusion")).to_contain_text("通过")
    screenshot("vetting-person")
    _vet_by_service(live_app, eid, ["丁一", "于洋", "马力", "李娜"])

    # --- first 公示, one per unit, with a complaint ---------------------------------------------------
    _switch(page, login, "office")
    page.goto(f"{live_server}/vetting/{eid}/notices")
    page.get_by_label("公示发布日期").fill("2026-11-02")
    page.get_by_label("补登理由").fill("公示已于该日张贴，现补录")  # dated weeks back: the reason is asked for
    page.get_by_role("button", name="生成公示草稿").click()
    expect(_flash(page)).to_contain_text("公示草稿已生成")
    rows = page.get_by_test_id("notices").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2026年11月2日至2026年11月6日")
    hrefs = [rows.nth(i).locator("a").get_attribute("href") for i in range(2)]
    for href in hrefs:
        page.goto(f"{live_server}{href}")
        page.get_by_role("button", name="发布公示").click()
        expect(page.get_by_test_id("notice-status")).to_have_text("已发布")

    # the second unit's notice holds 于洋 and 李娜; a complaint against 李娜 turns out true
    page.goto(f"{live_server}{hrefs[1]}")
    expect(page.get_by_test_id("notice-people")).to_contain_text("李娜")
    form = page.get_by_test_id("complaint-form")
    form.get_by_label("被反映人").select_option(label="李娜")
    form.get_by_label("反映方式").select_option("letter")
    form.get_by_label("收到日期").fill("2026-11-03")
    form.get_by_label("反映内容").fill("反映其违规收受礼金")
    form.get_by_label("实名反映").check()
    form.get_by_role("button", name="登记反映").click()
    expect(_flash(page)).to_contain_text("反映已登记")

    page.get_by_role("button", name="结束公示").click()
    expect(_flash(page)).to_contain_text("还有1件反映未办结")
    expect(page.get_by_test_id("notice-status")).to_have_text("已发布")

    page.get_by_label("承办人").select_option(label="纪检 张锋（纪检）")
    page.get_by_role("button", name="交办").click()
    expect(page.get_by_test_id("complaints")).to_contain_text("纪检 张锋")
    page.get_by_label("核查情况").fill("经核查，反映问题属实")
    page.get_by_role("button", name="登记核查情况").click()
    page.get_by_label("核查结论").select_option("true")
    page.get_by_label("处理意见").fill("取消考察对象资格")
    page.get_by_role("button", name="办结").click()
    expect(_flash(page)).to_contain_text("反映已办结")
    expect(page.get_by_test_id("complaints")).to_contain_text("属实：取消考察对象资格")
    # its period long over, the notice ends with its last 反映: no button to press, the time shown
    expect(page.get_by_test_id("notice-status")).to_contain_text("已结束（")
    expect(page.get_by_role("button", name="结束公示")).to_have_count(0)
    screenshot("vetting-first-notice")

    page.goto(f"{live_server}/vetting/{eid}")
    expect(page.get_by_test_id("vetting-board")).to_contain_text("已移出：公示期间反映问题经核查属实：取消考察对象资格")

    # --- 初步人选 and the second 公示 ------------------------------------------------------------------
    page.goto(f"{live_server}/elections/{eid}")
    page.get_by_role("button", name="进入“确定初步人选并第二次公示”阶段").click()
    expect(page.get_by_test_id("stage")).to_have_text("确定初步人选并第二次公示")

    page.goto(f"{live_server}/vetting/{eid}/preliminary")
    expect(page.get_by_test_id("pool").locator("tbody tr")).to_have_count(4)  # 李娜 is out
    for name in ("丁一", "于洋", "王芳"):
        page.get_by_label(f"选择{name}").check()
    page.get_by_role("button", name="保存初步人选名单").click()
    expect(_flash(page)).to_contain_text("已保存初步人选3名")

    page.goto(f"{live_server}/vetting/{eid}/notices")
    page.get_by_label("公示发布日期").fill("2026-11-16")
    page.get_by_label("补登理由").fill("公示已于该日张贴，现补录")  # dated weeks back: the reason is asked for
    page.get_by_role("button", name="生成公示草稿").click()
    expect(_flash(page)).to_contain_text("公示草稿已生成")
    second = page.get_by_test_id("notices").locator("tbody tr", has_text="第二次公示")
    expect(second).to_contain_text("2026年11月16日至2026年11月20日")
    second.locator("a").click()
    page.get_by_role("button", name="发布公示").click()
    expect(page.get_by_test_id("notice-status")).to_have_text("已发布")
    names = page.get_by_test_id("notice-people").locator("tbody tr td:first-child").all_inner_texts()
    assert names == ["丁一", "于洋", "王芳"]
    screenshot("vetting-second-notice")

    docx_href = page.get_by_test_id("notice-docx").get_attribute("href")
    response = page.request.get(f"{live_server}{docx_href}")
    assert response.ok
    doc = Document(io.BytesIO(response.body()))
    assert [r.cells[0].text for r in doc.tables[0].rows[1:]] == ["丁一", "于洋", "王芳"]
    text = "".join(p.text for p in doc.paragraphs)
    assert not re.search(r"[1-9]\d{16}[\dXx]", text) and "zzb@example.cn" in text
