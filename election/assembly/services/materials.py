"""年会 materials (docs/rules.md §7): documents uploaded before the session (pdf, doc, docx, xls, xlsx, jpg, png;
the size limit of the 履职 attachments), distributed to the delegates with the notice; a material may be deleted
only before it is distributed. Files live under UPLOAD_DIR with a random name, as the 履职 attachments do."""
from __future__ import annotations

import io
import os
import secrets
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from election.assembly.models import AssemblySession, SessionMaterial
from election.assembly.permissions import can_manage_sessions, session_or_404
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.duties.services.activities import ALLOWED_UPLOADS, MAX_UPLOAD_BYTES, UploadedFile, _sniff

TYPES = {".pdf": "application/pdf", ".doc": "application/msword",
         ".docx": ALLOWED_UPLOADS[".docx"], ".xls": "application/vnd.ms-excel",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Office formats (.doc, .xls)


def _looks_right(ext: str, data: bytes) -> bool:
    if ext in (".doc", ".xls"):
        return data.startswith(OLE)
    if ext == ".xlsx":
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return False
        return "xl/workbook.xml" in names and "xl/vbaProject.bin" not in names
    return _sniff(ext, data)


def check_material(f: UploadedFile) -> list[str]:
    ext = os.path.splitext(f.filename or "")[1].lower()
    if not f.filename:
        return ["请选择要上传的文件"]
    if ext not in TYPES:
        return [f"文件“{f.filename}”的类型不支持，只能上传pdf、doc、docx、xls、xlsx、jpg或png"]
    if not f.data:
        return [f"文件“{f.filename}”是空文件，请重新选择"]
    if len(f.data) > MAX_UPLOAD_BYTES:
        return [f"文件“{f.filename}”大小为{len(f.data) / 1024 / 1024:.1f} MB，超过5 MB上限，请压缩后再上传"]
    if not _looks_right(ext, f.data):
        return [f"文件“{f.filename}”的内容与扩展名不符或已损坏，请重新导出后上传"]
    return []


def upload_material(db: Session, actor, session_id: int, title: str, f: UploadedFile, upload_dir: str | Path,
                    now: datetime) -> SessionMaterial:
    title = (title or "").strip() or os.path.splitext(os.path.basename(f.filename or ""))[0]
    problems = check_material(f) + (["材料名称不超过200字，请删减"] if len(title) > 200 else [])
    if problems:
        raise ServiceError("；".join(problems))
    ext = os.path.splitext(f.filename)[1].lower()
    folder = Path(upload_dir)
    path = None
    try:
        with transaction(db):
            require(can_manage_sessions(actor), "只有管理员和选举办可以上传会议材料。")
            meeting = session_or_404(db, actor, session_id, lock=True)
            if meeting.status == "held":
                raise Conflict("会议已召开，不能再上传会议材料。")
            folder.mkdir(parents=True, exist_ok=True)
            stored = secrets.token_hex(16) + ext
            path = folder / stored
            path.write_bytes(f.data)
            # after the notice a new material goes out at once
            m = SessionMaterial(session_id=meeting.id, title=title, original_name=os.path.basename(f.filename)[:200],
                                stored_name=stored, content_type=TYPES[ext], size=len(f.data), uploaded_by_id=actor.id,
                                uploaded_at=now, distributed_at=None if meeting.status == "preparing" else now)
            db.add(m)
            audit(db, actor, "assembly.material.upload", meeting, summary=f"{meeting.title}上传会议材料“{title}”",
                  after={"title": title, "size": len(f.data)}, now=now)
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    return m


def _material(db: Session, meeting: AssemblySession, material_id: int | None) -> SessionMaterial:
    m = db.get(SessionMaterial, material_id) if material_id else None
    if m is None or m.session_id != meeting.id:
        raise NotFound("该会议材料不存在。")
    return m


def delete_material(db: Session, actor, session_id: int, material_id: int, upload_dir: str | Path,
                    now: datetime) -> None:
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以删除会议材料。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        m = _material(db, meeting, material_id)
        if m.distributed_at is not None:
            raise Conflict(f"“{m.title}”已随通知分发给代表，不能删除；如有更正请上传新的材料。")
        stored = m.stored_name
        db.delete(m)
        audit(db, actor, "assembly.material.delete", meeting, summary=f"{meeting.title}删除会议材料“{m.title}”",
              before={"title": m.title}, now=now)
    (Path(upload_dir) / stored).unlink(missing_ok=True)


def material_for_download(db: Session, actor, session_id: int, material_id: int) -> SessionMaterial:
    """A delegate reads a material once it is distributed; the staff (and the 审计, the tellers) at any time."""
    meeting = session_or_404(db, actor, session_id)
    m = _material(db, meeting, material_id)
    if has_role(actor, Role.delegate) and m.distributed_at is None:
        raise NotFound("该会议材料尚未分发。")
    return m
