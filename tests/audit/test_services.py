from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, update

from election.audit.models import AuditEntry
from election.audit.services import GENESIS, audit, verify_chain
from election.cli import cli


@pytest.fixture
def chain(session, make_user):
    actor = make_user("office")
    entries = [audit(session, actor, "test.action", actor, summary=f"第{i}次操作", before={"n": i},
                     after={"n": i + 1, "when": datetime(2026, 3, 1)}) for i in range(5)]
    session.commit()
    return entries


def test_audit_entries_chain_each_to_the_previous(chain):
    assert chain[0].prev_hash in (GENESIS, chain[0].prev_hash)
    for prev, entry in zip(chain, chain[1:]):
        assert entry.prev_hash == prev.hash and entry.seq == prev.seq + 1


def test_audit_verify_passes_on_an_untouched_chain(session, chain):
    report = verify_chain(session)
    assert report.ok and report.checked >= 5 and report.last_hash == chain[-1].hash


def test_audit_verify_names_an_edited_entry(session, chain):
    session.execute(update(AuditEntry).where(AuditEntry.id == chain[2].id).values(summary="篡改后的摘要"))
    report = verify_chain(session)
    assert report.broken_seq == chain[2].seq and "篡改" in report.reason


def test_audit_verify_names_a_deleted_entry(session, chain):
    session.execute(delete(AuditEntry).where(AuditEntry.id == chain[1].id))
    report = verify_chain(session)
    assert report.broken_seq == chain[1].seq and "删除" in report.reason


def test_audit_verify_detects_a_rehashed_edit(session, chain):
    """Recomputing an edited row's own hash still breaks the next row's link."""
    from election.audit.services import compute_hash

    entry = session.get(AuditEntry, chain[1].id)
    entry.summary = "改过并重算哈希"
    entry.hash = compute_hash(entry)
    session.flush()
    report = verify_chain(session)
    assert report.broken_seq == chain[2].seq and "前序哈希" in report.reason


def test_audit_is_written_in_the_same_transaction_as_the_change(session, make_user):
    from election.accounts.services import create_user

    before = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0
    with pytest.raises(Exception):
        create_user(session, None, username="dup", password="short", role="office")
    assert (session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0) == before
    user = create_user(session, None, username="newclerk", password="long-enough-1", role="office")
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert last.action == "user.create" and last.object_id == str(user.id) and "newclerk" in str(last.after)


def test_cli_audit_verify_exit_codes(app, session, chain):
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify"], obj=_script_info(app))
    assert ok.exit_code == 0 and "审计日志完整" in ok.output
    session.execute(update(AuditEntry).where(AuditEntry.id == chain[3].id).values(action="tampered"))
    bad = runner.invoke(cli, ["audit", "verify"], obj=_script_info(app))
    assert bad.exit_code == 1 and f"第{chain[3].seq}条" in bad.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
