"""Browser, on SQLite and on PostgreSQL: the district's 选举办 runs this year's 党代会年会 of the demo from its
preparation to the published 民主测评 — the agenda, a 列席 guest and a material, the notice, the sign-in (refused below
the four-fifths quorum, held at it), a 提案 taken through 立案 to its reply and the delegate's assessment, the 民主测评
opened, entered by the two tellers independently (a difference caught, corrected, then confirmed) and published, and
the delegate reading the result.

The demo is loaded as of twelve days ago, so this year's session opens today, and the 提案 submitted in its window
wait for their 立案 review."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from election.core.clock import today_local
from tests.e2e.steps import login, logout, served_demo

BACK = timedelta(days=12)


@pytest.fixture(params=["sqlite", "postgresql"])
def session_demo(request, tmp_path):
    """The demo loaded twelve days ago on its own database, served; -> (base URL, app)."""
    with served_demo(request, tmp_path, "assembly", BACK) as served:
        yield served


def _world(app) -> dict:
    from election.assembly.models import Appraisal, AssemblySession
    from election.core.db import db
    from election.duties.models import Proposal, TermDelegate

    with app.app_context():
        s = db.session
        meeting = s.scalar(select(AssemblySession).where(AssemblySession.meeting_no == 5))
        appraisal = s.scalar(select(Appraisal).where(Appraisal.session_id == meeting.id))
        mine = s.scalar(select(Proposal).join(TermDelegate, TermDelegate.id == Proposal.lead_delegate_id)
                        .where(Proposal.session_id == meeting.id, TermDelegate.name == "孙丽华"))
        roll = s.scalar(select(func.count()).select_from(TermDelegate)
                        .where(TermDelegate.congress == meeting.congress, TermDelegate.status == "serving"))
        return {"session": meeting.id, "title": meeting.title, "status": meeting.status, "opens_on": meeting.opens_on,
                "appraisal": appraisal.id, "objects": [o.name for o in appraisal.objects],
                "grades": list(appraisal.grades), "proposal": mine.id, "proposal_title": mine.title, "roll": roll}


def _ok(page):
    expect(page.locator(".flash-success").first).to_be_visible()


def _refused(page, text: str):
    expect(page.locator(".flash-danger").first).to_contain_text(text)


def _sign_in(page, count: int) -> None:
    """The clerk ticks the first COUNT delegates not yet signed in and signs them in at once."""
    boxes = page.get_by_test_id("roll").locator("input[type=checkbox]")
    for k in range(count):
        boxes.nth(k).check()
    page.get_by_test_id("sign-in-selected").click()
    page.wait_for_load_state()
    _ok(page)


def _enter(page, base, appraisal_id, entry_no, objects, grades, figures, invalid):
    page.goto(f"{base}/assembly/appraisals/{appraisal_id}/entry/{entry_no}")
    page.get_by_test_id("invalid").fill(str(invalid))
    for name in objects:
        for grade, n in zip(grades, figures[name], strict=True):
            page.get_by_label(f"{name}{grade}票数").fill(str(n))
    page.get_by_role("button", name=f"保存第{entry_no}次录入").click()
    page.wait_for_load_state()
    _ok(page)


def test_a_session_from_its_preparation_to_the_published_appraisal(page, session_demo, screenshot, tmp_path):
    base, app = session_demo
    w = _world(app)
    today = today_local()
    assert w["status"] == "preparing" and w["opens_on"] == today
    page.on("dialog", lambda dialog: dialog.accept())
    sid = w["session"]

    # the 选举办 finds this year's session under 党代会年会 and completes its preparation
    login(page, base, "office")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="党代会年会").click()
    page.get_by_role("link", name=w["title"]).click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("status")).to_have_text("筹备中")
    agenda = page.get_by_test_id("agenda-form")
    agenda.get_by_label("议程类别").select_option(label="其他")
    agenda.get_by_label("议程名称（留空按类别）").fill("通过大会决议")
    page.get_by_role("button", name="增加议程事项").click()
    page.wait_for_load_state()
    _ok(page)
    expect(page.locator("body")).to_contain_text("通过大会决议")
    page.get_by_label("姓名", exact=True).fill("钱卫东")
    page.get_by_label("工作单位及职务").fill("区政协主席")
    page.get_by_label("列席理由").fill("不是党代会代表的区级领导干部")
    page.get_by_role("button", name="增加列席人员").click()
    page.wait_for_load_state()
    _ok(page)
    material = tmp_path / "区委工作报告（审议稿）.pdf"
    material.write_bytes(b"%PDF-1.4\n% report\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label("材料名称（留空用文件名）").fill("区委工作报告（审议稿）")
    page.get_by_label("文件", exact=True).set_input_files(str(material))
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    _ok(page)
    expect(page.get_by_test_id("materials")).to_contain_text("尚未分发")
    page.get_by_test_id("send-notice").click()
    page.wait_for_load_state()
    _ok(page)
    expect(page.get_by_test_id("status")).to_have_text("已通知")
    expect(page.get_by_test_id("materials")).not_to_contain_text("尚未分发")

    # the sign-in: one short of four fifths of the roll cannot be held; at four fifths it is
    page.get_by_test_id("open-session").click()
    page.wait_for_load_state()
    _ok(page)
    page.goto(f"{base}/assembly/sessions/{sid}/attendance")
    needed = -(-w["roll"] * 4 // 5)
    expect(page.get_by_test_id("quorum-line")).to_contain_text(f"至少{needed}人")
    _sign_in(page, needed - 1)
    expect(page.get_by_test_id("quorum-line")).to_contain_text("还差1人")
    page.get_by_test_id("hold").click()
    page.wait_for_load_state()
    _refused(page, "还差1人")
    screenshot("assembly-below-quorum")
    leave = page.get_by_test_id("roll").locator("tbody tr").filter(has_text="未到").first.locator("details")
    leave.locator("summary").click()
    leave.get_by_label("请假理由").fill("外出学习")
    leave.get_by_role("button", name="登记请假").click()
    page.wait_for_load_state()
    _ok(page)
    _sign_in(page, 1)
    expect(page.get_by_test_id("quorum-line")).to_contain_text("已达到法定人数")
    page.get_by_test_id("hold").click()
    page.wait_for_load_state()
    _ok(page)
    expect(page.get_by_test_id("quorum")).to_contain_text(f"应到{w['roll']}人，实到{needed}人")
    expect(page.get_by_test_id("sign-in-selected")).to_have_count(0)

    # 提案: 孙丽华's, submitted in the window, is 立案 and sent to its 承办单位, whose reply the clerk records
    page.goto(f"{base}/assembly/sessions/{sid}/proposals")
    expect(page.get_by_test_id("window-closed")).to_be_visible()
    row = page.get_by_test_id("proposal-row").filter(has_text=w["proposal_title"])
    expect(row).to_contain_text("待审查")
    review = page.get_by_test_id("review-form").filter(
        has=page.locator(f"input[name=proposal_id][value='{w['proposal']}']"))
    review.get_by_label("审查结果").select_option(label="立案")
    review.get_by_label("承办单位").fill("区住房和城乡建设局")
    review.get_by_label("答复期限").fill((today + timedelta(days=30)).isoformat())
    review.get_by_role("button", name="保存审查结果").click()
    page.wait_for_load_state()
    _ok(page)
    expect(row).to_contain_text("立案")
    expect(row).to_contain_text("待答复")
    row.get_by_role("link", name=w["proposal_title"]).click()
    page.wait_for_load_state()
    page.get_by_label("答复内容").fill("已列入明年老旧小区改造计划，分两批实施。")
    page.get_by_label("答复日期").fill(today.isoformat())
    page.get_by_role("button", name="保存答复").click()
    page.wait_for_load_state()
    _ok(page)
    page.goto(f"{base}/assembly/sessions/{sid}/proposals")
    expect(row).to_contain_text("已列入明年老旧小区改造计划")

    # the 民主测评: the clerk opens the count with the ballots issued and collected
    page.goto(f"{base}/assembly/appraisals/{w['appraisal']}")
    page.get_by_test_id("open-form").get_by_label("发出票数").fill(str(needed))
    page.get_by_test_id("open-form").get_by_label("收回票数").fill(str(needed))
    page.get_by_role("button", name="开始计票").click()
    page.wait_for_load_state()
    _ok(page)
    logout(page)

    valid = needed - 1
    figures = {}
    for k, name in enumerate(w["objects"]):
        poor = k  # 0, 1, 2 … 差 votes
        fair = 2
        fine = 5 + k
        figures[name] = [valid - poor - fair - fine, fine, fair, poor]
    wrong = dict(figures)
    first = w["objects"][0]
    wrong[first] = [figures[first][0] - 1, figures[first][1] + 1, *figures[first][2:]]

    # two tellers enter the ballots independently; the second mistypes one figure, which the comparison shows
    login(page, base, "teller")
    _enter(page, base, w["appraisal"], 1, w["objects"], w["grades"], figures, 1)
    logout(page)
    login(page, base, "teller2")
    _enter(page, base, w["appraisal"], 2, w["objects"], w["grades"], wrong, 1)
    page.goto(f"{base}/assembly/appraisals/{w['appraisal']}")
    expect(page.get_by_test_id("differences")).to_contain_text("2处不同")
    expect(page.get_by_test_id("difference").first).to_contain_text(first)
    expect(page.get_by_role("button", name="确认票数")).to_have_count(0)  # not offered while the entries differ
    screenshot("assembly-appraisal-differences")
    _enter(page, base, w["appraisal"], 2, w["objects"], w["grades"], figures, 1)
    page.goto(f"{base}/assembly/appraisals/{w['appraisal']}")
    expect(page.get_by_test_id("entries-agree")).to_be_visible()
    page.get_by_role("button", name="确认票数").click()
    page.wait_for_load_state()
    _ok(page)
    logout(page)

    # the clerk publishes the result; the 好+较好率 of the first object is the figures' own
    login(page, base, "office")
    page.goto(f"{base}/assembly/appraisals/{w['appraisal']}")
    good = figures[first][0] + figures[first][1]
    rate = round(good * 1000 / valid)
    expect(page.get_by_test_id("result-row").first).to_contain_text(f"{rate // 10}.{rate % 10}%")
    page.get_by_role("button", name="公布结果").click()
    page.wait_for_load_state()
    _ok(page)
    expect(page.get_by_test_id("appraisal-state")).to_contain_text("已公布")
    screenshot("assembly-appraisal-published")
    logout(page)

    # the delegate reads the published result and the reply to her 提案, and assesses it
    login(page, base, "delegate")
    page.goto(f"{base}/assembly/appraisals/{w['appraisal']}")
    expect(page.get_by_test_id("appraisal-results")).to_contain_text(first)
    page.goto(f"{base}/duties/proposals/{w['proposal']}")
    expect(page.locator("body")).to_contain_text("已列入明年老旧小区改造计划")
    page.get_by_label("对答复的评价").select_option(label="基本满意")
    page.get_by_role("button", name="保存评价").click()
    page.wait_for_load_state()
    _ok(page)
    expect(page.locator("body")).to_contain_text("基本满意")
