"""Print views of every list: one A4 layout, people in 姓氏笔画 order, scoped like their pages."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from election.core.clock import utcnow
from election.directory.models import DelegateOffice
from election.duties.models import ActivityRecord, Petition, Proposal, TermDelegate

NOW = datetime(2026, 5, 1, 2, 0)
STROKE_ORDER = ("丁一", "马力", "王芳", "李娜", "欧阳明")  # the reference test list's 姓氏笔画 order
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _in_order(html: str, names) -> bool:
    positions = [html.index(n) for n in names]
    return positions == sorted(positions)


@pytest.fixture
def offices(session):
    a, b = DelegateOffice(name="打印工作室甲"), DelegateOffice(name="打印工作室乙")
    session.add_all([a, b])
    session.flush()
    return a, b


@pytest.fixture
def delegates(session, offices):
    """The five test names in office A (in reverse order of strokes), one delegate in office B."""
    people = [TermDelegate(name=name, gender="男", level="区", congress="区第十二次党代会", term_start=date(2022, 1, 1),
                           term_end=date(2026, 12, 31), electing_unit="打印单位", office_id=offices[0].id)
              for name in reversed(STROKE_ORDER)]
    people.append(TermDelegate(name="乙室代表", gender="女", level="区", congress="区第十二次党代会",
                               term_start=date(2022, 1, 1), term_end=date(2026, 12, 31), electing_unit="打印单位",
                               office_id=offices[1].id))
    session.add_all(people)
    session.flush()
    session.add_all(ActivityRecord(delegate_id=d.id, type_code="duty_reception", on=date(2026, 3, 3),
                                   place="工作室", description=f"{d.name}接待群众", status="verified",
                                   verified_at=NOW) for d in people)
    session.add(Petition(office_id=offices[0].id, delegate_id=people[0].id, resident_name="张群众",
                         resident_phone="13800000000", content="小区路灯不亮", registered_at=NOW))
    session.add(Proposal(lead_delegate_id=people[1].id, title="关于增设公交站点的提案", grounds="出行不便",
                         solution="增设站点", submitted_on=date(2026, 3, 1)))
    session.flush()
    return {d.name: d for d in people}


def test_print_delegates_in_stroke_order_grouped_by_office(client, login_as, delegates):
    login_as("office")
    html = client.get("/duties/delegates/print").get_data(as_text=True)
    assert 'data-testid="print-view"' in html and "<thead>" in html
    assert _in_order(html, STROKE_ORDER)
    assert html.index("打印工作室甲") < html.index("打印工作室乙") < html.index("乙室代表")


def test_print_duty_lists_scoped_to_the_studio_office(client, login_as, offices, delegates):
    login_as("studio", office_id=offices[0].id)
    for url in ("/duties/delegates/print", "/duties/activities/print?year=2026", "/duties/rankings/print?year=2026"):
        html = client.get(url).get_data(as_text=True)
        assert "丁一" in html and "乙室代表" not in html, url
    # another office in the query string changes nothing for a studio
    html = client.get(f"/duties/delegates/print?office={offices[1].id}").get_data(as_text=True)
    assert "乙室代表" not in html


def test_print_activities_per_delegate_in_stroke_order(client, login_as, delegates):
    login_as("office")
    html = client.get("/duties/activities/print?year=2026").get_data(as_text=True)
    assert "2026年度党代表履职活动登记表" in html
    assert _in_order(html, [f"{n}接待群众" for n in STROKE_ORDER])


def test_print_ranking_petitions_and_proposals(client, login_as, delegates):
    login_as("office")
    ranking = client.get("/duties/rankings/print?year=2026").get_data(as_text=True)
    assert 'data-testid="print-ranking"' in ranking and "丁一" in ranking
    petitions = client.get("/duties/petitions/print").get_data(as_text=True)
    assert "小区路灯不亮" in petitions and "13800000000" not in petitions  # no resident phone on paper
    proposals = client.get("/duties/proposals/print").get_data(as_text=True)
    assert "关于增设公交站点的提案" in proposals


def test_print_duty_record_own_or_office_only(client, auth, login_as, offices, delegates):
    target = delegates["丁一"]
    login_as("office")
    html = client.get(f"/duties/review/{target.id}/record?year=2026").get_data(as_text=True)
    # the 凤县 form: each part lists its verified activities by date and kind (共N次：3月3日…), not their texts
    assert "党代表履职纪实表（2026年度）" in html and "共1次：3月3日" in html and 'data-testid="record-photo"' in html
    auth.logout()
    login_as("studio", office_id=offices[1].id)
    assert client.get(f"/duties/review/{target.id}/record?year=2026").status_code == 404


def test_print_unit_list_in_stroke_order_without_id_numbers(client, auth, session, login_as, make_election, make_unit):
    from election.directory.models import ElectionUnit
    from election.nominations.models import Nominee

    election = make_election(stage="nominate", units=1)
    eu = session.query(ElectionUnit).filter_by(election_id=election.id).one()
    for i, name in enumerate(reversed(STROKE_ORDER)):
        session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender="女", ethnicity="汉族",
                            id_number=f"1101051980010100{i:02d}", birth_date=date(1980, 1, 1), category="工人",
                            position=i))
    session.flush()
    login_as("unit", unit_id=eu.unit_id)
    html = client.get(f"/units/{eu.id}/print").get_data(as_text=True)
    assert _in_order(html, STROKE_ORDER) and "110105" not in html
    assert client.get(f"/units/{eu.id}").get_data(as_text=True).count(f"/units/{eu.id}/print") == 1
    auth.logout()
    login_as("unit", unit_id=make_unit().id)
    assert client.get(f"/units/{eu.id}/print").status_code == 404
    auth.logout()
    login_as("office")
    eu.status, eu.submitted_at = "submitted", utcnow()
    session.flush()
    overview = client.get(f"/elections/{election.id}/nominations/print").get_data(as_text=True)
    assert "推荐提名情况汇总" in overview and "已提交" in overview


def test_print_voting_results_page_answers(client, login_as, make_election):
    election = make_election()
    login_as("teller")
    html = client.get(f"/elections/{election.id}/voting/results/print").get_data(as_text=True)
    assert "选举结果" in html and "还没有结束计票的轮次" in html


def test_list_pages_link_to_their_print_view(client, login_as, delegates):
    login_as("office")
    for page, target in (("/duties/delegates", "/duties/delegates/print"), ("/duties/rankings", "/duties/rankings/print"),
                         ("/duties/petitions", "/duties/petitions/print"), ("/duties/proposals", "/duties/proposals/print"),
                         ("/duties/verify", "/duties/activities/print")):
        assert target in client.get(page).get_data(as_text=True), page


def test_every_print_template_uses_the_one_print_layout():
    printed = [p for p in TEMPLATES.rglob("print_*.html")]
    assert len(printed) >= 14
    forms = {"print_record.html"}  # a one-page form (the 履职纪实表), not a list: no header row to repeat
    for path in printed:
        text = path.read_text(encoding="utf-8")
        assert text.startswith('{% extends "print/base.html" %}'), path.name
        assert path.name in forms or "<thead>" in text, path.name  # header rows repeat on every printed page


def test_print_base_has_title_and_print_rules():
    base = (TEMPLATES / "print" / "base.html").read_text(encoding="utf-8")
    assert "{% block title %}" in base and "print-title" in base
    css = (TEMPLATES.parent / "election" / "static" / "app.css").read_text(encoding="utf-8")
    assert "size:A4" in css and "break-inside:avoid" in css and "table-header-group" in css
