"""Issue 21's smaller duties items: the roll, the 领衔 and 联署 choices in 姓氏笔画 order; the lead never co-signs
his own proposal (refused in the use case, not offered on the page); a unit of 1—3 delegates is told why it can
propose no 模范履职党代表 (⌊25% × n⌋ = 0, docs/rules.md §6 模范履职党代表名额取整)."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from election.core.exceptions import ServiceError
from election.directory.models import DelegateOffice
from election.duties import services as svc
from election.duties.models import Proposal, TermDelegate
from workflow import duties as wd

NOW = datetime(2026, 11, 23, 2, 0)
# stroke order: 丁 (2) < 马 (3) < 王 (4) < 刘 (6) < 李, 张 (7; 李 starts with 横) < 欧阳 (8)
NAMES_SHUFFLED = ["欧阳明", "李娜", "丁一", "张伟", "王芳", "马力", "刘伟"]  # 3 in 小单位, 4 in 大单位


@pytest.fixture
def people(session):
    office = DelegateOffice(name="笔画工作室")
    session.add(office)
    session.flush()
    rows = [TermDelegate(name=n, gender="男", level="区", congress="区第十二次党代会", term_start=date(2022, 1, 1),
                         term_end=date(2026, 12, 31), electing_unit="小单位" if i < 3 else "大单位",
                         office_id=office.id) for i, n in enumerate(NAMES_SHUFFLED)]
    session.add_all(rows)
    session.flush()
    return office, {d.name: d for d in rows}


def _expected():
    from workflow.common.strokes import sort_names
    return sort_names(NAMES_SHUFFLED)


def _order(html: str, names) -> list[str]:
    return sorted(names, key=html.index)


def test_roll_in_stroke_order(client, login_as, session, people):
    assert _expected() == ["丁一", "马力", "王芳", "刘伟", "李娜", "张伟", "欧阳明"]
    login_as("admin")
    session.commit()
    html = client.get("/duties/delegates").get_data(as_text=True)
    assert _order(html, NAMES_SHUFFLED) == _expected()


def test_proposal_choices_in_stroke_order_and_lead_not_offered(client, login_as, session, people):
    office, by_name = people
    me = by_name["李娜"]
    user = login_as("delegate")
    me.user_id = user.id
    session.commit()
    html = client.get("/duties/proposals").get_data(as_text=True)
    cos = re.search(r'<select[^>]*name="cosigner_ids"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert cos, html
    offered = re.findall(r">([^<]+)</option>", cos.group(1))
    assert offered == [n for n in _expected() if n != "李娜"]  # not herself, stroke order
    assert 'data-exclude-selected-of="lead_delegate_id"' in html


def test_staff_lead_choices_in_stroke_order(client, login_as, session, people):
    office, _ = people
    login_as("studio", office_id=office.id)
    session.commit()
    html = client.get("/duties/proposals").get_data(as_text=True)
    lead = re.search(r'<select[^>]*name="lead_delegate_id"[^>]*>(.*?)</select>', html, re.DOTALL).group(1)
    assert re.findall(r">([^<]+)</option>", lead) == _expected()


def test_lead_cannot_cosign_own_proposal(session, people, make_user):
    office, by_name = people
    staff = make_user("studio", office_id=office.id)
    lead = by_name["王芳"]
    data = svc.ProposalInput(lead.id, "案由", "案据", "方案", date(2026, 3, 1), (lead.id, by_name["丁一"].id))
    with pytest.raises(ServiceError, match="领衔代表不能同时作为联署代表"):
        svc.create_proposal(session, staff, data, NOW)
    assert session.query(Proposal).count() == 0


@pytest.mark.parametrize("n,cap", [(0, 0), (1, 0), (3, 0), (4, 1), (7, 1), (8, 2)])
def test_cap_rounds_down_and_explains_zero(n, cap):
    assert wd.max_model_delegates(n) == cap
    reason = wd.model_cap_reason(n)
    assert (reason is None) is (cap > 0)
    if reason:
        assert f"在任代表{n}名" in reason and "向下取整为0名" in reason and "4名及以上" in reason


def test_review_page_tells_a_small_unit_why(client, login_as, session, people):
    login_as("admin")
    session.commit()
    html = client.get("/duties/review?year=2026").get_data(as_text=True)
    small = html[html.index("<h3>小单位"):]
    small = small[:small.index("</form>")]
    assert "在任代表3名，推荐名额按不超过25%向下取整为0名，不能推荐模范履职党代表" in small
    assert "disabled" in small and "保存推荐名单" not in small
    big = html[html.index("<h3>大单位"):]
    big = big[:big.index("</form>")]
    assert "cap-reason" not in big and "保存推荐名单" in big  # 4 delegates: 1 place
