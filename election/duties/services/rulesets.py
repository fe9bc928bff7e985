"""履职规则 as stored: a rule set to and from its JSON (``DutyRuleSetVersion.data``), the rule books (the stored
versions, else the presets 盐田, 凤县, 印台), which rule set applies to an office or a level, and the two use cases
that change them: a new version in force from a date, and an assignment."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import require
from election.duties.models import LEVELS, DutyRuleSetVersion, OfficeRuleAssignment, TermDelegate
from election.duties.services.permissions import can_manage_rules
from workflow import duties as wd
from workflow.common.results import Blocker, DomainError

# 来源: docs/rules.md §6 — the 盐田 rule set applies when neither the office nor the level picks one
DEFAULT_RULESET = "yantian"


def ruleset_to_dict(rs: wd.DutyRuleSet) -> dict:
    """A rule set as JSON-able data (what ``DutyRuleSetVersion.data`` stores)."""
    def points(t: wd.ActivityType):
        return t.points if isinstance(t.points, int) else [[g, p] for g, p in t.points]

    review = None
    if rs.annual_review is not None:
        ar = rs.annual_review
        review = {"summary_due": list(ar.summary_due), "record_due": list(ar.record_due),
                  "parts": [[p.code, p.label, p.rated_by] for p in ar.parts],
                  "model_share": [ar.model_share.numerator, ar.model_share.denominator],
                  "nominations_due": list(ar.nominations_due)}
    return {
        "code": rs.code, "name": rs.name, "version_from": rs.version_from.isoformat(),
        "activity_types": [{"code": t.code, "label": t.label, "points": points(t), "yearly_cap": t.yearly_cap,
                            "group": t.group, "co_signer_code": t.co_signer_code, "note": t.note}
                           for t in rs.activity_types],
        "requirements": [{"code": r.code, "label": r.label, "min_count": r.min_count, "period": r.period.value,
                          "types": list(r.types), "group": r.group, "due": list(r.due) if r.due else None}
                         for r in rs.requirements],
        "scoring_year_start": list(rs.scoring_year_start), "publication": rs.publication.value,
        "ranked_within": list(rs.ranked_within), "annual_review": review, "notes": list(rs.notes),
    }


def ruleset_from_dict(data: dict) -> wd.DutyRuleSet:
    """The inverse of ``ruleset_to_dict``; raises ``DomainError`` (Chinese) on bad data."""
    try:
        types = tuple(wd.ActivityType(
            t["code"], t["label"], t["points"] if isinstance(t["points"], int) else tuple(map(tuple, t["points"])),
            yearly_cap=t.get("yearly_cap"), group=t.get("group", ""), co_signer_code=t.get("co_signer_code"),
            note=t.get("note", "")) for t in data["activity_types"])
        reqs = tuple(wd.Requirement(r["code"], r["label"], r["min_count"], r["period"], types=tuple(r.get("types") or ()),
                                    group=r.get("group", ""), due=tuple(r["due"]) if r.get("due") else None)
                     for r in data.get("requirements", ()))
        review = None
        if data.get("annual_review"):
            ar = data["annual_review"]
            review = wd.AnnualReview(tuple(ar["summary_due"]), tuple(ar["record_due"]),
                                     tuple(wd.ReviewPart(*p) for p in ar["parts"]),
                                     Fraction(*ar["model_share"]), tuple(ar["nominations_due"]))
        return wd.DutyRuleSet(code=data["code"], name=data["name"], version_from=date.fromisoformat(data["version_from"]),
                              activity_types=types, requirements=reqs,
                              scoring_year_start=tuple(data.get("scoring_year_start", (1, 1))),
                              publication=data.get("publication", "quarter"),
                              ranked_within=tuple(data.get("ranked_within", ("office",))), annual_review=review,
                              notes=tuple(data.get("notes", ())))
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(f"规则集数据不完整或格式错误（{exc}），请检查后重新保存", code="duties.ruleset.bad_data") from exc


def load_rulebooks(session: Session) -> dict[str, wd.RuleBook]:
    """code → RuleBook: the stored versions; the presets (盐田, 凤县, 印台) where nothing is stored yet. One query."""
    stored: dict[str, list[wd.DutyRuleSet]] = {}
    for row in session.scalars(select(DutyRuleSetVersion).order_by(DutyRuleSetVersion.code,
                                                                  DutyRuleSetVersion.version_from)):
        stored.setdefault(row.code, []).append(ruleset_from_dict(row.data))
    books = {code: wd.RuleBook.of(rs) for code, rs in wd.PRESETS.items()}
    books.update({code: wd.RuleBook(tuple(versions)) for code, versions in stored.items()})
    return books


@dataclass(frozen=True)
class RuleAssignments:
    """Which rule set applies to a delegate: the office's, else the level's, else the default."""

    by_office: dict[int, str]
    by_level: dict[str, str]
    default: str = DEFAULT_RULESET

    def code_for(self, office_id: int | None, level: str) -> str:
        if office_id is not None and office_id in self.by_office:
            return self.by_office[office_id]
        return self.by_level.get(level, self.default)


def load_assignments(session: Session) -> RuleAssignments:
    rows = session.execute(select(OfficeRuleAssignment.office_id, OfficeRuleAssignment.level,
                                  OfficeRuleAssignment.ruleset_code)).all()
    return RuleAssignments({o: c for o, lv, c in rows if o is not None}, {lv: c for o, lv, c in rows if lv is not None})


def book_for(session: Session, delegate: TermDelegate) -> wd.RuleBook:
    books = load_rulebooks(session)
    code = load_assignments(session).code_for(delegate.office_id, delegate.level)
    return books.get(code) or books[DEFAULT_RULESET]


def revised_ruleset(current: wd.DutyRuleSet, version_from: date, name: str, publication: str,
                    types: Iterable[Mapping], requirements: Iterable[Mapping]) -> wd.DutyRuleSet:
    """The new version of ``current`` the 管理员 wrote (the rule-set page or the API), in force from ``version_from``.

    Each activity type: {code, label, points (an int, or (grade, points) pairs), yearly_cap, group, co_signer_code};
    each requirement: {code, label, min_count, period, types}. A row without a code (a requirement without a period)
    is left out; a yearly requirement keeps the 截止日期 it has in ``current``. Raises ``DomainError`` (Chinese)."""
    new_types = []
    for t in types:
        code = (t.get("code") or "").strip()
        if code:
            new_types.append(wd.ActivityType(code, (t.get("label") or "").strip(), t["points"],
                                             yearly_cap=t.get("yearly_cap"), group=(t.get("group") or "").strip(),
                                             co_signer_code=(t.get("co_signer_code") or "").strip() or None))
    new_requirements = []
    for r in requirements:
        code = (r.get("code") or "").strip()
        if code and r.get("period"):
            due = next((c.due for c in current.requirements if c.code == code and c.period.value == "year"), None)
            new_requirements.append(wd.Requirement(code, (r.get("label") or "").strip(), r.get("min_count") or 1,
                                                   r["period"], types=tuple(r.get("types") or ()), due=due))
    return current.revise(version_from, name=name.strip(), activity_types=tuple(new_types),
                          requirements=tuple(new_requirements), publication=publication)


def save_ruleset_version(session: Session, actor, version: wd.DutyRuleSet, today: date, now: datetime) -> list[Blocker]:
    """A new version of a rule set, in force from its date (never before today: past scores never change)."""
    require(can_manage_rules(actor), "只有管理员可以修改履职规则。")
    with transaction(session):
        books = load_rulebooks(session)
        book = books.get(version.code)
        if book is None:
            blockers = wd.check_ruleset(version.activity_types, version.requirements)
        else:
            blockers = wd.check_new_version(book, version, today)
        if blockers:
            return blockers
        stored = set(session.scalars(select(DutyRuleSetVersion.code)))
        if book is not None and version.code not in stored:  # the preset becomes the first stored version
            for old in book.versions:
                session.add(DutyRuleSetVersion(code=old.code, name=old.name, version_from=old.version_from,
                                               data=ruleset_to_dict(old), created_by_id=actor.id, created_at=now))
        row = DutyRuleSetVersion(code=version.code, name=version.name, version_from=version.version_from,
                                 data=ruleset_to_dict(version), created_by_id=actor.id, created_at=now)
        session.add(row)
        audit(session, actor, "duties.ruleset.version", row,
              summary=f"履职规则“{version.name}”新版本自{wd.cn_date(version.version_from)}起施行",
              after=row.data, now=now)
    return []


def assign_ruleset(session: Session, actor, code: str, now: datetime, *, office_id: int | None = None,
                   level: str | None = None) -> None:
    """Select a rule set for an office, or for a level (市/区/镇)."""
    require(can_manage_rules(actor), "只有管理员可以为工作室或层级选择履职规则。")
    if (office_id is None) == (level is None):
        raise ServiceError("请选择一个党代表工作室或一个层级。")
    if level is not None and level not in LEVELS:
        raise ServiceError("层级只能是市、区或镇。")
    with transaction(session):
        if code not in load_rulebooks(session):
            raise ServiceError(f"履职规则“{code}”不存在，请从列表中选择。")
        where = OfficeRuleAssignment.office_id == office_id if office_id is not None else \
            OfficeRuleAssignment.level == level
        row = session.scalar(select(OfficeRuleAssignment).where(where))
        before = row.ruleset_code if row else None
        if row is None:
            row = OfficeRuleAssignment(office_id=office_id, level=level, ruleset_code=code)
            session.add(row)
        row.ruleset_code = code
        target = f"工作室（编号{office_id}）" if office_id is not None else f"{level}级代表"
        audit(session, actor, "duties.ruleset.assign", row, summary=f"{target}采用履职规则“{code}”",
              before={"code": before}, after={"code": code}, now=now)
