"""File names of generated documents, one rule for every download: ``{选举名称}_{文书名称}_{YYYYMMDD}.docx``
(or .xlsx), and the Content-Disposition header that carries the UTF-8 name.

Names are sanitised: no path separators or characters Windows refuses (/ \\ : * ? " < > |), no control
characters, runs of blanks made one space, and each part shortened so the whole name stays within
``MAX_LENGTH`` characters (a task's stored download name allows 200).
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

MAX_LENGTH = 120
_ELECTION_MAX = 60
_DOCUMENT_MAX = 40
_FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f-\x9f]+')
_BLANKS = re.compile(r"\s+")


def clean_part(text: str, limit: int) -> str:
    """One part of a file name: forbidden and control characters dropped (a run of them becomes one space),
    blanks collapsed, dots and blanks trimmed at the ends, at most ``limit`` characters."""
    text = _BLANKS.sub(" ", _FORBIDDEN.sub(" ", text or "")).strip(" ._")
    return text[:limit].rstrip(" ._")


def document_filename(election_title: str, document_name: str, on: dt.date, ext: str = "docx") -> str:
    """"某区出席市第十二次党代会代表选举_预备人选名册_20260331.docx". An empty election title (a document
    that belongs to no election, e.g. 组织机构) leaves that part out."""
    ext = clean_part(ext.lstrip("."), 8).lower() or "docx"
    document = clean_part(document_name, _DOCUMENT_MAX) or "文书"
    tail = f"_{document}_{on:%Y%m%d}.{ext}"
    title = clean_part(election_title, min(_ELECTION_MAX, MAX_LENGTH - len(tail)))
    return f"{title}{tail}" if title else tail[1:]


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 name (RFC 6266 / RFC 5987 ``filename*``)."""
    if filename.isascii():
        fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "document"
    else:                                   # old clients see a plain name, not a heap of underscores
        fallback = "document" + (f".{filename.rsplit('.', 1)[1]}" if "." in filename else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_headers(filename: str) -> dict[str, str]:
    """Headers for a ``Response`` that downloads ``filename``."""
    return {"Content-Disposition": content_disposition(filename)}
