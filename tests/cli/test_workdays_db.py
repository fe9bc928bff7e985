"""`election workdays` reads the admin's holiday table when the app's database has one."""
from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from flask.cli import ScriptInfo

from election.calendar.services import set_calendar_year
from election.cli import cli


def test_workdays_uses_admin_entered_year(app, session, make_user):
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    missing = runner.invoke(cli, ["workdays", "2027-10-08", "2"], obj=info)
    assert missing.exit_code == 2 and "2027" in missing.output
    admin = make_user("admin")
    holidays = [date(2027, 10, d) for d in range(1, 8)]
    set_calendar_year(session, admin, 2027, holidays, [date(2027, 10, 9)])
    result = runner.invoke(cli, ["workdays", "2027-10-07", "2"], obj=info)
    assert result.exit_code == 0
    assert result.output.split() == ["2027-10-08", "2027-10-09"]  # 10-09 is a Saturday made a working day
