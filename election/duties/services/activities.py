"""履职活动: the attachments a delegate may upload (type, size, and the content checked against the extension),
logging an activity (待核实), the office's verification or return, the 待核实 queue, and the activity types' labels."""
from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import require
from election.duties.models import ActivityAttachment, ActivityRecord, TermDelegate
from election.duties.services.permissions import (
    _get,
    _named,
    can_log_for,
    can_record_duties,
    can_staff_office,
    can_view_duties,
    office_scope,
)
from election.duties.services.rulesets import book_for
from election.notifications import events as notifications
from workflow import duties as wd
from workflow.common.results import DomainError
from workflow.duties.delegate_status import DelegateStatus

ALLOWED_UPLOADS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
                   ".webp": "image/webp", ".pdf": "application/pdf",
                   ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOADS = 6


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    data: bytes


@dataclass(frozen=True)
class ActivityInput:
    type_code: str
    on: date
    place: str = ""
    description: str = ""
    people: str = ""
    grade: str | None = None


def _sniff(ext: str, data: bytes) -> bool:
    if ext in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext == ".gif":
        return data.startswith((b"GIF87a", b"GIF89a"))
    if ext == ".webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if ext == ".pdf":
        return data.startswith(b"%PDF-")
    if ext == ".docx":
        import zipfile

        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return False
        return "word/document.xml" in names and "word/vbaProject.bin" not in names
    return False


def check_uploads(files: Sequence[UploadedFile]) -> list[str]:
    """Every problem with the files, in Chinese (check all, then write all)."""
    problems = []
    files = [f for f in files if f.filename]
    if len(files) > MAX_UPLOADS:
        problems.append(f"最多上传{MAX_UPLOADS}个附件，当前{len(files)}个，请删减")
    for f in files:
        ext = os.path.splitext(f.filename)[1].lower()
        if ext not in ALLOWED_UPLOADS:
            problems.append(f"附件“{f.filename}”的类型不支持，只能上传图片（jpg、png、gif、webp）、pdf或docx")
        elif not f.data:
            problems.append(f"附件“{f.filename}”是空文件，请重新选择")
        elif len(f.data) > MAX_UPLOAD_BYTES:
            problems.append(f"附件“{f.filename}”大小为{len(f.data) / 1024 / 1024:.1f} MB，超过5 MB上限，请压缩后再上传")
        elif not _sniff(ext, f.data):
            problems.append(f"附件“{f.filename}”的内容与扩展名不符或已损坏，请重新导出后上传")
    return problems


def _types_of(book: wd.RuleBook, on: date) -> dict[str, wd.ActivityType]:
    try:
        return book.in_force(on).types_by_code
    except DomainError:
        return {}


def log_activity(session: Session, actor, delegate_id: int, data: ActivityInput, files: Sequence[UploadedFile],
                 upload_dir: str | Path, today: date, now: datetime) -> ActivityRecord:
    """A delegate (or office staff) logs an activity; it waits as 待核实."""
    problems = check_uploads(files)
    if data.on > today:
        problems.append(f"活动日期{wd.cn_date(data.on)}晚于今天，请核对")
    if not data.description.strip():
        problems.append("请简要描述活动内容")
    if problems:
        raise ServiceError("；".join(problems))
    written: list[Path] = []
    try:
        with transaction(session):
            require(can_record_duties(actor), "只能为本人或本工作室的代表登记活动。")
            # the delegate named in the form or the JSON body: another office's answers like a missing id
            d = _named(session, TermDelegate, delegate_id, "代表", lambda d: can_log_for(actor, d))
            if d.status != DelegateStatus.serving:
                raise ServiceError(f"代表{d.name}目前为“{DelegateStatus(d.status).label}”，不能登记履职活动。")
            types = _types_of(book_for(session, d), data.on)
            t = types.get(data.type_code)
            if t is None:
                raise ServiceError(f"活动类型“{data.type_code}”在{wd.cn_date(data.on)}施行的履职规则中不存在，请重新选择。")
            grade = wd.normalize_grade(data.grade) if t.graded else None
            if t.graded and grade not in t.grades:
                raise ServiceError(f"“{t.label}”按群众满意度计分，请选择满意度。")
            rec = ActivityRecord(delegate_id=d.id, type_code=t.code, on=data.on, place=data.place.strip(),
                                 description=data.description.strip(), people=data.people.strip(), grade=grade,
                                 status=wd.ActivityStatus.pending.value, created_by_id=actor.id, created_at=now)
            session.add(rec)
            session.flush()
            folder = Path(upload_dir)
            folder.mkdir(parents=True, exist_ok=True)
            for f in files:
                if not f.filename:
                    continue
                ext = os.path.splitext(f.filename)[1].lower()
                stored = secrets.token_hex(16) + ext
                path = folder / stored
                path.write_bytes(f.data)
                written.append(path)
                rec.attachments.append(ActivityAttachment(original_name=os.path.basename(f.filename)[:200],
                                                          stored_name=stored, content_type=ALLOWED_UPLOADS[ext],
                                                          size=len(f.data)))
            audit(session, actor, "duties.activity.log", rec,
                  summary=f"{d.name}登记{wd.cn_date(data.on)}的“{t.label}”（待核实）",
                  after={"type": t.code, "on": data.on, "files": len(written)}, now=now)
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    return rec


def review_activity(session: Session, actor, activity_id: int, verify: bool, reason: str, now: datetime) -> ActivityRecord:
    """Office staff verify (已核实) or return (已退回, with a reason) a pending activity."""
    if not verify and not reason.strip():
        raise ServiceError("退回活动请填写理由，说明需要补充或更正的内容。")
    with transaction(session):
        rec = _get(session, ActivityRecord, activity_id, "活动")
        require(can_staff_office(actor, rec.delegate.office_id), "只能核实本工作室代表的活动。")
        if rec.status != wd.ActivityStatus.pending:
            raise ServiceError(f"该活动已{wd.ActivityStatus(rec.status).label}，不能重复处理。")
        rec.status = (wd.ActivityStatus.verified if verify else wd.ActivityStatus.returned).value
        rec.return_reason = None if verify else reason.strip()
        rec.verified_by_id, rec.verified_at = actor.id, now
        audit(session, actor, "duties.activity.verify" if verify else "duties.activity.return", rec,
              summary=f"{'核实' if verify else '退回'}{rec.delegate.name}{wd.cn_date(rec.on)}的活动"
                      + ("" if verify else f"：{reason.strip()}"),
              before={"status": "pending"}, after={"status": rec.status}, now=now)
        notifications.activity_returned(session, rec, now)
    return rec


def pending_activities(session: Session, actor, limit: int = 200) -> list[ActivityRecord]:
    """The 待核实 queue of the actor's office (all offices for the 组织部). One query."""
    require(can_view_duties(actor))
    q = (select(ActivityRecord).join(TermDelegate, TermDelegate.id == ActivityRecord.delegate_id)
         .where(ActivityRecord.status == wd.ActivityStatus.pending.value)
         .order_by(ActivityRecord.on, ActivityRecord.id).limit(limit))
    scope = office_scope(actor)
    if scope is not None:
        q = q.where(TermDelegate.office_id == scope)
    return list(session.scalars(q).unique())


def type_labels(books: Iterable[wd.RuleBook]) -> dict[str, str]:
    out: dict[str, str] = {}
    for book in books:
        for v in book.versions:
            for t in v.activity_types:
                out.setdefault(t.code, t.label)
    return out
