"""公示 that end (docs/rules.md §3.5): a published notice ends by itself once its period is over and its 反映 are
closed — in the daily run, when its last 反映 is concluded, and when the election leaves the notice's stage; the
demo leaves no notice 已发布 after its period."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from election.audit.models import AuditEntry
from election.vetting import services as svc
from election.vetting.models import Complaint, Notice
from seeds.demo import load_demo
from tests.vetting.test_notice_drafts import world  # noqa: F401  (fixture: 考察对象 chosen, stage 考察)
from tests.vetting.test_services import CONTACT, NOW, POSTED

PERIOD_END = date(2026, 3, 6)  # POSTED 2026-03-02 (Monday) + 5 working days
DAY_AFTER = date(2026, 3, 7)
LATER = datetime(2026, 3, 9, 2, 0)


@pytest.fixture
def published(session, world):  # noqa: F811
    notices = svc.create_first_notices(session, world.office, world.election.id, POSTED, CONTACT, NOW)
    for n in notices:
        svc.publish_notice(session, world.office, n.id, NOW)
    assert {n.period_end for n in notices} == {PERIOD_END}
    return notices


def _status(session, notices) -> set[str]:
    session.expire_all()
    return {session.get(Notice, n.id).status for n in notices}


def test_the_daily_run_ends_notices_whose_period_is_over(session, published):
    assert svc.end_due_notices(session, PERIOD_END, LATER) == 0  # the last day of the period is still running
    assert _status(session, published) == {"published"}
    assert svc.end_due_notices(session, DAY_AFTER, LATER) == len(published)
    assert _status(session, published) == {"ended"}
    assert {session.get(Notice, n.id).ended_at for n in published} == {LATER}
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "notice.end")).all()
    assert len(entries) == len(published) and all(e.actor_id is None and "公示期满" in e.summary for e in entries)
    assert svc.end_due_notices(session, DAY_AFTER, LATER) == 0  # once


def test_an_open_反映_keeps_its_notice_until_concluded(session, world, published):  # noqa: F811
    notice = published[0]
    complaint = Complaint(notice_id=notice.id, nominee_id=notice.people_ids[0], channel="phone",
                          received_on=date(2026, 3, 3), content="反映问题", status="registered",
                          findings="经核查，所反映问题不属实。")
    session.add(complaint)
    session.commit()
    assert svc.end_due_notices(session, DAY_AFTER, LATER) == len(published) - 1
    assert session.get(Notice, notice.id).status == "published"
    svc.conclude_complaint(session, world.office, complaint.id, "false", "不影响", LATER)
    session.expire_all()
    assert session.get(Notice, notice.id).status == "ended"  # closed with its last 反映


def test_concluding_during_the_period_does_not_end_the_notice(session, world, published):  # noqa: F811
    notice = published[0]
    complaint = Complaint(notice_id=notice.id, nominee_id=notice.people_ids[0], channel="phone",
                          received_on=date(2026, 3, 3), content="反映问题", status="registered", findings="已核查。")
    session.add(complaint)
    session.commit()
    svc.conclude_complaint(session, world.office, complaint.id, "false", "不影响", datetime(2026, 3, 4, 2, 0))
    session.expire_all()
    assert session.get(Notice, notice.id).status == "published"


def test_the_demo_leaves_no_notice_published_after_its_period(session):
    day = date(2026, 12, 4)
    assert load_demo(session, today=day) is True
    stale = session.scalars(select(Notice).where(Notice.status == "published", Notice.period_end < day)).all()
    assert stale == [], [(n.title, n.period_end) for n in stale]
    assert session.scalar(select(Notice).where(Notice.status == "ended")) is not None
