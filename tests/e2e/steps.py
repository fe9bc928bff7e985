"""Steps the browser tests that walk an election through the pages share: the demo loaded some days back on its
own database and served, logging in and out as one demo user after another, a teller's count of a round, and
moving the election on."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from playwright.sync_api import expect
from werkzeug.serving import make_server

from election import create_app
from election.core.clock import today_local, utcnow
from election.core.migrate import upgrade
from seeds.demo import DEMO_PASSWORD, load_demo
from tests import pg


@contextmanager
def served_demo(request, tmp_path, name: str, back: timedelta) -> Iterator[tuple[str, object]]:
    """The demo loaded BACK ago (as the clerk would find it today) on its own database — SQLite or PostgreSQL by
    the fixture's param — and served on a free port; -> (base URL, app)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'demo.db'}"
    else:
        url = pg.create_database(request.getfixturevalue("pg_server"), f"election_{name}_e2e")
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": f"{name}-e2e-secret-key-0123456789",
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    from election.core.db import db

    with app.app_context():
        load_demo(db.session, today=today_local() - back, now=utcnow() - back)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


def login(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def enter_count(page, base: str, round_id: int, entry_no: int, figures: dict[str, int], present: int) -> None:
    """One teller's entry of a round counted as totals: every ballot valid, each candidate's 赞成票."""
    page.goto(f"{base}/voting/rounds/{round_id}/entry/{entry_no}")
    page.get_by_label("有效票").fill(str(present))
    page.get_by_label("无效票").fill("0")
    for name, n in figures.items():
        page.get_by_label(f"{name}赞成票").fill(str(n))
    page.get_by_role("button", name=f"保存第{entry_no}次录入").click()
    page.wait_for_load_state()


def advance(page, base: str, election_id: int, target: str,
            overdue_reason: str = "等待上级组织部门审核，按上级时间安排顺延") -> None:
    """The office moves the election into TARGET from its page; when the stage is past its due date the page asks
    for the reason, and it is given."""
    page.goto(f"{base}/elections/{election_id}")
    reason = page.locator("#overdue-reason")
    if reason.count():
        reason.fill(overdue_reason)
    page.get_by_role("button", name=f"进入“{target}”阶段").click()
    page.wait_for_load_state()
    expect(page.locator(".flash-success").first).to_be_visible()
    expect(page.get_by_test_id("stage")).to_have_text(target)
