"""Browser: two tellers enter totals that differ, see every difference, correct, confirm; the office closes the
round and sees the elected list and the report."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from election.accounts.services import create_user
from election.core.clock import utcnow
from election.core.db import db, transaction
from election.directory.models import ElectionUnit, Organisation, Unit
from election.elections.models import Election
from election.elections.services import MEETING_RULES
from election.nominations.models import Nominee
from workflow.common.idcard import make_id

NAMES = ("陈静", "王芳", "李娜", "张伟")


def _setup(live_app) -> tuple[int, str, str]:
    with live_app.app_context():
        session = db.session
        unit = session.scalar(select(Unit).order_by(Unit.id))
        with transaction(session):
            election = Election(title="浏览器计票测试选举", seats=2, stage="ballot", preset="地方组织", voters=10,
                                settings={"meeting_rules": MEETING_RULES["地方组织"]})
            session.add(election)
            # the demo office works in the district's part of the directory (seeds/levels_demo.py)
            election.organisation_id = session.scalar(select(Organisation.id).where(Organisation.code == "QW"))
            session.flush()
            eu = ElectionUnit(election_id=election.id, unit_id=unit.id, quota=2, report_count=4)
            session.add(eu)
            session.flush()
            for i, name in enumerate(NAMES):
                session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender="女",
                                    ethnicity="汉族", birth_date=date(1980, 2, 1 + i),
                                    id_number=make_id("110105", date(1980, 2, 1 + i), 400 + i, False),
                                    category="其他一线", step="confirmed"))
        tellers = []
        for n in (1, 2):
            name = f"e2e_teller_{election.id}_{n}"
            create_user(session, None, username=name, password="demo12345", role="teller", check_strength=False,
                        display_name=f"计票员{n}", now=utcnow())
            tellers.append(name)
        return election.id, tellers[0], tellers[1]


def _logout(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def _enter(page, live_server, round_id, entry_no, figures):
    page.goto(f"{live_server}/voting/rounds/{round_id}/entry/{entry_no}")
    page.get_by_label("有效票").fill("10")
    page.get_by_label("无效票").fill("0")
    for name, n in figures.items():
        page.get_by_label(f"{name}赞成票").fill(str(n))
    page.get_by_role("button", name=f"保存第{entry_no}次录入").click()
    page.wait_for_load_state()


def test_two_tellers_differ_correct_confirm_and_see_result(login, page, live_server, live_app, screenshot):
    election_id, teller1, teller2 = _setup(live_app)
    page.on("dialog", lambda dialog: dialog.accept())

    login("office")
    page.goto(f"{live_server}/elections/{election_id}/voting?eligible=10&present=10")
    expect(page.get_by_test_id("quorum")).to_contain_text("符合法定人数")
    page.get_by_label("发出选票").fill("10")
    page.get_by_label("收回选票").fill("10")
    page.get_by_label("实到会人数").fill("10")
    page.get_by_role("button", name="登记并开始计票").click()
    expect(page.get_by_test_id("round-candidates")).to_have_text("王芳、李娜、张伟、陈静")  # 姓氏笔画
    round_id = int(page.url.rstrip("/").split("/")[-1])
    _logout(page)

    login(teller1)
    _enter(page, live_server, round_id, 1, {"王芳": 9, "李娜": 7, "张伟": 3, "陈静": 1})
    expect(page.get_by_test_id("entry-1")).to_contain_text("计票员1")
    _logout(page)

    login(teller2)
    _enter(page, live_server, round_id, 2, {"王芳": 9, "李娜": 6, "张伟": 3, "陈静": 2})
    differences = page.get_by_test_id("differences")
    expect(differences).to_contain_text("2处不同")
    expect(differences).to_contain_text("李娜的赞成票")
    expect(differences).to_contain_text("陈静的赞成票")
    expect(page.get_by_role("button", name="确认计票结果")).to_have_count(0)
    screenshot("tally-differences")

    page.get_by_role("link", name="修改第2次").click()
    expect(page.get_by_label("李娜赞成票")).to_have_value("6")
    page.get_by_label("李娜赞成票").fill("7")
    page.get_by_label("陈静赞成票").fill("1")
    page.get_by_role("button", name="保存第2次录入").click()
    expect(page.get_by_test_id("entries-agree")).to_be_visible()
    page.get_by_role("button", name="确认计票结果").click()
    expect(page.get_by_test_id("round-status")).to_have_text("计票已确认")
    _logout(page)

    login("office")
    page.goto(f"{live_server}/voting/rounds/{round_id}")
    page.get_by_role("button", name="结束本轮并计算结果").click()
    result = page.get_by_test_id("round-result")
    expect(result).to_contain_text("王芳、李娜")
    expect(result).to_contain_text("至少6票")
    page.get_by_role("link", name="选举结果").first.click()
    page.get_by_role("button", name="录入选举结果").click()
    expect(page.get_by_test_id("elected-names")).to_have_text("王芳、李娜")
    expect(page.get_by_test_id("votes-1")).to_contain_text("未当选")
    screenshot("tally-results")
    with page.expect_download() as info:
        page.get_by_role("link", name="选举情况报告（.docx）").click()
    assert re.fullmatch(r".+_选举情况报告_\d{8}\.docx", info.value.suggested_filename)   # 选举名称_文书名称_日期
