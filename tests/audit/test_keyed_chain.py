"""The keyed chain (issue 19): a rewritten entry cannot be re-signed without the key kept outside the database;
entries keep the key id they were written under, so a rotated key still verifies its entries; old unkeyed entries
verify under the legacy rule and are reported as such."""
from __future__ import annotations

import hashlib
import hmac

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from election import create_app
from election.audit import keys
from election.audit.models import AuditEntry
from election.audit.services import _canonical, _content, audit, compute_hash, verify_chain
from election.cli import cli
from election.core.config import ConfigError

KEY_A = keys.Keyring("a1", {"a1": b"first-secret-key-0123456789"})
KEY_B = keys.Keyring("b2", {"b2": b"second-secret-key-987654321"})


@pytest.fixture
def keyring():
    """Install a keyring for the test and put the development one back after."""
    before = keys.active()

    def use(ring: keys.Keyring) -> keys.Keyring:
        keys.install(ring)
        return ring

    yield use
    keys.install(before)


def _entries(session, actor, n, tag):
    out = [audit(session, actor, "test.keyed", actor, summary=f"{tag}{i}", after={"i": i}) for i in range(n)]
    session.commit()
    return out


def _recompute_later_hashes(session, start, sign):
    """What an insider with database access but without the key can do: re-link every later entry."""
    rows = session.scalars(select(AuditEntry).where(AuditEntry.seq >= start.seq).order_by(AuditEntry.seq)).all()
    prev = session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == start.seq - 1)) if start.seq > 1 else "0" * 64
    for row in rows:
        row.prev_hash = prev
        row.hash = sign(row)
        prev = row.hash
    session.flush()


def test_new_entries_carry_the_key_id_and_an_hmac(session, make_user, keyring):
    keyring(KEY_A)
    entry = _entries(session, make_user("office"), 1, "签名")[0]
    assert entry.key_id == "a1"
    assert entry.hash != hashlib.sha256(_canonical(_content(entry))).hexdigest()
    assert verify_chain(session, keyring=KEY_A).ok


def test_rewritten_entry_with_later_hashes_recomputed_without_the_key_fails_at_that_entry(session, make_user,
                                                                                           keyring):
    keyring(KEY_A)
    chain = _entries(session, make_user("office"), 5, "操作")
    target = session.get(AuditEntry, chain[2].id)
    target.summary = "改写后的摘要"
    # without the key: the legacy SHA-256 rule, with the key id dropped …
    for row in session.scalars(select(AuditEntry).where(AuditEntry.seq >= target.seq)):
        row.key_id = None
    _recompute_later_hashes(session, target, lambda row: compute_hash(row))
    report = verify_chain(session, keyring=KEY_A)
    assert report.broken_seq == chain[2].seq and "没有密钥签名" in report.reason


def test_rewritten_entry_signed_with_a_guessed_key_fails_at_that_entry(session, make_user, keyring):
    keyring(KEY_A)
    chain = _entries(session, make_user("office"), 4, "操作")
    target = session.get(AuditEntry, chain[1].id)
    target.after = {"i": 99}

    def guess(row):  # … or an HMAC under a key the insider made up, keeping the key id
        content = {**_content(row), "key_id": row.key_id, "seal": row.seal}
        return hmac.new(b"a-guessed-key-000000", _canonical(content), hashlib.sha256).hexdigest()

    _recompute_later_hashes(session, target, guess)
    report = verify_chain(session, keyring=KEY_A)
    assert report.broken_seq == chain[1].seq and "篡改" in report.reason


def test_rotation_entries_under_two_keys_verify_when_both_keys_are_given(session, make_user, keyring):
    actor = make_user("office")
    keyring(KEY_A)
    old = _entries(session, actor, 2, "旧密钥")
    keyring(KEY_B)
    new = _entries(session, actor, 2, "新密钥")
    assert {e.key_id for e in old} == {"a1"} and {e.key_id for e in new} == {"b2"}
    only_new = verify_chain(session, keyring=KEY_B)
    assert only_new.broken_seq == old[0].seq and "“a1”" in only_new.reason
    both = verify_chain(session, keyring=KEY_B.with_keys(KEY_A.keys))
    assert both.ok and set(both.key_ids) >= {"a1", "b2"}


def test_legacy_entries_verify_under_the_old_rule_and_are_counted(session, make_user, keyring):
    keyring(KEY_A)
    chain = _entries(session, make_user("office"), 3, "旧")
    # entries written before the upgrade: no key id, plain SHA-256 — rebuild them so
    for row in session.scalars(select(AuditEntry).where(AuditEntry.seq <= chain[1].seq)):
        row.key_id = None
    first = session.scalar(select(AuditEntry).order_by(AuditEntry.seq).limit(1))
    _recompute_later_hashes(session, first, lambda row: compute_hash(row, KEY_A))
    report = verify_chain(session, keyring=KEY_A)
    assert report.ok and report.legacy == chain[1].seq
    strict = verify_chain(session, keyring=KEY_A, legacy_until=chain[0].seq)
    assert strict.broken_seq == chain[1].seq and "旧记录只到" in strict.reason


def test_key_file_last_line_signs_every_line_verifies(tmp_path):
    path = tmp_path / "audit.keys"
    path.write_text("# 审计密钥\na1:first-secret-key-0123456789\nb2:second-secret-key-987654321\n", encoding="utf-8")
    ring = keys.keyring_from_config({"AUDIT_KEY_FILE": str(path)})
    assert ring.current_id == "b2" and set(ring.keys) == {"a1", "b2"}
    path.write_text("a1:short\n", encoding="utf-8")
    with pytest.raises(keys.AuditKeyError, match="太短"):
        keys.keyring_from_config({"AUDIT_KEY_FILE": str(path)})


def test_production_refuses_the_development_audit_key(keyring):
    base = {"ENV_NAME": "production", "SECRET_KEY": "a-production-secret-0123456789",
            "DATABASE_URL": "sqlite:///:memory:"}
    with pytest.raises(ConfigError, match="审计密钥"):
        create_app(base)
    app = create_app({**base, "AUDIT_KEY": "production-audit-key-0123456789", "AUDIT_KEY_ID": "p1"})
    assert keys.active().current_id == "p1" and app.config["SESSION_COOKIE_SECURE"]


def test_cli_verify_takes_retired_keys_from_a_key_file(app, session, make_user, keyring, tmp_path):
    actor = make_user("office")
    keyring(KEY_A)
    _entries(session, actor, 1, "旧密钥")
    keyring(KEY_B)
    _entries(session, actor, 1, "新密钥")
    from flask.cli import ScriptInfo

    info = ScriptInfo(create_app=lambda: app)
    runner = CliRunner()
    missing = runner.invoke(cli, ["audit", "verify"], obj=info)
    assert missing.exit_code == 1 and "“a1”" in missing.output
    retired = tmp_path / "retired.keys"
    retired.write_text("a1:first-secret-key-0123456789\n", encoding="utf-8")
    ok = runner.invoke(cli, ["audit", "verify", "--key-file", str(retired)], obj=info)
    assert ok.exit_code == 0 and "审计日志完整" in ok.output, ok.output
