"""Backup and restore: every table and every stored file in one .zip, portable between SQLite and PostgreSQL.

Format (a zip): `manifest.json` (format version, alembic revision, table row counts, created time),
`tables/<name>.jsonl` (one JSON object per row, dates as ISO strings), `files/…` (UPLOAD_DIR as it is).
Restore goes into an empty database at the same schema revision, inside one transaction, then resets the
PostgreSQL sequences; it refuses a non-empty database rather than merge. It is all or nothing and contained: every
member is checked first (no absolute path, no `..`, no symbolic link, every file inside UPLOAD_DIR after resolving),
files are extracted to a staging folder before any row is written and moved into place only as the rows commit.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import JSON, Date, DateTime, LargeBinary, func, insert, inspect, null, select, text
from sqlalchemy.engine import Engine

from election.core.clock import utcnow
from election.core.db import Base

FORMAT = 1
SKIP_TABLES = {"apscheduler_jobs", "alembic_version"}


class BackupError(Exception):
    """A Chinese message saying why a backup or restore cannot be done."""


def _tables():
    import election.models  # noqa: F401 - every table registered

    return [t for t in Base.metadata.sorted_tables if t.name not in SKIP_TABLES]


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode(column, value):
    if value is None:
        # SQL NULL, also in a JSON column: a bare None would be stored there as the JSON value null, which is NOT NULL
        # to a CHECK such as ballot_rounds' "the result exactly when closed" (an open round has none)
        return null() if isinstance(column.type, JSON) else None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, LargeBinary) and isinstance(value, dict):
        return base64.b64decode(value["__b64__"])
    return value


def _revision(conn) -> str | None:
    if not inspect(conn).has_table("alembic_version"):  # a database built without Alembic (tests); asking
        return None  # for the missing table would abort a PostgreSQL transaction
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup(engine: Engine, path: str | os.PathLike, upload_dir: str | None = None) -> dict:
    """Write every table (and the stored files) to PATH; returns the manifest."""
    counts: dict[str, int] = {}
    tmp = Path(f"{path}.partial")
    with engine.connect() as conn, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        revision = _revision(conn)
        for table in _tables():
            n = 0
            with zf.open(f"tables/{table.name}.jsonl", "w") as out:
                order = [c for c in table.primary_key.columns] or list(table.columns)
                for row in conn.execute(select(table).order_by(*order)).mappings():
                    out.write((json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
                              .encode("utf-8"))
                    n += 1
            counts[table.name] = n
        if upload_dir and os.path.isdir(upload_dir):
            for root, _dirs, files in os.walk(upload_dir):
                for name in files:
                    full = os.path.join(root, name)
                    zf.write(full, "files/" + os.path.relpath(full, upload_dir).replace(os.sep, "/"))
        manifest = {"format": FORMAT, "revision": revision, "tables": counts, "created_at": utcnow().isoformat(),
                    "dialect": engine.dialect.name}
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    os.replace(tmp, path)
    return manifest


def _member_target(info: zipfile.ZipInfo, root: Path) -> Path | None:
    """Where a member of the archive may go: None for the tables and manifest; a BackupError for an absolute
    path, a `..`, a symbolic link or anything that resolves outside ROOT (compared after resolving, not as text)."""
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (parts and len(parts[0]) == 2 and parts[0][1] == ":") or ".." in parts:
        raise BackupError(f"备份中的文件路径不安全：{name}（绝对路径或含“..”），未恢复任何数据")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise BackupError(f"备份中含有符号链接：{name}，未恢复任何数据")
    if not name.startswith("files/") or info.is_dir():
        return None
    target = (root / name[len("files/"):]).resolve()
    if target == root or not target.is_relative_to(root):
        raise BackupError(f"备份中的文件路径不安全：{name}（超出上传目录），未恢复任何数据")
    return target


def _stage_files(zf: zipfile.ZipFile, upload_dir: str | None) -> tuple[Path | None, list[tuple[Path, Path]]]:
    """Check every member, then extract the files into a staging folder inside UPLOAD_DIR; nothing is in place yet.
    Returns (the staging folder, [(staged file, final place)])."""
    root = Path(upload_dir).resolve() if upload_dir else Path(os.devnull)
    targets = [(info, _member_target(info, root)) for info in zf.infolist()]
    files = [(info, target) for info, target in targets if target is not None]
    if not upload_dir or not files:
        return None, []
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    staged = []
    try:
        for n, (info, target) in enumerate(files):
            tmp = staging / str(n)
            try:
                with zf.open(info) as src, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out)  # reading to the end checks the CRC
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
                raise BackupError(f"备份中的文件 {info.filename} 无法读取或已损坏（{exc}），未恢复任何数据") from None
            staged.append((tmp, target))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, staged


def _place_files(staged: list[tuple[Path, Path]], staging: Path):
    """Move the staged files into place; returns a function that puts the upload folder back as it was."""
    done: list[tuple[Path, Path | None]] = []
    made: list[Path] = []

    def undo() -> None:
        for target, aside in reversed(done):
            if aside is not None:
                os.replace(aside, target)
            else:
                target.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()

    try:
        for n, (tmp, target) in enumerate(staged):
            for folder in reversed(target.parents):
                if not folder.exists():
                    folder.mkdir()
                    made.append(folder)
            aside = None
            if target.exists():
                aside = staging / f"old-{n}"
                os.replace(target, aside)
            done.append((target, aside))
            os.replace(tmp, target)
    except BaseException:
        undo()
        raise
    return undo


def _parents_first(table, rows: list[dict]) -> list[dict]:
    """A table that refers to itself (the organisation tree's 上级) in an order where each row's parent comes
    before it: a parent added after its child (a city put above an existing district) has the higher id."""
    refs = [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]
    if not refs:
        return rows
    present = {(target, row.get(target)) for _col, target in refs for row in rows}
    placed: set[tuple[str, object]] = set()
    out, pending = [], rows
    while pending:
        ready = [r for r in pending if all(r.get(col) is None or (target, r[col]) in placed
                                           or (target, r[col]) not in present for col, target in refs)]
        ready = ready or pending  # a cycle cannot be stored (the tree's rules); keep every row all the same
        ready_ids = {id(r) for r in ready}
        out += ready
        placed |= {(target, r.get(target)) for r in ready for _col, target in refs}
        pending = [r for r in pending if id(r) not in ready_ids]
    return out


def _load_rows(conn, zf: zipfile.ZipFile, tables) -> None:
    names = set(zf.namelist())
    for table in tables:
        name = f"tables/{table.name}.jsonl"
        if name not in names:
            continue
        columns = {c.name: c for c in table.columns}
        self_ref = any(fk.column.table is table for fk in table.foreign_keys)
        batch = []
        with zf.open(name) as fh:
            for line in fh:
                row = json.loads(line)
                batch.append({k: _decode(columns[k], v) for k, v in row.items() if k in columns})
                if len(batch) >= 1000 and not self_ref:
                    conn.execute(insert(table), batch)
                    batch = []
        if batch:
            conn.execute(insert(table), _parents_first(table, batch))
    if conn.dialect.name == "postgresql":
        for table in tables:
            for column in table.primary_key.columns:
                if column.autoincrement is True or (column.autoincrement == "auto" and column.type.python_type is int):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))


def restore(engine: Engine, path: str | os.PathLike, upload_dir: str | None = None) -> dict:
    """Load a backup into an empty database of the same schema, all or nothing: every member is checked and every
    file extracted to a staging folder first; the rows go in one transaction; the files are moved into place just
    before it commits, and put back if the commit fails."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from None
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except KeyError:
            raise BackupError("备份文件缺少 manifest.json，不是本系统生成的备份") from None
        except (ValueError, zipfile.BadZipFile) as exc:
            raise BackupError(f"备份文件的 manifest.json 无法读取：{exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            got = manifest.get("format") if isinstance(manifest, dict) else None
            raise BackupError(f"备份格式版本 {got} 与本系统（{FORMAT}）不一致")
        tables = _tables()
        staging, staged = _stage_files(zf, upload_dir)
        try:
            with engine.connect() as conn:
                trans = conn.begin()
                try:
                    _check_target(conn, manifest, tables)
                    try:
                        _load_rows(conn, zf, tables)
                    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
                        raise BackupError(f"备份中的数据表无法读取（{exc}），未恢复任何数据") from None
                    undo = _place_files(staged, staging) if staging else (lambda: None)
                    try:
                        trans.commit()
                    except BaseException:
                        undo()
                        raise
                finally:
                    if trans.is_active:
                        trans.rollback()
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _check_target(conn, manifest: dict, tables) -> None:
    current = _revision(conn)
    if manifest.get("revision") and current and manifest["revision"] != current:
        raise BackupError(f"备份的数据库版本（{manifest['revision']}）与当前数据库（{current}）不一致，"
                          "请先把当前数据库升级到相同版本")
    for table in tables:
        if conn.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"目标数据库不是空库（表 {table.name} 已有数据），为防止覆盖，请在新建的空库上恢复")
