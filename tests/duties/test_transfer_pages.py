"""「转入代表名册」 pages: reached from the result page, the preview with the details, the slips once, nothing twice,
the refusal shown, other roles refused; the roll's bulk 工作室/代表小组 form."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from election.accounts.models import User
from election.directory.models import DelegateOffice
from election.duties.models import TermDelegate
from election.voting.models import Delegate
from tests.duties.test_transfer import elected_fixture  # noqa: F401 - the fixture `elected`


def test_result_page_links_and_preview_shows_details(client, login_as, elected):
    e = elected()
    login_as("office")
    assert f"/duties/transfer/{e.id}" in client.get(f"/elections/{e.id}/voting/results").get_data(as_text=True)
    page = client.get(f"/duties/transfer/{e.id}").get_data(as_text=True)
    for text in ("区第十三次党代会", "山西太原", "回族", "1998.07", "王芳所在局局长", "处级领导干部", "创建登录账号"):
        assert text in page, text


def test_transfer_shows_slips_once_then_already_transferred(client, login_as, session, elected):
    e = elected()
    office = DelegateOffice(name="页面转入工作室")
    session.add(office)
    session.flush()
    login_as("office")
    ids = {d.name: d.id for d in session.scalars(select(Delegate).where(Delegate.election_id == e.id))}
    data = {"congress": "区第十三次党代会", "term_start": "2026-12-01", "years": "5",
            f"login-{ids['王芳']}": "1", f"username-{ids['王芳']}": "wangfang88", f"office-{ids['王芳']}": str(office.id),
            f"login-{ids['李强']}": "1"}
    r = client.post(f"/duties/transfer/{e.id}", data=data)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "代表账号通知单" in page and page.count('data-testid="slip"') == 2
    assert "wangfang88" in page and "返回代表名册" in page
    password = re.search(r'data-testid="slip-password"><strong>([^<]+)<', page).group(1)
    wang = session.scalar(select(TermDelegate).where(TermDelegate.name == "王芳"))
    user = session.get(User, wang.user_id)
    assert wang.office_id == office.id and user.check_password(password) and user.role == "delegate"
    detail = client.get(f"/duties/delegates/{wang.id}").get_data(as_text=True)
    for text in ("山西太原", "1998.07", "1996.08", "大学", "处级领导干部", "区直机关出席区第十三次党代会代表选举"):
        assert text in detail, text
    assert session.scalar(select(TermDelegate.user_id).where(TermDelegate.name == "丁一")) is None
    again = client.post(f"/duties/transfer/{e.id}", data=data)
    assert again.status_code == 422 and "已转入代表名册（3名）" in again.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 3
    page = client.get(f"/duties/transfer/{e.id}").get_data(as_text=True)
    assert page.count('data-testid="already"') == 3 and "均已转入" in page


def test_refused_level_shown_and_post_refused(client, login_as, session, elected):
    e = elected(title="某区出席省第十三次党代会代表选举")
    login_as("office")
    page = client.get(f"/duties/transfer/{e.id}").get_data(as_text=True)
    assert "省级以上党代会" in page and 'data-testid="transfer-submit"' not in page
    r = client.post(f"/duties/transfer/{e.id}", data={"term_start": "2026-12-01", "years": "5"})
    assert r.status_code == 422 and "省级以上党代会" in r.get_data(as_text=True)
    bad = client.post(f"/duties/transfer/{e.id}", data={"term_start": "", "years": "50"})
    assert bad.status_code == 422 and "任期年数应为1至10年" in bad.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 0


def test_other_roles_refused_missing_election_404(client, login_as, auth, elected, session):
    e = elected()
    for role in ("auditor", "delegate", "inspector", "teller"):
        login_as(role)
        assert client.get(f"/duties/transfer/{e.id}").status_code == 403
        assert client.post(f"/duties/transfer/{e.id}", data={"term_start": "2026-12-01"}).status_code == 403
        auth.logout()
    login_as("admin")
    assert client.get("/duties/transfer/999999").status_code == 404
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 0


def test_bulk_assignment_form(client, login_as, auth, session, elected):
    e = elected()
    office = DelegateOffice(name="批量分配工作室")
    session.add(office)
    session.flush()
    login_as("office")
    client.post(f"/duties/transfer/{e.id}", data={"term_start": "2026-12-01", "years": "5"})
    rows = list(session.scalars(select(TermDelegate).order_by(TermDelegate.id)))
    page = client.get("/duties/delegates").get_data(as_text=True)
    assert 'data-testid="assign-form"' in page and "批量分配工作室" in page
    r = client.post("/duties/delegates/assign", data={"delegate_id": [str(rows[0].id), str(rows[1].id)],
                                                      "office_id": str(office.id), "group_name": "第二小组",
                                                      "leader_id": str(rows[1].id)})
    assert r.status_code == 302
    assert [(d.office_id, d.group_name, d.group_role) for d in rows] == [
        (office.id, "第二小组", None), (office.id, "第二小组", "组长"), (None, "", None)]
    r = client.post("/duties/delegates/assign", data={"office_id": "keep", "group_name": "x"}, follow_redirects=True)
    assert "请勾选要分配的代表" in r.get_data(as_text=True)
    auth.logout()
    login_as("studio", office_id=office.id)
    assert client.post("/duties/delegates/assign", data={"delegate_id": str(rows[2].id),
                                                         "office_id": str(office.id)}).status_code == 403
    assert rows[2].office_id is None
