"""Steps the browser tests that walk an election through the pages share: logging in and out as one demo user
after another, a teller's count of a round, and moving the election on."""
from __future__ import annotations

from playwright.sync_api import expect

from seeds.demo import DEMO_PASSWORD


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
