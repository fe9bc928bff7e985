"""Backup and restore: every table and every stored file in one .zip, portable between SQLite and PostgreSQL.

Format (a zip): `manifest.json` (format version, alembic revision, table row counts, created time),
`tables/<name>.jsonl` (one JSON object per row, dates as ISO strings), `files/…` (UPLOAD_DIR as it is).
Restore goes into an empty database at the same schema revision, inside one transaction, then resets the
PostgreSQL sequences; it refuses a non-empty database rather than merge.
"""
from __future__ import annotations

import base64
import json
import os
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import JSON, Date, DateTime, LargeBinary, func, insert, null, select, text
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
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database built without Alembic (tests)
        return None


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


def restore(engine: Engine, path: str | os.PathLike, upload_dir: str | None = None) -> dict:
    """Load a backup into an empty database of the same schema; all or nothing."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from None
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except KeyError:
            raise BackupError("备份文件缺少 manifest.json，不是本系统生成的备份") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"备份格式版本 {manifest.get('format')} 与本系统（{FORMAT}）不一致")
        tables = _tables()
        with engine.begin() as conn:
            current = _revision(conn)
            if manifest.get("revision") and current and manifest["revision"] != current:
                raise BackupError(f"备份的数据库版本（{manifest['revision']}）与当前数据库（{current}）不一致，"
                                  "请先把当前数据库升级到相同版本")
            for table in tables:
                if conn.execute(select(func.count()).select_from(table)).scalar():
                    raise BackupError(f"目标数据库不是空库（表 {table.name} 已有数据），为防止覆盖，请在新建的空库上恢复")
            for table in tables:
                name = f"tables/{table.name}.jsonl"
                if name not in zf.namelist():
                    continue
                columns = {c.name: c for c in table.columns}
                batch = []
                with zf.open(name) as fh:
                    for line in fh:
                        row = json.loads(line)
                        batch.append({k: _decode(columns[k], v) for k, v in row.items() if k in columns})
                        if len(batch) >= 1000:
                            conn.execute(insert(table), batch)
                            batch = []
                if batch:
                    conn.execute(insert(table), batch)
            if conn.dialect.name == "postgresql":
                for table in tables:
                    for column in table.primary_key.columns:
                        if column.autoincrement is True or (column.autoincrement == "auto" and
                                                            column.type.python_type is int):
                            conn.execute(text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))
        if upload_dir:
            for info in zf.infolist():
                if info.filename.startswith("files/") and not info.is_dir():
                    rel = info.filename[len("files/"):]
                    target = Path(upload_dir, rel).resolve()
                    if not str(target).startswith(str(Path(upload_dir).resolve())):
                        raise BackupError(f"备份中的文件路径不安全：{info.filename}")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zf.read(info))
    return manifest
