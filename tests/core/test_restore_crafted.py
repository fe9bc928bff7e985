"""`election restore` against crafted backups (issue 19): contained and all or nothing — a path that leaves the
upload folder, an absolute path, a symbolic link or a file that fails its check writes nothing, to the database or
to the disk, and says why in Chinese."""
from __future__ import annotations

import json
import stat
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from election.accounts.models import User
from election.core.backup import BackupError, restore
from election.core.db import make_engine
from election.models import Base
from tests import pg

USER_ROW = {"id": 1, "username": "restored", "display_name": "恢复的用户", "role": "office", "password_hash": "x",
            "active": True, "session_version": 1, "failed_logins": 0}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        url = pg.create_database(request.getfixturevalue("pg_server"), f"restore_{uuid.uuid4().hex[:10]}")
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def uploads(tmp_path):
    root = tmp_path / "site" / "uploads"
    (root / "activities").mkdir(parents=True)
    (root / "activities" / "old.jpg").write_bytes(b"old photo")
    return root


def _user_row() -> dict:
    from election.accounts.models import User as U

    columns = {c.name for c in U.__table__.columns}
    return {k: v for k, v in USER_ROW.items() if k in columns}


def _archive(path: Path, members: list[tuple], rows: bool = True) -> Path:
    """A backup as the system writes it, plus MEMBERS: (name, data) or (ZipInfo, data)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": 1, "revision": None, "tables": {"users": 1}}))
        if rows:
            zf.writestr("tables/users.jsonl", json.dumps(_user_row(), ensure_ascii=False) + "\n")
        for name, data in members:
            zf.writestr(name, data)
    return path


def _disk(root: Path) -> dict:
    base = root.parent
    return {str(p.relative_to(base)): p.read_bytes() if p.is_file() else None for p in sorted(base.rglob("*"))}


def _users(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(User)).scalar()


def _refused(engine, archive, uploads, match):
    before = _disk(uploads)
    with pytest.raises(BackupError, match=match) as exc:
        restore(engine, archive, str(uploads))
    assert "未恢复任何数据" in str(exc.value)
    assert _users(engine) == 0 and _disk(uploads) == before
    return str(exc.value)


def test_a_plain_backup_restores_rows_and_files(empty_engine, uploads, tmp_path):
    archive = _archive(tmp_path / "ok.zip", [("files/activities/new.jpg", b"new photo")])
    restore(empty_engine, archive, str(uploads))
    assert _users(empty_engine) == 1
    assert (uploads / "activities" / "new.jpg").read_bytes() == b"new photo"
    assert not list(uploads.glob(".restore-*"))


@pytest.mark.parametrize("name", ["files/../../x", "files/activities/../../../escape.txt", "../../x"])
def test_path_traversal_writes_nothing(empty_engine, uploads, tmp_path, name):
    archive = _archive(tmp_path / "evil.zip", [("files/activities/fine.jpg", b"ok"), (name, b"pwned")])
    assert "路径不安全" in _refused(empty_engine, archive, uploads, "路径不安全")
    assert not (tmp_path / "x").exists() and not (tmp_path / "site" / "escape.txt").exists()


def test_an_absolute_path_writes_nothing(empty_engine, uploads, tmp_path):
    info = zipfile.ZipInfo("files/ok.txt")
    info.filename = "/tmp/restore-absolute-evil.txt"  # zipfile strips a leading "/" when writing by name
    archive = _archive(tmp_path / "abs.zip", [(info, b"pwned")])
    _refused(empty_engine, archive, uploads, "绝对路径")
    assert not Path("/tmp/restore-absolute-evil.txt").exists()


def test_a_prefix_sibling_folder_is_outside(empty_engine, uploads, tmp_path):
    """The old check compared strings: /site/uploads-evil starts with /site/uploads."""
    (uploads.parent / "uploads-evil").mkdir()
    (uploads / "link").symlink_to(uploads.parent / "uploads-evil")
    archive = _archive(tmp_path / "sib.zip", [("files/link/planted.txt", b"pwned")])
    _refused(empty_engine, archive, uploads, "超出上传目录")
    assert not (uploads.parent / "uploads-evil" / "planted.txt").exists()


def test_a_symlink_member_writes_nothing(empty_engine, uploads, tmp_path):
    info = zipfile.ZipInfo("files/activities/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = _archive(tmp_path / "link.zip", [(info, "/etc/passwd")])
    _refused(empty_engine, archive, uploads, "符号链接")


def test_a_corrupt_file_found_after_the_rows_would_have_been_written_writes_nothing(empty_engine, uploads, tmp_path):
    """The rows come first in the archive and the damaged file last: before, the rows were already committed."""
    archive = _archive(tmp_path / "bad.zip", [("files/activities/a.jpg", b"good"),
                                              ("files/activities/z.jpg", b"this photo will be damaged")])
    raw = bytearray(archive.read_bytes())
    at = raw.find(b"this photo will be damaged")
    raw[at] ^= 0xFF  # the stored bytes no longer match their CRC
    archive.write_bytes(bytes(raw))
    _refused(empty_engine, archive, uploads, "已损坏")


def test_a_broken_table_rolls_back_every_row_and_every_file(empty_engine, uploads, tmp_path):
    archive = tmp_path / "rows.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": 1, "tables": {}}))
        zf.writestr("tables/users.jsonl", json.dumps(_user_row()) + "\n{not json\n")
        zf.writestr("files/activities/new.jpg", b"new")
    _refused(empty_engine, archive, uploads, "数据表无法读取")
