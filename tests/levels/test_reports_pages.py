"""The 上报上级 pages: the district submits from its election's page, the upper committee decides from its queue
and the package page (documents downloadable), each page showing only what its user may do."""
from __future__ import annotations

from sqlalchemy import select

from election.core.clock import today_local
from election.levels.models import UpwardReport
from tests.conftest import TEST_PASSWORD


def _login(client, user):
    client.post("/logout")
    assert client.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302


def test_district_submits_and_upper_committee_consents_through_the_pages(client, session, levels_world):
    w = levels_world
    _login(client, w.office)
    detail = client.get(f"/elections/{w.preliminary.id}").get_data(as_text=True)
    assert 'data-testid="reports-link"' in detail and 'value="higher_consent"' not in detail
    page = client.get(f"/levels/elections/{w.preliminary.id}/reports").get_data(as_text=True)
    assert "报送初步人选" in page and "初步人选名单" in page
    r = client.post(f"/levels/elections/{w.preliminary.id}/reports",
                    data={"kind": "consent", "unit_doc_number": "区委组〔2026〕3号", "cover_note": "请审定"})
    assert r.status_code == 302
    report = session.scalar(select(UpwardReport).where(UpwardReport.election_id == w.preliminary.id))
    assert report.status == "submitted"
    page = client.get(f"/levels/elections/{w.preliminary.id}/reports").get_data(as_text=True)
    assert "正在等待上级组织部门决定" in page and "报送初步人选</button>" not in page
    assert client.get(f"/levels/reports/{report.id}").status_code == 403  # the upper committee's page

    _login(client, w.upper)
    queue = client.get(f"/levels/congresses/{w.congress.id}/reports").get_data(as_text=True)
    assert f'data-testid="queue-{report.id}"' in queue and "审核" in queue
    package = client.get(f"/levels/reports/{report.id}").get_data(as_text=True)
    assert "王芳" in package and 'data-testid="approve-button"' in package and "区委组〔2026〕3号" in package
    doc = client.get(f"/levels/reports/{report.id}/documents/preliminary-roster")
    assert doc.status_code == 200 and doc.mimetype.endswith("document")
    assert client.get(f"/levels/reports/{report.id}/documents/elected-roster").status_code == 404  # not carried
    r = client.post(f"/levels/reports/{report.id}/approve",
                    data={"decided_on": today_local().isoformat(), "doc_number": "市委组〔2026〕9号", "note": ""})
    assert r.status_code == 302
    session.expire_all()
    assert session.get(UpwardReport, report.id).status == "approved"


def test_per_person_return_through_the_page(client, session, levels_world):
    from election.levels.services import reports as svc
    from tests.levels.conftest import NOW

    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    key = report.people[0]["key"]
    _login(client, w.upper)
    client.post(f"/levels/reports/{report.id}/return", data={"reason": "", "person": [key], f"reason_{key}": "超龄"})
    session.expire_all()
    stored = session.get(UpwardReport, report.id)
    assert stored.status == "returned" and "王芳（超龄）" in stored.return_reason
    _login(client, w.office)
    page = client.get(f"/levels/elections/{w.preliminary.id}/reports").get_data(as_text=True)
    assert "王芳：超龄" in page and "报送初步人选" in page  # the next attempt is offered


def test_another_citys_upper_user_gets_404(client, session, levels_world):
    from election.levels.services import reports as svc
    from tests.levels.conftest import NOW

    w = levels_world
    report = svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW)
    _login(client, w.other_upper)
    assert client.get(f"/levels/reports/{report.id}").status_code == 404
    assert client.get(f"/levels/congresses/{w.congress.id}/reports").status_code == 404
    assert client.post(f"/levels/reports/{report.id}/approve",
                       data={"decided_on": "2026-03-25", "doc_number": "1号"}).status_code == 404


def test_queue_and_package_pages_do_not_grow_with_packages(client, session, levels_world, make_user, count_queries):
    from election.levels.services import reports as svc
    from tests.levels.conftest import NOW

    w = levels_world

    def submit_one() -> int:
        election = w.make_child("preliminary")
        office = make_user("office", organisation_id=election.organisation_id)
        session.commit()
        return svc.submit_report(session, office, election.id, "consent", "", "", NOW).id

    first = submit_one()
    _login(client, w.upper)
    counts = []
    for _ in range(2):
        with count_queries() as q:
            assert client.get(f"/levels/congresses/{w.congress.id}/reports").status_code == 200
        counts.append(q.count)
        submit_one(), submit_one()
    with count_queries() as q:
        assert client.get(f"/levels/reports/{first}").status_code == 200
    assert counts[0] == counts[1] and q.count <= 20, (counts, q.count)


def test_every_document_a_package_carries_downloads(client, session, levels_world, make_user):
    from election.levels.services import reports as svc
    from tests.levels.conftest import NOW

    w = levels_world
    result_child = w.make_child("report")
    result_office = make_user("office", organisation_id=result_child.organisation_id)
    session.commit()
    reports = [svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", NOW),
               svc.submit_report(session, w.office_b, w.confirm.id, "approval", "", "", NOW),
               svc.submit_report(session, result_office, result_child.id, "result", "", "区委〔2026〕20号", NOW)]
    _login(client, w.upper)
    for report in reports:
        for doc in report.documents:
            r = client.get(f"/levels/reports/{report.id}/documents/{doc['key']}")
            assert r.status_code == 200 and r.data[:2] == b"PK", (report.kind, doc, r.status_code)


def test_a_child_elections_results_page_sends_the_report_up_instead_of_the_hand_typed_form(client, session,
                                                                                          levels_world, make_user):
    w = levels_world
    election = w.make_child("report")
    office = make_user("office", organisation_id=election.organisation_id)
    session.commit()
    _login(client, office)
    page = client.get(f"/elections/{election.id}/voting/results").get_data(as_text=True)
    assert 'data-testid="report-up"' in page and "登记上报</button>" not in page
    detail = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert "选举结果未报送上级组织部门" in detail  # the stage guard in the levels' words
