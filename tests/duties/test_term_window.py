"""The delegate's page and the daily reminders owe duties only within the term (docs/rules.md §6 履职要求的起止)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from election.duties import services as svc
from election.duties.jobs import run_duty_reminders
from election.duties.models import TermDelegate
from election.notifications.models import Notification

NOW = datetime(2026, 12, 20, 2, 0)


def _delegate(session, name, start, end, user_id=None, **kw):
    d = TermDelegate(name=name, gender="女", level="区", congress="区第十三次党代会", term_start=start, term_end=end,
                     electing_unit="测试党工委", user_id=user_id, **kw)
    session.add(d)
    session.flush()
    return d


def test_page_of_a_delegate_whose_term_starts_dec_4_shows_december_only(session):
    d = _delegate(session, "王芳", date(2026, 12, 4), date(2031, 12, 3))
    st = svc.my_standing(session, d, 2026, date(2026, 12, 20))
    periods = {(r.code, r.period.start) for r in st.requirements}
    assert periods == {("monthly_duty", date(2026, 12, 1))}  # 盐田 (default): 1—11月 and the year not owed
    old = _delegate(session, "李娜", date(2021, 12, 4), date(2026, 12, 3))
    # a term that ended 12月3日: 12月 and the year are not owed, 1—11月 are
    st = svc.my_standing(session, old, 2026, date(2026, 12, 20))
    assert sorted(r.period.start.month for r in st.requirements if r.code == "monthly_duty") == list(range(1, 12))
    assert not any(r.code == "yearly_inspection" for r in st.requirements)


def test_page_after_a_status_change_stops_at_the_decision(session):
    d = _delegate(session, "张伟", date(2021, 12, 4), date(2026, 12, 3), status="suspended",
                  status_reason="transferred_out", status_issuer="中共某区委", status_doc_no="区委〔2026〕9号",
                  status_decided_on=date(2026, 5, 10))
    st = svc.my_standing(session, d, 2026, date(2026, 12, 20))
    assert max(r.period.start.month for r in st.requirements if r.code == "monthly_duty") == 4


def test_reminders_only_for_periods_owed(session, make_user):
    new, full, later = make_user("delegate"), make_user("delegate"), make_user("delegate")
    _delegate(session, "新任", date(2026, 11, 17), date(2031, 11, 16), user_id=new.id)   # 14 of 30 days
    _delegate(session, "在任", date(2021, 11, 16), date(2026, 11, 30), user_id=full.id)
    _delegate(session, "将任", date(2026, 12, 1), date(2031, 11, 30), user_id=later.id)  # term not begun
    run_duty_reminders(session, date(2026, 11, 16), NOW)
    users = set(session.scalars(select(Notification.user_id).where(Notification.kind == "duty_requirement")))
    assert users == {full.id}
