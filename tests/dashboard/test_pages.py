"""Dashboards, print views, help pages and the lenient date field."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from election.core.clock import today_local, utcnow


def _nominee(session, election, eu, name, **kw):
    from election.nominations.models import Nominee

    n = Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender=kw.pop("gender", "女"),
                ethnicity="汉族", id_number=kw.pop("id_number", "110105198001010018"), birth_date=date(1980, 1, 1),
                category=kw.pop("category", "工人"), **kw)
    session.add(n)
    return n


def _election(session, make_election, units=3, submitted=1):
    from election.directory.models import ElectionUnit
    from election.elections.models import StageDue

    election = make_election(stage="nominate", units=units,
                             quota_rules=[{"code": "women", "label": "妇女", "where": {"gender": "女"}, "min": 1}])
    eus = session.query(ElectionUnit).filter_by(election_id=election.id).order_by(ElectionUnit.id).all()
    for i, eu in enumerate(eus):
        if i < submitted:
            eu.status, eu.submitted_at = "submitted", utcnow()
        _nominee(session, election, eu, f"王{i}", id_number=f"1101051980010100{i:02d}")
    session.add(StageDue(election_id=election.id, stage="nominate", due_date=today_local() - timedelta(days=3)))
    session.flush()
    return election


def test_dashboard_office_shows_charts_with_tables(client, session, login_as, make_election):
    election = _election(session, make_election, units=3, submitted=1)
    login_as("office")
    html = client.get("/").get_data(as_text=True)
    for testid in ("elections", "election-panel", "timeline-chart", "timeline-table", "units-chart", "units-table",
                   "quota-chart", "quota-table", "open-items", "deadline"):
        assert f'data-testid="{testid}"' in html, testid
    assert election.title in html
    assert "<svg" in html and 'role="img"' in html and "<title>推荐单位报送情况：共3个单位</title>" in html
    assert "还有2个单位未提交推荐名单" in html and "逾期" in html            # due 3 days ago
    assert "已逾期3天" in html


def test_dashboard_office_query_budget_does_not_grow_with_units(client, session, login_as, make_election,
                                                                count_queries):
    login_as("office")
    _election(session, make_election, units=2, submitted=1)
    with count_queries() as small:
        assert client.get("/").status_code == 200
    _election(session, make_election, units=12, submitted=5)
    with count_queries() as big:
        assert client.get("/").status_code == 200
    assert big.count == small.count, big.statements     # one panel: neither more units nor more elections cost
    html = client.get("/").get_data(as_text=True)
    assert 'aria-label="进行中的选举"' in html


def test_dashboard_unit_shows_its_one_task_and_deadline(client, session, login_as, make_election):
    from election.directory.models import ElectionUnit

    election = _election(session, make_election, units=2, submitted=1)
    draft = session.query(ElectionUnit).filter_by(election_id=election.id, status="draft").first()
    login_as("unit", unit_id=draft.unit_id)
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="unit-tasks"' in html and 'data-testid="unit-current-task"' in html
    assert 'data-testid="unit-deadline"' in html and "已逾期3天" in html
    assert "提交后本单位名单将锁定，需选举办退回方可修改" in html


def test_dashboard_unit_submitted_has_nothing_to_do(client, session, login_as, make_election):
    from election.directory.models import ElectionUnit

    election = _election(session, make_election, units=2, submitted=1)
    done = session.query(ElectionUnit).filter_by(election_id=election.id, status="submitted").first()
    login_as("unit", unit_id=done.unit_id)
    html = client.get("/").get_data(as_text=True)
    assert "当前没有需要您办理的事项" in html and 'data-testid="unit-deadline"' not in html


@pytest.mark.parametrize("role", ["delegate", "auditor", "inspector"])
def test_dashboard_other_roles_render(client, login_as, role):
    login_as(role)
    response = client.get("/")
    assert response.status_code == 200 and "工作台" in response.get_data(as_text=True)


def test_dashboard_notifications_still_work(client, login_as):
    login_as("office")
    assert client.get("/notifications").status_code == 200
    assert client.post("/notifications/read").status_code == 302


def test_print_people_in_stroke_order_without_id_numbers(client, session, login_as, make_election):
    from election.directory.models import ElectionUnit

    election = make_election(stage="nominate", units=1)
    eu = session.query(ElectionUnit).filter_by(election_id=election.id).one()
    eu.status, eu.submitted_at = "submitted", utcnow()
    for i, name in enumerate(["欧阳明", "王芳", "丁一", "马力"]):
        _nominee(session, election, eu, name, id_number=f"1101051980010100{i:02d}")
    session.flush()
    login_as("office")
    html = client.get(f"/print/elections/{election.id}/people").get_data(as_text=True)
    positions = [html.index(n) for n in ("丁一", "马力", "王芳", "欧阳明")]
    assert positions == sorted(positions)
    assert "110105" not in html and 'data-testid="print-view"' in html


def test_print_units_and_compliance_pages(client, session, login_as, make_election, count_queries):
    election = _election(session, make_election, units=3, submitted=1)
    login_as("inspector")
    with count_queries() as q:
        assert client.get(f"/print/elections/{election.id}/units").status_code == 200
    assert q.count <= 8
    html = client.get(f"/print/elections/{election.id}/compliance").get_data(as_text=True)
    assert "结构比例情况" in html and "妇女" in html
    assert client.get(f"/print/elections/{election.id}/compliance?step=bogus").status_code == 404
    assert client.get("/print/elections/99999/units").status_code == 404


def test_print_pages_closed_to_units(client, login_as, make_unit, make_election):
    election = make_election()
    login_as("unit", unit_id=make_unit().id)
    assert client.get(f"/print/elections/{election.id}/people").status_code == 403


def test_print_stylesheet_keeps_rows_whole_and_repeats_headers():
    from election.core.config import PROJECT_DIR

    css = (PROJECT_DIR / "election" / "static" / "app.css").read_text(encoding="utf-8")
    assert "@page" in css and "size:A4" in css
    assert "tr { break-inside:avoid; }" in css and "display:table-header-group" in css


def test_help_pages_render_markdown_with_chapters(client, login_as):
    html = client.get("/help/").get_data(as_text=True)
    assert "<table>" in html and "快速开始" in html and "/help/01-quickstart" in html
    chapter = client.get("/help/01-quickstart").get_data(as_text=True)
    assert "<h1" in chapter and "/help/images/login.png" in chapter
    assert client.get("/help/../config").status_code == 404
    assert client.get("/help/nope").status_code == 404
    login_as("office")
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="help-link"' in page and 'class="skip-link" href="#main"' in page and 'id="main"' in page


@pytest.mark.parametrize("typed, expected", [("1975.3", date(1975, 3, 1)), ("1975年3月", date(1975, 3, 1)),
                                             ("1975-03-02", date(1975, 3, 2)), ("", None)])
def test_lenient_date_field_accepts_usual_forms(app, typed, expected):
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    from election.core.fields import DateField

    class F(FlaskForm):
        born = DateField("出生年月")

    with app.test_request_context(method="POST"):
        form = F(formdata=MultiDict({"born": typed}))
        assert form.validate()
        assert form.born.data == expected


@pytest.mark.parametrize("typed, message", [("1975.13", "月份应为1～12"), ("1975", "请补上月份"), ("abc", "无法识别")])
def test_lenient_date_field_errors_in_chinese_keep_the_text(app, typed, message):
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    from election.core.fields import DateField

    class F(FlaskForm):
        born = DateField("出生年月")

    with app.test_request_context(method="POST"):
        form = F(formdata=MultiDict({"born": typed}))
        assert not form.validate()
        assert message in form.born.errors[0]
        assert f'value="{typed}"' in str(form.born())


def test_lenient_date_field_require_day(app):
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    from election.core.fields import DateField

    class F(FlaskForm):
        day = DateField("日期", require_day=True)

    with app.test_request_context(method="POST"):
        form = F(formdata=MultiDict({"day": "2019.3"}))
        assert not form.validate() and "缺少日" in form.day.errors[0]
