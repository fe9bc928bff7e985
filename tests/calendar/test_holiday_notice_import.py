"""Importing the State Council's holiday notice: the service, `election holidays import FILE [--dry-run]` and the
admin page (识别 → calendar → 确认保存). Every refusal stores nothing."""
from __future__ import annotations

from datetime import date, datetime

from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.calendar.models import CalendarDay
from election.calendar.services import import_holiday_notice, load_calendar
from election.cli import cli

NOW = datetime(2026, 11, 20, 9, 0)
# a notice for a year the bundled calendar does not cover (the form of the published ones; dates made up)
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月7日补休。2月14日（周日）上班。
三、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
国务院办公厅
2026年11月10日
"""


def _days(session):
    return {(d.day, d.kind) for d in session.scalars(select(CalendarDay))}


def test_service_stores_the_year_and_the_calendar_counts_by_it(session, make_user):
    admin = make_user("admin")
    notice = import_holiday_notice(session, admin, NOTICE_2027, NOW)
    assert notice.year == 2027
    stored = _days(session)
    assert (date(2027, 2, 14), "workday") in stored and (date(2027, 10, 7), "holiday") in stored
    assert len([k for _, k in stored if k == "holiday"]) == 17 and len([k for _, k in stored if k == "workday"]) == 3
    cal = load_calendar(session)
    assert cal.is_working_day(date(2027, 10, 9)) and not cal.is_working_day(date(2027, 10, 7))
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.action == "calendar.import_notice" and "2027年节假日17天、调休上班日3天" in entry.summary


def test_a_second_import_replaces_the_year(session, make_user):
    admin = make_user("admin")
    import_holiday_notice(session, admin, NOTICE_2027, NOW)
    import_holiday_notice(session, admin, "2027年部分节假日安排\n一、元旦：1月1日（周五）放假。", NOW)
    assert _days(session) == {(date(2027, 1, 1), "holiday")}


def _cli(app, *args, input=None):
    return CliRunner().invoke(cli, ["holidays", "import", *args], obj=ScriptInfo(create_app=lambda: app), input=input)


def test_cli_prints_one_line_per_day_and_stores(app, session, tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    result = _cli(app, str(path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == ["2027-01-01 放假", "2027-01-02 放假", "2027-01-03 放假", "2027-02-05 放假"]
    assert "2027-02-14 上班" in lines and lines == sorted(lines) and len(lines) == 20
    assert len(_days(session)) == 20
    assert session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first().actor_name == "系统"


def test_cli_dry_run_prints_the_same_and_stores_nothing(app, session, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    result = _cli(app, "--dry-run", str(path))
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 20
    assert _days(session) == set() and session.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_cli_refuses_an_unreadable_text_with_exit_2(app, session, tmp_path):
    path = tmp_path / "wrong.txt"
    path.write_text(NOTICE_2027.replace("2月14日（周日）", "2月14日（周六）"), encoding="utf-8")
    result = _cli(app, str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert "第二项“春节”：2月14日是星期日，通知写的是“周六”" in result.stderr
    path.write_text("各省、自治区、直辖市人民政府：2027年部分节假日安排如下。", encoding="utf-8")
    assert "没有读到任何放假或上班安排" in _cli(app, "--dry-run", str(path)).stderr
    path.write_bytes("一、元旦：1月1日放假。".encode("gbk"))
    assert _cli(app, str(path)).exit_code == 2
    assert _days(session) == set()


def test_cli_reads_standard_input(app, session):
    result = _cli(app, "--dry-run", "-", input=NOTICE_2027)
    assert result.exit_code == 0 and result.stdout.startswith("2027-01-01 放假\n")


def test_a_weekday_off_of_another_year_is_refused(session, make_user):
    import pytest

    from election.core.exceptions import ServiceError

    text = "2027年部分节假日安排\n一、元旦：2026年12月31日（周四）至2027年1月1日（周五）放假。"
    with pytest.raises(ServiceError, match="2026-12-31不属于2027年"):
        import_holiday_notice(session, make_user("admin"), text, NOW)
    assert _days(session) == set()


def test_admin_page_reads_shows_and_saves(client, session, login_as):
    login_as("admin")
    preview = client.post("/admin/holidays/notice", data={"text": NOTICE_2027, "action": "preview"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "2027年：放假17天，调休上班3天" in page
    assert "2027年2月" in page and "确认保存" in page and _days(session) == set()
    saved = client.post("/admin/holidays/notice", data={"text": NOTICE_2027, "action": "save"})
    assert saved.status_code == 302
    assert len(_days(session)) == 20
    assert "已按通知保存2027年的节假日设置" in client.get("/admin/holidays").get_data(as_text=True)


def test_admin_page_names_every_problem(client, session, login_as):
    login_as("admin")
    bad = NOTICE_2027.replace("1月1日（周五）", "1月1日（周一）").replace("2月14日（周日）上班", "2月14日（周日）")
    response = client.post("/admin/holidays/notice", data={"text": bad, "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第一项“元旦”：1月1日是星期五，通知写的是“周一”" in page and "看不出2月14日是放假还是上班" in page
    assert _days(session) == set()


def test_only_the_admin_imports(client, login_as):
    login_as("office")
    assert client.post("/admin/holidays/notice", data={"text": NOTICE_2027, "action": "save"}).status_code == 403
