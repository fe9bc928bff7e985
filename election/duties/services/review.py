"""年度考评 (来源: docs/rules.md §6 凤县): the 个人履职总结, the rating of each part of the 履职纪实表, each unit's
模范履职党代表 list (at most 25%) and the 组织部's decision, the review page's data, and the two documents: the
履职纪实表 and the 通报."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import require
from election.duties.models import RATINGS, ActivityRecord, AnnualSummary, ModelNomination, ReviewRating, TermDelegate
from election.duties.services.activities import _types_of
from election.duties.services.permissions import (
    _get,
    _named,
    can_log_for,
    can_manage_delegates,
    can_staff_an_office,
    can_staff_office,
    can_view_duties,
    office_scope,
)
from election.duties.services.petitions import _local_day
from election.duties.services.record_form import RecordForm, record_form, render_record_form
from election.duties.services.rulesets import book_for
from workflow import duties as wd
from workflow.common.results import Blocker
from workflow.common.strokes import sort_by_name
from workflow.duties.delegate_status import DelegateStatus


def submit_summary(session: Session, actor, delegate_id: int, year: int, text: str, now: datetime) -> AnnualSummary:
    """个人履职总结 (凤县: by 12月15日); counts as the ``personal_summary`` activity where the rule set has it."""
    if not text.strip():
        raise ServiceError("请填写个人履职总结。")
    with transaction(session):
        d = _get(session, TermDelegate, delegate_id, "代表")
        require(can_log_for(actor, d), "只能提交本人或本工作室代表的履职总结。")
        row = session.scalar(select(AnnualSummary).where(AnnualSummary.delegate_id == d.id, AnnualSummary.year == year))
        if row is None:
            row = AnnualSummary(delegate_id=d.id, year=year, text=text.strip(), submitted_at=now)
            session.add(row)
            day = _local_day(now)
            if "personal_summary" in _types_of(book_for(session, d), day) and day.year == year:
                session.add(ActivityRecord(delegate_id=d.id, type_code="personal_summary", on=day, status="verified",
                                           description=f"{year}年度个人履职总结", verified_by_id=actor.id,
                                           verified_at=now, created_by_id=actor.id, created_at=now))
        else:
            row.text, row.submitted_at = text.strip(), now
        audit(session, actor, "duties.review.summary", row, summary=f"{d.name}提交{year}年度个人履职总结", now=now)
    return row


REVIEW_PARTS = wd.FENGXIAN.annual_review.parts  # 来源: docs/rules.md §6 凤县 — four parts, each rated by its body


def rate_part(session: Session, actor, delegate_id: int, year: int, part_code: str, rating: str, body: str,
              comment: str, now: datetime) -> ReviewRating:
    """Rate one part of the 履职纪实表 (by the body that part belongs to)."""
    parts = {p.code: p for p in REVIEW_PARTS}
    if part_code not in parts:
        raise ServiceError("履职纪实表没有这一部分，请从列表中选择。")
    if rating not in RATINGS:
        raise ServiceError("评定等次只能是优秀、良好、合格或不合格。")
    with transaction(session):
        require(can_staff_an_office(actor), "只能评定本工作室代表的履职纪实表。")
        # the delegate named in the form: another office's answers like a missing id
        d = _named(session, TermDelegate, delegate_id, "代表", lambda d: can_staff_office(actor, d.office_id))
        row = session.scalar(select(ReviewRating).where(ReviewRating.delegate_id == d.id, ReviewRating.year == year,
                                                       ReviewRating.part_code == part_code))
        if row is None:
            row = ReviewRating(delegate_id=d.id, year=year, part_code=part_code)
            session.add(row)
        row.rating, row.rated_by_body = rating, (body.strip() or parts[part_code].rated_by)
        row.comment, row.rated_by_id, row.rated_at = comment.strip(), actor.id, now
        audit(session, actor, "duties.review.rate", row,
              summary=f"{d.name}{year}年度“{parts[part_code].label}”评定为{rating}（{row.rated_by_body}）", now=now)
    return row


def propose_model_delegates(session: Session, actor, year: int, unit_name: str, delegate_ids: Sequence[int],
                            now: datetime) -> list[Blocker]:
    """A unit's 模范履职党代表 list: at most 25% of its serving delegates, rounded down — refused otherwise."""
    require(can_manage_delegates(actor), "只有组织部工作人员可以登记各单位的推荐名单。")
    ids = list(dict.fromkeys(delegate_ids))
    with transaction(session):
        members = {d.id: d for d in session.scalars(select(TermDelegate).where(
            TermDelegate.electing_unit == unit_name, TermDelegate.status == DelegateStatus.serving.value))}
        if not members:
            raise ServiceError(f"单位“{unit_name}”没有在任代表。")
        outside = [i for i in ids if i not in members]
        if outside:
            raise ServiceError("推荐名单中有不属于本单位或不在任的代表，请重新选择。")
        blockers = wd.check_model_nominations(len(members), len(ids))
        if blockers:
            return blockers
        existing = {n.delegate_id: n for n in session.scalars(select(ModelNomination).where(
            ModelNomination.year == year, ModelNomination.unit_name == unit_name))}
        if any(n.decision != "pending" for n in existing.values()):
            raise ServiceError("组织部已对本单位的推荐作出决定，不能再修改推荐名单。")
        for did, n in existing.items():
            if did not in ids:
                session.delete(n)
        for did in ids:
            if did not in existing:
                session.add(ModelNomination(year=year, delegate_id=did, unit_name=unit_name, proposed_by_id=actor.id,
                                            proposed_at=now))
        audit(session, actor, "duties.model.propose", object_type="duty_model_nominations", object_id=f"{year}",
              summary=f"{unit_name}推荐{year}年度模范履职党代表{len(ids)}名（在任代表{len(members)}名）",
              after={"unit": unit_name, "delegates": ids}, now=now)
    return []


def decide_model_delegate(session: Session, actor, nomination_id: int, approve: bool, now: datetime) -> ModelNomination:
    require(can_manage_delegates(actor), "由组织部决定模范履职党代表。")
    with transaction(session):
        n = _get(session, ModelNomination, nomination_id, "推荐")
        if n.decision != "pending":
            raise ServiceError("该推荐已作出决定。")
        n.decision, n.decided_by_id, n.decided_at = ("approved" if approve else "rejected"), actor.id, now
        audit(session, actor, "duties.model.decide", n,
              summary=f"{'确定' if approve else '不同意'}{n.delegate.name}为{n.year}年度模范履职党代表", now=now)
    return n


def render_duty_record(form: RecordForm) -> bytes:
    """履职纪实表 (.docx): the 凤县 form (services/record_form.py), the print view's fields. docs/rules.md §6 凤县."""
    return render_record_form(form)


def render_bulletin(year: int, names: Sequence[str], issuer: str, on: date) -> bytes:
    """通报: the 模范履职党代表 the 组织部 decided, names in 姓氏笔画 order."""
    from election.documents import gbt9704 as g
    from workflow.common.strokes import sort_names

    doc = g.OfficialDocument(title=f"关于{year}年度模范履职党代表的通报")
    doc.title(f"关于{year}年度模范履职党代表的通报")
    doc.blank()
    doc.addressee("各党（工）委，各党代表工作室")
    doc.paragraph(f"{year}年，全区广大党代表认真履行代表职责，积极参加驻室接访、视察调研、联系服务群众等活动，"
                  "涌现出一批履职尽责的先进典型。根据党代表履职积分和年度考评情况，经各单位推荐、组织部审核，"
                  f"决定对以下{len(names)}名模范履职党代表予以通报表扬（按姓氏笔画排序）：")
    ordered = sort_names(names)
    for i in range(0, len(ordered), 5):
        doc.paragraph("\u3000".join(ordered[i:i + 5]))
    doc.paragraph("希望受到通报表扬的党代表珍惜荣誉、再接再厉。广大党代表要以他们为榜样，切实发挥党代表作用。")
    doc.signature(issuer, on)
    return doc.to_bytes()


@dataclass
class ReviewBoard:
    year: int
    delegates: list[TermDelegate]
    summaries: dict[int, AnnualSummary]
    ratings: dict[tuple[int, str], ReviewRating]
    nominations: list[ModelNomination]
    units: dict[str, int] = field(default_factory=dict)  # unit → serving delegates

    def cap(self, unit: str) -> int:
        return wd.max_model_delegates(self.units.get(unit, 0))

    def cap_reason(self, unit: str) -> str | None:
        """Why the unit can propose nobody (1—3 serving delegates: ⌊25% × n⌋ = 0), told on the review page."""
        return wd.model_cap_reason(self.units.get(unit, 0))


def review_board(session: Session, actor, year: int) -> ReviewBoard:
    """Everything of the annual review page in four queries, scoped to the studio's office."""
    require(can_view_duties(actor), "您没有查看年度考评的权限。")
    q = select(TermDelegate).where(TermDelegate.status == "serving").order_by(TermDelegate.electing_unit,
                                                                            TermDelegate.id)
    scope = office_scope(actor)
    if scope is not None:
        q = q.where(TermDelegate.office_id == scope)
    # 姓氏笔画 within each unit (docs/rules.md §3.4); the units keep their order
    people = sorted(sort_by_name(session.scalars(q).unique(), lambda d: d.name), key=lambda d: d.electing_unit)
    ids = [d.id for d in people]
    summaries = {s.delegate_id: s for s in session.scalars(select(AnnualSummary).where(
        AnnualSummary.year == year, AnnualSummary.delegate_id.in_(ids)))}
    ratings = {(r.delegate_id, r.part_code): r for r in session.scalars(select(ReviewRating).where(
        ReviewRating.year == year, ReviewRating.delegate_id.in_(ids)))}
    noms = list(session.scalars(select(ModelNomination).where(ModelNomination.year == year,
                                                              ModelNomination.delegate_id.in_(ids))
                                .order_by(ModelNomination.unit_name, ModelNomination.id)).unique())
    units: dict[str, int] = {}
    for d in people:
        units[d.electing_unit] = units.get(d.electing_unit, 0) + 1
    return ReviewBoard(year, people, summaries, ratings, noms, units)


def duty_record_for(session: Session, actor, delegate_id: int, year: int) -> bytes:
    return render_record_form(record_form(session, actor, delegate_id, year))


def bulletin_for(session: Session, actor, year: int, issuer: str, on: date) -> bytes:
    require(can_manage_delegates(actor), "由组织部印发通报。")
    names = list(session.scalars(select(TermDelegate.name).join(ModelNomination,
                                                                ModelNomination.delegate_id == TermDelegate.id)
                                 .where(ModelNomination.year == year, ModelNomination.decision == "approved")))
    if not names:
        raise ServiceError(f"{year}年度还没有确定的模范履职党代表，请先作出决定。")
    return render_bulletin(year, names, issuer, on)
