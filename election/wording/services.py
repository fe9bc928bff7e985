"""Use cases of an election's document wording: read the page, preview a text, save it, restore the default.

Each change is one transaction with one audit entry whose before → after is the text (``body``); the default is
no stored row. Who may: ``can_edit_wording`` (election.core.permissions), checked here and by the page's buttons.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import NotFound
from election.core.permissions import can_edit_wording, require
from election.documents.wording import (
    DEFAULTS,
    PLACEHOLDERS,
    TABLE,
    WordingKind,
    check_template,
    example_values,
    normalise,
    notice_text,
    report_text,
)
from election.elections.models import Election
from election.wording.models import DocumentWording
from election.wording.store import stored_row, stored_wording

DEFAULT_MARK = "（系统默认措辞）"


def parse_kind(value: str) -> WordingKind:
    """A kind from a URL or form; an unknown one answers as missing."""
    try:
        return WordingKind(value)
    except ValueError:
        raise NotFound("没有这种公文。") from None


def _election(session: Session, election_id: int, *, lock: bool = False) -> Election:
    """The election (locked for a change: two saves of the same document wait for each other instead of both
    inserting the first row)."""
    query = select(Election).where(Election.id == election_id)
    election = session.scalars(query.with_for_update() if lock else query).first()
    if election is None:
        raise NotFound("选举不存在。")
    return election


@dataclass(frozen=True)
class WordingItem:
    kind: WordingKind
    body: str            # the text in force (the default when not changed)
    changed: bool        # the election has its own text
    updated_at: datetime | None


def wording_items(session: Session, actor, election_id: int) -> list[WordingItem]:
    """Every document kind of the election with the text in force."""
    require(can_edit_wording(actor))
    _election(session, election_id)
    rows = {r.kind: r for r in session.scalars(select(DocumentWording)
                                               .where(DocumentWording.election_id == election_id))}
    return [WordingItem(k, rows[k.value].body if k.value in rows else DEFAULTS[k], k.value in rows,
                        rows[k.value].updated_at if k.value in rows else None) for k in WordingKind]


@dataclass(frozen=True)
class Preview:
    """The text as the document will print it (paragraphs; the table and headings marked)."""

    paragraphs: tuple[str, ...]
    with_real_values: bool  # False: the document does not exist yet, placeholders shown as 〔名称〕


def _current_values(session: Session, election: Election, kind: WordingKind, today: date) -> dict[str, str] | None:
    """The values the election's document of KIND is filled with now (None: no such 公示 yet)."""
    if kind is WordingKind.report_confirmed:
        from election.voting.services.documents import confirm_report_values

        return confirm_report_values(session, election)
    from election.vetting.services.documents import wording_values

    return wording_values(session, election, kind, today)


def preview(session: Session, actor, election_id: int, kind: WordingKind, text: str, today: date) -> Preview:
    """Fill TEXT (already checked) with the election's current values, or with 〔名称〕 where there are none yet."""
    require(can_edit_wording(actor))
    election = _election(session, election_id)
    values = _current_values(session, election, kind, today)
    real = values is not None
    values = values if real else example_values(kind)
    if kind.is_notice:
        filled = notice_text(text, values)
        return Preview((*filled.before_table, "［此处为公示对象名单表格］", *filled.after_table), real)
    report = report_text(text, values)
    paragraphs = list(report.intro)
    for heading, texts, subs in report.sections:
        paragraphs += [heading, *texts]
        for sub_heading, sub_texts in subs:
            paragraphs += [sub_heading, *sub_texts]
    return Preview((*paragraphs, "［其后为结构情况表格、附件说明、署名和日期］"), real)


def save_wording(session: Session, actor, election_id: int, kind: WordingKind, text: str,
                 now: datetime) -> list[str]:
    """Store the election's text of KIND; the Chinese reasons it was refused (nothing stored) or []."""
    body = normalise(text)
    errors = check_template(kind, body)
    with transaction(session):
        require(can_edit_wording(actor))
        election = _election(session, election_id, lock=True)
        if errors:
            return errors
        row = stored_row(session, election_id, kind, lock=True)
        before = row.body if row is not None else DEFAULT_MARK
        if body == (row.body if row is not None else DEFAULTS[kind]):
            return []  # nothing changed: no entry
        if row is None:
            row = DocumentWording(election_id=election.id, kind=kind.value, body=body)
            session.add(row)
        row.body, row.updated_by_id, row.updated_at = body, getattr(actor, "id", None), now
        audit(session, actor, "wording.save", election, now=now, summary=f"修改{kind.label}的措辞",
              before={"kind": kind.label, "body": before}, after={"kind": kind.label, "body": body})
    return []


def restore_default(session: Session, actor, election_id: int, kind: WordingKind, now: datetime) -> bool:
    """Drop the election's own text of KIND (the default applies again); False when it had none."""
    with transaction(session):
        require(can_edit_wording(actor))
        election = _election(session, election_id, lock=True)
        row = stored_row(session, election_id, kind, lock=True)
        if row is None:
            return False
        audit(session, actor, "wording.reset", election, now=now, summary=f"{kind.label}恢复默认措辞",
              before={"kind": kind.label, "body": row.body}, after={"kind": kind.label, "body": DEFAULT_MARK})
        session.delete(row)
    return True


def placeholder_rows(kind: WordingKind) -> list[tuple[str, str]]:
    """(``{名称}``, what it becomes) for the page's table."""
    return [("{" + name + "}", text) for name, text in PLACEHOLDERS[kind].items()]


__all__ = [
    "DEFAULT_MARK",
    "TABLE",
    "Preview",
    "WordingItem",
    "check_template",
    "parse_kind",
    "placeholder_rows",
    "preview",
    "restore_default",
    "save_wording",
    "stored_wording",
    "wording_items",
]
