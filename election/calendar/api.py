"""The holiday table (节假日设置) over the API, as the admin's page has it: read a year's 放假日期 and 调休上班日期,
set them by hand, or read the 国务院办公厅's yearly notice (识别: the days it arranges, nothing stored) and save it
(确认保存). Each write calls the same use case as the page (election.calendar.services): one transaction, one audit
entry; the year then overrides the bundled calendar."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from election.api import DATE, B, I, S, arr, component, endpoint, obj, parse_date, tag, user, validation
from election.calendar.models import CalendarDay
from election.calendar.services import import_holiday_notice, read_holiday_notice, set_calendar_year
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role

TAG = tag("节假日设置", "管理员设置某年的放假日期和调休上班日期（逐日录入，或识别国务院办公厅的节假日安排通知）")
ADMIN = (Role.admin,)  # = election.core.permissions.can_manage_users, as the page (require_role(Role.admin))
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the page's 年份 field (election.admin.forms.HolidayForm)
DAYS = arr(DATE(), maxItems=366)


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


YEAR_EXAMPLE = {"year": 2027, "overridden": True,
                "holidays": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-10-01", "2027-10-02"],
                "workdays": ["2027-02-14", "2027-09-26"]}
YEAR_DAYS = component("CalendarYear", _example(obj({
    "year": I("年份"), "overridden": B("true = 该年已由管理员设置（工作日以此为准）；false = 使用系统内置的日历"),
    "holidays": {**DAYS, "description": "放假日期（按日期排列）"},
    "workdays": {**DAYS, "description": "调休上班日期（周六或周日，按日期排列）"},
}, description="一年的节假日设置"), YEAR_EXAMPLE))
YEAR_IN = _example(obj({
    "holidays": {**DAYS, "description": "放假日期，每项一天（如 2027-10-01）；均须属于该年"},
    "workdays": {**DAYS, "description": "调休上班日期，每项一天，须为周六或周日；均须属于该年"},
}, description="该年完整的设置：替换该年原有的全部日期"),
    {"holidays": ["2027-01-01", "2027-10-01", "2027-10-02"], "workdays": ["2027-09-26"]})
NOTICE_TEXT = ("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
               "三、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。")
NOTICE_IN = _example(obj({
    "text": S("通知全文（国务院办公厅关于××××年部分节假日安排的通知）", minLength=1, maxLength=20000),
    "save": B("false（默认）= 只识别，返回通知安排的日期，不保存；true = 保存为该年的节假日设置"),
}, required=["text"], description="粘贴的通知全文"), {"text": NOTICE_TEXT, "save": False}, {"text": NOTICE_TEXT, "save": True})
NOTICE = component("HolidayNotice", _example(obj({
    "year": I("通知所属年份"), "saved": B("true = 已保存为该年的节假日设置"),
    "holidays": {**DAYS, "description": "通知安排的放假日期（含上一年年末的周末）"},
    "workdays": {**DAYS, "description": "通知安排的调休上班日期"},
    "lines": arr(S(), "逐日说明，如“2027-09-26 上班”（按日期排列）"),
}, description="通知安排的日期"), {
    "year": 2027, "saved": False, "holidays": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-10-01"],
    "workdays": ["2027-09-26", "2027-10-09"], "lines": ["2027-01-01 放假", "2027-09-26 上班"]}))


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise validation("年份有误，请按说明修改。",
                         [{"field": "year", "message": f"年份应在{FIRST_YEAR}至{LAST_YEAR}之间，现为{year}"}])
    return year


def year_json(year: int) -> dict:
    rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind).where(CalendarDay.year == year)
                              .order_by(CalendarDay.day)).all()
    return {"year": year, "overridden": bool(rows), "holidays": [r.day for r in rows if r.kind == "holiday"],
            "workdays": [r.day for r in rows if r.kind == "workday"]}


def _days(values: list[str], field: str, label: str) -> list[date]:
    return [parse_date(text, f"{field}[{i}]", label) for i, text in enumerate(values)]


@endpoint("GET", "/calendar/<int:year>", summary="某年的节假日设置", tag=TAG, response=YEAR_DAYS, roles=ADMIN,
          errors=(422,), description="与“节假日设置”页面相同：管理员为该年录入的放假日期和调休上班日期。"
                                     "该年未设置时 overridden 为 false，工作日按系统内置的日历计算。")
def get_calendar_year(year: int, args):
    return year_json(_year(year))


@endpoint("PUT", "/calendar/<int:year>", summary="设置某年的节假日", tag=TAG, response=YEAR_DAYS, roles=ADMIN,
          body=YEAR_IN, description="与“节假日设置”页面的逐日录入同一用例：以提交的放假日期和调休上班日期替换该年"
                                    "原有的全部设置，此后该年的工作日以此为准。日期均须属于该年，调休上班日须为周六"
                                    "或周日，同一天不能既放假又上班（逐项写在错误的 details 中）。记一条审计记录。")
def set_calendar(year: int, args, body):
    year = _year(year)
    holidays = _days(body["holidays"], "holidays", "放假日期")
    workdays = _days(body["workdays"], "workdays", "调休上班日期")
    set_calendar_year(db.session, user(), year, holidays, workdays, utcnow())
    return year_json(year)


@endpoint("POST", "/calendar/notice", summary="识别（并保存）国务院办公厅节假日安排通知", tag=TAG, response=NOTICE,
          roles=ADMIN, body=NOTICE_IN,
          description="与“节假日设置”页面的“识别 / 确认保存”同一用例：save 为 false（默认）时只识别通知安排的日期，"
                      "不保存；为 true 时保存为通知所属年份的节假日设置（替换该年原有的设置，记一条审计记录）。"
                      "通知中无法识别或前后矛盾之处逐项写在错误的 details 中，此时不保存任何日期。")
def holiday_notice(args, body):
    save = bool(body.get("save", False))
    if save:
        notice = import_holiday_notice(db.session, user(), body["text"], utcnow())
    else:
        notice = read_holiday_notice(body["text"])
    return {"year": notice.year, "saved": save, "holidays": list(notice.holidays), "workdays": list(notice.workdays),
            "lines": notice.lines()}
