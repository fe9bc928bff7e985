"""The audit log in Chinese: every action the code writes has a label, the page shows names, not codes."""
from __future__ import annotations

import ast
from datetime import date

from election.audit.display import describe_changes
from election.audit.labels import ACTION_LABELS
from election.audit.services import audit
from election.core.config import PROJECT_DIR


def _actions_in_code() -> set[str]:
    """The action of every audit(session, actor, ACTION, …) and audit_many(…) call; where ACTION is a parameter of
    the enclosing function (a shared helper such as _move), the constants its callers pass in that position."""
    found: set[str] = set()
    for path in [*(PROJECT_DIR / "election").rglob("*.py"), *(PROJECT_DIR / "seeds").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        forwarded: dict[str, int] = {}
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            params = [a.arg for a in fn.args.args]
            for call in ast.walk(fn):
                if isinstance(call, ast.Call) and getattr(call.func, "id", None) in ("audit", "audit_many") \
                        and len(call.args) >= 3:
                    arg = call.args[2]
                    if isinstance(arg, ast.Constant):
                        found.add(arg.value)
                    elif isinstance(arg, ast.Name) and arg.id in params:
                        forwarded[fn.name] = params.index(arg.id)
        for call in ast.walk(tree):
            name = getattr(call.func, "id", None) if isinstance(call, ast.Call) else None
            if name in forwarded and len(call.args) > forwarded[name]:
                arg = call.args[forwarded[name]]
                assert isinstance(arg, ast.Constant), f"{path}: {name} 的操作代码应为常量"
                found.add(arg.value)
    return found


def test_every_audit_action_in_the_code_has_a_chinese_label():
    actions = _actions_in_code()
    assert {"user.login", "election.advance", "election.return", "calendar.set_year"} <= actions
    assert sorted(actions - ACTION_LABELS.keys()) == []


def test_changes_read_as_before_and_after():
    assert describe_changes({"stage": "nominate"}, {"stage": "shortlist", "reason": ""}) == [
        "阶段：推荐提名 → 确定考察对象", "理由：（空）"]
    assert describe_changes(None, {"role": "unit", "zz_code": 1}) == ["角色：推荐单位经办人", "另有1项记录未列出"]


def test_audit_page_shows_labels_names_and_filters(client, session, login_as, make_election):
    admin = login_as("admin")
    election = make_election(title="审计页测试选举")
    audit(session, admin, "election.update", election, summary="改名", before={"title": "旧名"},
          after={"title": "审计页测试选举"})
    session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "修改工作方案" in page and "选举：审计页测试选举" in page and "标题：旧名 → 审计页测试选举" in page
    assert "election.update" not in page.replace('data-action="election.update"', "")
    named = client.get("/admin/audit", query_string={"object_name": "审计页测试"}).get_data(as_text=True)
    assert "共1条" in named
    today = date.today().isoformat()
    later = client.get("/admin/audit", query_string={"date_from": "2999-01-01"}).get_data(as_text=True)
    assert "共0条" in later
    bad = client.get("/admin/audit", query_string={"date_to": "2026-02-30", "date_from": today})
    assert "截止日期应为日期" in bad.get_data(as_text=True)
