"""Browser, on SQLite and on PostgreSQL: the demo's election at 差额选举 is taken to 已完成 through the pages — the two
tellers enter round 1 and confirm it, the office closes it, records the result and its 上报, moves to 结果上报 and
已完成 — then the office transfers the elected to the 代表名册 (「转入代表名册」, with their details and logins), and
one new delegate logs in with the slip's one-time password, sets his own and logs an activity."""
from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from election import create_app
from election.core.clock import today_local
from election.core.migrate import upgrade
from seeds.demo import load_demo
from seeds.later_stages import BALLOT_TITLE
from tests import pg
from tests.e2e.steps import advance, enter_count, login, logout


@pytest.fixture(params=["sqlite", "postgresql"])
def demo(request, tmp_path):
    """A freshly seeded demo on its own database, served; -> (base URL, app)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'demo.db'}"
    else:
        url = pg.create_database(request.getfixturevalue("pg_server"), "election_transfer_e2e")
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "transfer-e2e-secret-key-0123456789",
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    from election.core.db import db

    with app.app_context():
        load_demo(db.session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def _ballot(app) -> tuple[int, int, list[str], int]:
    """The demo's 差额选举 election: its id, the open round, its candidates and seats."""
    from election.core.db import db
    from election.elections.models import Election
    from election.voting.models import BallotRound

    with app.app_context():
        election = db.session.scalar(select(Election).where(Election.title == BALLOT_TITLE))
        rnd = db.session.scalar(select(BallotRound).where(BallotRound.election_id == election.id))
        return election.id, rnd.id, list(rnd.candidates), rnd.seats


def test_demo_election_to_completed_then_elected_become_delegates_and_log(page, demo, screenshot):
    base, app = demo
    election_id, round_id, candidates, seats = _ballot(app)
    page.on("dialog", lambda dialog: dialog.accept())
    figures = {name: (100 if i < seats else 3) for i, name in enumerate(candidates)}
    elected = [n for n, v in figures.items() if v == 100]

    # the two tellers enter round 1 (112 ballots) and confirm; the office closes it and records the result
    login(page, base, "teller")
    enter_count(page, base, round_id, 1, figures, 112)
    logout(page)
    login(page, base, "teller2")
    enter_count(page, base, round_id, 2, figures, 112)
    page.get_by_role("button", name="确认计票结果").click()
    expect(page.get_by_test_id("round-status")).to_have_text("计票已确认")
    logout(page)
    login(page, base, "office")
    page.goto(f"{base}/voting/rounds/{round_id}")
    page.get_by_role("button", name="结束本轮并计算结果").click()
    page.wait_for_load_state()
    page.goto(f"{base}/elections/{election_id}/voting/results")
    page.get_by_role("button", name="录入选举结果").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("elected-names")).to_contain_text(elected[0])
    page.get_by_label("上报日期").fill(today_local().isoformat())
    page.get_by_label("上报文号").fill("区直工委〔2026〕9号")
    page.get_by_role("button", name="登记上报").click()
    page.wait_for_load_state()
    advance(page, base, election_id, "结果上报")
    advance(page, base, election_id, "已完成")
    expect(page.locator("body")).to_contain_text("已完成")

    # 转入代表名册 from the result page: the preview carries what the election knew, then the slips
    page.goto(f"{base}/elections/{election_id}/voting/results")
    page.get_by_test_id("transfer-link").click()
    expect(page.get_by_label("党代会届次")).to_have_value("区第十三次党代会")
    rows = page.get_by_test_id("transfer-row")
    expect(rows).to_have_count(len(elected))
    first = rows.first.inner_text()
    assert re.search(r"\d{4}\.\d{2}", first) and "族" in first  # 出生年月 / 入党时间, 民族 came over
    screenshot("transfer-preview")
    page.get_by_test_id("transfer-submit").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("slip")).to_have_count(len(elected))
    name = page.get_by_test_id("slip").first.locator("h2").inner_text().split("　")[1]
    username = page.get_by_test_id("slip-username").first.inner_text()
    otp = page.get_by_test_id("slip-password").first.inner_text()
    screenshot("transfer-slips")
    page.get_by_role("link", name="返回代表名册").click()
    table = page.get_by_test_id("delegate-table")
    expect(table).to_contain_text(name)
    expect(table).to_contain_text("区第十三次党代会")
    # the transfer is not offered twice: everyone is shown as already in the roll
    page.goto(f"{base}/duties/transfer/{election_id}")
    expect(page.get_by_test_id("all-transferred")).to_be_visible()
    logout(page)

    # the new delegate: the slip's one-time password, his own, then an activity
    login(page, base, username, otp)
    expect(page.get_by_role("heading", name="设置您自己的密码")).to_be_visible()
    own = "Dai-biao-Lv-zhi-2026-Qing-shan"
    page.get_by_label(re.compile("^当前密码")).fill(otp)
    page.get_by_label(re.compile("^新密码")).fill(own)
    page.get_by_label("再次输入新密码").fill(own)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".flash-success")).to_contain_text("密码已修改")
    page.goto(f"{base}/duties/activities/new")
    page.get_by_label("活动类型").select_option("inspection")
    page.get_by_label("活动日期").fill(today_local().isoformat())
    page.get_by_label("活动内容").fill("浏览器测试：新任代表的第一次视察")
    page.get_by_test_id("submit-activity").click()
    page.wait_for_load_state()
    assert "活动已登记" in page.content()
    mine = page.get_by_test_id("my-activities").locator("li", has_text="视察").first
    expect(mine).to_contain_text("待核实")
    screenshot("transfer-new-delegate-activity")
