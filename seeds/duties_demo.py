"""Demo data of 代表任期履职: one district's delegates in three offices, the current year's activities up to the
day the demo is loaded, under the 盐田 rules; the demo users ``delegate`` and ``studio`` are linked to them.
The term is the five years (docs/rules.md §6) that contain that day. Idempotent.

Deterministic: a fixed seed, so every run of a fresh database on the same day gives the same delegates and points.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.services import audit
from election.core.clock import today_local, utcnow
from election.core.db import transaction
from election.directory.models import DelegateOffice, Unit
from election.duties.models import ActivityRecord, OfficeRuleAssignment, Petition, TermDelegate
from seeds.directory import OFFICES

CONGRESS = "区第十二次党代会"
TERM_YEARS = 5
TERM_STARTS = (1, 10)  # the congress met on 1月10日: each term runs from 1月10日 to 1月9日 five years later
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ("建国", "丽华", "志强", "秀英", "海燕", "立新", "文博", "晓东", "春梅", "国庆", "明辉", "玉兰", "学军",
         "红霞", "振华", "桂芳", "永刚", "雪梅", "伟", "静", "勇", "敏", "磊", "洁", "军", "艳", "涛", "芳")
# 盐田 types and how often a demo delegate does them per year (weights)
TYPES = (("duty_reception", 10), ("proxy_petition", 3), ("publicity", 4), ("community_activity", 4),
         ("inspection", 1), ("motion", 1), ("inquiry", 1), ("written_opinion", 1), ("volunteering", 3),
         ("mentoring", 1), ("resolve_petition", 2), ("co_proposal", 0), ("emergency", 0))


def load_duties_demo(session: Session, today: date | None = None, now: datetime | None = None) -> bool:
    """Create the duty demo unless it is already there (looked up by the demo delegate 孙丽华's congress): the
    activities of TODAY's year up to TODAY (the local date by default)."""
    today = today or today_local()
    year = today.year
    now = now or utcnow()
    term_start = date(year - (TERM_YEARS - 1) - (today < date(year, *TERM_STARTS)), *TERM_STARTS)
    term_end = date(term_start.year + TERM_YEARS, *TERM_STARTS) - timedelta(days=1)
    if session.scalar(select(TermDelegate.id).where(TermDelegate.congress == CONGRESS).limit(1)) is not None:
        return False
    with transaction(session):
        offices = []
        for name, level, address, _code, _parent in OFFICES:
            office = session.scalar(select(DelegateOffice).where(DelegateOffice.name == name))
            if office is None:
                office = DelegateOffice(name=name, level=level, address=address)
                session.add(office)
                session.flush()
            offices.append(office)
        for office in offices:
            if session.scalar(select(OfficeRuleAssignment.id).where(OfficeRuleAssignment.office_id == office.id)) is None:
                session.add(OfficeRuleAssignment(office_id=office.id, ruleset_code="yantian"))
        units = list(session.scalars(select(Unit).order_by(Unit.id).limit(6))) or []
        unit_names = [(u.id, u.name) for u in units] or [(None, "城关街道党工委"), (None, "东城街道党工委")]
        delegate_user = session.scalar(select(User).where(User.username == "delegate"))
        rng = random.Random(20260101)
        people: list[TermDelegate] = []
        used: set[str] = set()
        for i in range(40):
            if i == 0:
                name, gender = "孙丽华", "女"
            else:
                while True:
                    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                    if name not in used and name != "孙丽华":
                        break
                gender = rng.choice("男男女")
            used.add(name)
            office = offices[0] if i < 16 else offices[1] if i < 30 else offices[2]
            unit_id, unit_name = unit_names[i % len(unit_names)]
            d = TermDelegate(
                name=name, gender=gender, birth_date=date(year - rng.randint(34, 64), rng.randint(1, 12), 1),
                ethnicity="汉族", level="区" if i % 5 else "市", congress=CONGRESS, term_start=term_start,
                term_end=term_end, electing_unit=unit_name,
                electing_unit_id=unit_id, workplace=f"{unit_name}干部", office_id=office.id,
                group_name=f"第{i % 4 + 1}代表小组", group_role="组长" if i % 10 == 0 else None,
                user_id=delegate_user.id if (i == 0 and delegate_user is not None) else None, created_at=now)
            people.append(d)
        session.add_all(people)
        session.flush()
        codes = [c for c, w in TYPES for _ in range(w)]
        acts: list[ActivityRecord] = []
        start = date(year, 1, 1)
        days = (today - start).days + 1
        for n, d in enumerate(people):
            diligence = 0.4 + (n * 37 % 60) / 60  # 0.4 … 1.4: some do much more than others
            count = int(len(codes) * diligence * days / 365) + 1
            for _ in range(count):
                code = rng.choice(codes)
                on = start + timedelta(days=rng.randrange(days))
                grade = rng.choice(("very_satisfied", "satisfied")) if code == "resolve_petition" else None
                recent = (today - on).days < 10
                status = "pending" if recent and rng.random() < 0.6 else "verified"
                acts.append(ActivityRecord(
                    delegate_id=d.id, type_code=code, on=on, place=d.office.name if d.office else "",
                    description="演示活动", grade=grade, status=status,
                    verified_at=now if status == "verified" else None, created_at=now))
            for k in range(n % 5):  # 联署提案: some reach the 9-point cap
                on = start + timedelta(days=rng.randrange(days))
                acts.append(ActivityRecord(delegate_id=d.id, type_code="lead_proposal", role="co_signer", on=on,
                                           description="联署提案（演示）", status="verified", verified_at=now,
                                           created_at=now))
        session.add_all(acts)
        session.add(Petition(office_id=offices[0].id, delegate_id=people[0].id, resident_name="李大爷",
                             resident_phone="13800000000", content="小区路灯损坏，夜间出行不便",
                             registered_at=now - timedelta(days=5)))
        audit(session, None, "seed.duties", object_type="term_delegates", object_id="",
              summary=f"载入履职演示数据：代表{len(people)}名，活动{len(acts)}条（{year}年，盐田规则）",
              after={"delegates": len(people), "activities": len(acts)}, now=now)
    return True
