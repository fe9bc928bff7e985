"""代表任期履职 pages: permissions, scoping, no 500s, query budgets."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from election.directory.models import DelegateOffice
from election.duties.models import ActivityRecord, TermDelegate

NOW = datetime(2026, 11, 1, 2, 0)


@pytest.fixture
def offices(session):
    a, b = DelegateOffice(name="页面工作室甲"), DelegateOffice(name="页面工作室乙")
    session.add_all([a, b])
    session.flush()
    return a, b


@pytest.fixture
def roster(session, offices):
    """30 delegates in office A with 10 verified activities each, 5 in office B."""
    people = []
    for i in range(35):
        people.append(TermDelegate(name=f"页面代表{i}", gender="男", level="区", congress="区第十二次党代会",
                                   term_start=date(2022, 1, 1), term_end=date(2026, 12, 31), electing_unit="单位",
                                   office_id=offices[0].id if i < 30 else offices[1].id))
    session.add_all(people)
    session.flush()
    session.add_all(ActivityRecord(delegate_id=d.id, type_code="duty_reception", on=date(2026, 1 + k, 3),
                                   status="verified" if k else "pending", verified_at=NOW if k else None)
                    for d in people for k in range(10))
    session.flush()
    return people


def test_pages_studio_every_page_answers(client, login_as, offices, roster):
    login_as("studio", office_id=offices[0].id)
    for url in ("/duties/", "/duties/verify", "/duties/rankings", "/duties/rankings.xlsx", "/duties/petitions",
                "/duties/proposals", "/duties/review", "/duties/delegates", f"/duties/delegates/{roster[0].id}",
                "/duties/activities/new", "/duties/rankings?year=abc&period=x", "/duties/rankings?period=9"):
        r = client.get(url, follow_redirects=True)
        assert r.status_code == 200, url


def test_pages_admin_rules_and_documents(client, login_as, offices, roster):
    login_as("admin")
    for url in ("/duties/rules", "/duties/rules/yantian", "/duties/rules/fengxian", "/duties/delegates/template.xlsx",
                f"/duties/review/{roster[0].id}/record.docx", "/duties/rankings?group=level:区"):
        assert client.get(url).status_code == 200, url
    assert client.get("/duties/rules/nope").status_code == 404


def test_rules_editor_refuses_non_admin(client, login_as, offices):
    login_as("studio", office_id=offices[0].id)
    assert client.get("/duties/rules").status_code == 403


def test_rules_editor_backdated_version_shows_blocker(client, login_as):
    login_as("admin")
    page = client.get("/duties/rules/yantian").get_data(as_text=True)
    assert "值班接访" in page
    data = {"name": "盐田（2026修订）", "version_from": "2020-01-01", "publication": "quarter",
            "types-0-code": "duty_reception", "types-0-label": "值班接访", "types-0-points": "6",
            "requirements-0-code": "monthly_duty", "requirements-0-label": "值班", "requirements-0-min_count": "1",
            "requirements-0-period": "month", "requirements-0-types": "duty_reception"}
    r = client.post("/duties/rules/yantian", data=data)
    assert r.status_code == 200 and 'data-code="duties.version.backdated"' in r.get_data(as_text=True)
    data["types-0-points"] = "abc"
    data["version_from"] = "2099-01-01"
    assert "格式不对" in client.post("/duties/rules/yantian", data=data).get_data(as_text=True)


def test_ranking_studio_scoped_to_own_office(client, login_as, offices, roster):
    login_as("studio", office_id=offices[0].id)
    assert client.get(f"/duties/rankings?group=office:{offices[1].id}").status_code == 403
    page = client.get("/duties/rankings?year=2026").get_data(as_text=True)
    assert "页面代表0" in page and "页面代表30" not in page and "<svg" in page
    assert "<script" not in page.split("</header>")[1]


def test_ranking_page_query_budget(client, login_as, offices, roster, count_queries):
    login_as("studio", office_id=offices[0].id)
    client.get("/duties/rankings?year=2026")
    with count_queries() as q:
        r = client.get("/duties/rankings?year=2026")
    assert r.status_code == 200
    assert q.count <= 12, q.statements


def test_verify_page_query_budget(client, login_as, offices, roster, count_queries):
    login_as("studio", office_id=offices[0].id)
    client.get("/duties/verify")
    with count_queries() as q:
        page = client.get("/duties/verify").get_data(as_text=True)
    assert page.count('data-testid="pending-') == 30 + 1  # 30 rows + the table
    assert q.count <= 10, q.statements


def test_delegate_logs_activity_and_staff_verifies(client, auth, session, make_user, offices, roster):
    user = make_user("delegate")
    roster[0].user_id = user.id
    session.flush()
    auth.login(user.username)
    png = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 32), "照片.png")
    r = client.post("/duties/activities/new", data={"type_code": "inspection", "on": "2026-10-30", "place": "社区",
                                                    "description": "视察调研", "files": png},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    bad = client.post("/duties/activities/new", data={"type_code": "inspection", "on": "", "description": ""})
    assert bad.status_code == 200 and "请填写活动日期" in bad.get_data(as_text=True)
    rec = session.query(ActivityRecord).filter_by(type_code="inspection").one()
    auth.logout()
    auth.login(make_user("studio", office_id=offices[0].id).username)
    assert client.post(f"/duties/activities/{rec.id}/review", data={"action": "verify"}).status_code == 302
    assert rec.status == "verified"
    auth.logout()
    auth.login(user.username)
    page = client.get("/duties/me?year=2026").get_data(as_text=True)
    assert "视察调研：1项，计10分" in page


def test_delegate_cannot_open_staff_pages(client, login_as, offices):
    login_as("delegate")
    for url in ("/duties/verify", "/duties/rankings", "/duties/petitions", "/duties/delegates"):
        assert client.get(url).status_code == 403, url


def test_import_page_lists_errors(client, login_as):
    from openpyxl import Workbook

    login_as("admin")
    wb = Workbook()
    wb.active.append(["姓名", "性别", "层级", "党代会届次", "任期开始", "任期结束", "选举单位"])
    wb.active.append(["王芳", "女", "省", "区第十二次党代会", "2022-01-01", "2026-12-31", "单位"])
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post("/duties/delegates/import", data={"file": (io.BytesIO(buf.getvalue()), "名册.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "第2行“层级”：层级应填写市、区或镇" in r.get_data(as_text=True)


def test_petition_pages_move_with_blockers(client, login_as, offices):
    login_as("studio", office_id=offices[0].id)
    r = client.post("/duties/petitions", data={"office_id": offices[0].id, "delegate_id": 0, "resident_name": "居民",
                                               "content": "反映问题"})
    assert r.status_code == 302
    url = r.headers["Location"]
    pid = int(url.rstrip("/").split("/")[-1])
    r = client.post(f"/duties/petitions/{pid}/move", data={"target": "received", "receiver": ""},
                    follow_redirects=True)
    assert "请填写接待人" in r.get_data(as_text=True)
    r = client.post(f"/duties/petitions/{pid}/move", data={"target": "received", "receiver": "周强"},
                    follow_redirects=True)
    assert "已进入“接待”" in r.get_data(as_text=True)


def test_ranking_table_in_pages_ranks_from_the_whole_group(client, login_as, offices, roster, monkeypatch):
    monkeypatch.setattr("election.duties.views.rankings.RANKING_PAGE_SIZE", 12)
    login_as("studio", office_id=offices[0].id)
    client.get("/help/")  # the welcome message
    first = client.get("/duties/rankings?year=2026").get_data(as_text=True)
    assert first.count('data-testid="rank-') == 12 and "共30人，第1/3页" in first and "下一页" in first
    last = client.get("/duties/rankings?year=2026&page=99").get_data(as_text=True)  # past the end: the last page
    assert last.count('data-testid="rank-') == 6 and "第3/3页" in last and "上一页" in last and "下一页" not in last
    # all 30 have the same points: everyone is 第1名（并列）, whichever page shows them
    assert "第1名（并列）" in last
    shown = set()
    for page in (1, 2, 3):
        html = client.get(f"/duties/rankings?year=2026&page={page}").get_data(as_text=True)
        shown |= {part.split('"')[0] for part in html.split('data-testid="rank-')[1:]}
    assert len(shown) == 30


def test_duty_record_download_is_named_after_the_delegate(client, login_as, offices, roster):
    login_as("admin")
    response = client.get(f"/duties/review/{roster[0].id}/record.docx?year=2026")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    from urllib.parse import quote
    assert f"filename*=UTF-8''{quote(roster[0].name + '2026年度履职纪实表_')}" in disposition
