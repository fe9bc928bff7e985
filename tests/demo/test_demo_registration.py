"""The demo's nominees carry realistic 登记表 details (出生地, 健康状况, 专业技术职务, 简历, 奖惩情况) within the
limits an upload would accept."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from election.elections.models import Election
from election.nominations.columns import COLUMN_BY_FIELD, REGISTRATION_FIELDS
from election.nominations.models import Nominee
from seeds.demo import load_demo

DAY = date(2026, 12, 4)


def test_demo_nominees_have_registration_details_within_the_upload_limits(session):
    assert load_demo(session, today=DAY) is True
    election = session.scalar(select(Election).where(Election.title == "某区出席市第十二次党代会代表选举"))
    people = session.scalars(select(Nominee).where(Nominee.election_id == election.id)).all()
    assert people and all(p.resume and p.health and p.birthplace and p.rewards for p in people)
    assert any(p.professional_title for p in people) and any("—今 " in p.resume for p in people)
    for p in people:
        for field in REGISTRATION_FIELDS:
            column, value = COLUMN_BY_FIELD[field], getattr(p, field)
            assert len(value.replace("\n", "")) <= column.max_length, (p.name, field)
            assert "\n" not in value or column.multiline
        lines = p.resume.split("\n")
        assert 2 <= len(lines) <= COLUMN_BY_FIELD["resume"].max_lines
        assert lines[-1].endswith(p.workplace_title)
