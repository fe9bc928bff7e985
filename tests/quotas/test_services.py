from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from election.directory.models import ElectionUnit
from election.elections import services as svc
from election.elections.models import ElectionDecision
from election.nominations.models import Nominee
from election.quotas.services import compliance_report, render_report_docx, render_report_xlsx
from workflow.common.idcard import make_id

RULES = [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 2},
         {"code": "leaders", "label": "领导干部", "where": {"category_in": ["领导干部"]}, "max": 1}]


@pytest.fixture
def shortlist_election(session, make_election):
    election = make_election(stage="shortlist", units=1, seats=3, quota_rules=RULES)
    eu = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)).one()

    def person(i, gender, category, step="shortlisted"):
        born = date(1980, 1, 1 + i)
        n = Nominee(election_id=election.id, election_unit_id=eu.id, name=f"测试{i}", gender=gender, ethnicity="汉族",
                    id_number=make_id("110105", born, i, gender == "男"), birth_date=born, category=category, step=step)
        session.add(n)
        return n

    people = [person(1, "女", "工人"), person(2, "男", "局级领导干部"), person(3, "男", "专业技术人员"),
              person(4, "男", "处级领导干部")]
    session.flush()
    return election, people


def test_report_answers_the_three_questions(session, shortlist_election):
    election, _ = shortlist_election
    report = compliance_report(session, election, date(2019, 4, 1))
    rows = {r.code: r for r in report.rows}
    assert report.candidates == 4 and report.step_label == "考察对象"
    assert rows["women"].actual == 1 and not rows["women"].as_is_ok and rows["women"].bound == "至少2名"
    assert rows["leaders"].actual == 2 and not rows["leaders"].as_is_ok
    assert not report.feasible and "women" in report.conflicts and report.suggestions


def test_selected_ids_judge_a_choice_out_of_the_pool(session, shortlist_election):
    election, people = shortlist_election
    report = compliance_report(session, election, date(2019, 4, 1), selected_ids=[people[0].id, people[2].id])
    assert report.candidates == 2 and {r.code: r.actual for r in report.rows} == {"women": 1, "leaders": 0}


def test_infeasible_list_blocks_leaving_the_stage(session, shortlist_election, make_user):
    election, _ = shortlist_election
    office = make_user("office")
    session.add(ElectionDecision(election_id=election.id, kind="shortlist", body="区委常委会", held_on=date(2019, 3, 1),
                                 doc_number="常委会纪要〔2019〕5号"))
    session.flush()
    decision = svc.advance_stage(session, election.id, office, datetime(2019, 3, 1), date(2019, 3, 1))
    assert "quota.infeasible" in {b.code for b in decision.blockers}


def test_reports_render_as_xlsx_and_docx(session, shortlist_election):
    election, _ = shortlist_election
    report = compliance_report(session, election, date(2019, 4, 1))
    ws = load_workbook(io.BytesIO(render_report_xlsx(report))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["女性", "至少2名", 1, "不符合"] == values[3][:4]
    doc = Document(io.BytesIO(render_report_docx(report, date(2019, 4, 1))))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "考察对象结构比例情况" in text and "2019年4月1日" in text


def test_panel_endpoint_and_downloads(client, login_as, session, shortlist_election):
    election, people = shortlist_election
    login_as("office")
    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert 'data-testid="quota-panel"' in page and "无法同时满足全部要求" in page
    fragment = client.post(f"/elections/{election.id}/quota-panel",
                           data={"nominee_ids": [str(people[0].id)], "step": "shortlisted"}).get_data(as_text=True)
    assert 'data-testid="quota-count">1<' in fragment
    # as static/quota-panel.js sends them: one dot-joined field (commas accepted too); junk ignored
    joined = f"{people[0].id}.{people[1].id},x."
    fragment = client.post(f"/elections/{election.id}/quota-panel",
                           data={"ids": joined, "step": "shortlisted"}).get_data(as_text=True)
    assert 'data-testid="quota-count">2<' in fragment
    response = client.get(f"/elections/{election.id}/compliance.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert client.get(f"/elections/{election.id}/compliance.pdf").status_code == 404
