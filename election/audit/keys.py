"""The audit chain's secret keys, kept outside the database: which key signs new entries, which verify old ones.

Configuration (election/core/config.py, ELECTION_* environment variables):
- ``AUDIT_KEY_FILE``: a file, one key a line, ``key_id:secret``; the last line signs new entries, every line
  verifies the entries written under it (rotation = append a line, keep the old ones);
- or ``AUDIT_KEY`` (+ ``AUDIT_KEY_ID``, default ``k1``): one key.
Without either, development uses DEV_AUDIT_KEY; production refuses to start with it (check_production_config).
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from election.core.config import ConfigError

DEV_AUDIT_KEY_ID = "dev"
DEV_AUDIT_KEY = "dev-only-insecure-audit-key"
MIN_KEY_LENGTH = 16


class AuditKeyError(ValueError):
    """A key file or key setting that cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: Mapping[str, bytes] = field(default_factory=dict)

    def sign(self, key_id: str, data: bytes) -> str:
        return hmac.new(self.keys[key_id], data, hashlib.sha256).hexdigest()

    def with_keys(self, more: Mapping[str, bytes]) -> Keyring:
        return Keyring(self.current_id, {**self.keys, **more})

    @property
    def is_development(self) -> bool:
        return self.keys.get(DEV_AUDIT_KEY_ID) == DEV_AUDIT_KEY.encode()


def parse_key_lines(text: str) -> tuple[str | None, dict[str, bytes]]:
    """``id:secret`` lines (blank lines and # comments skipped) -> (the last id, {id: secret})."""
    keys: dict[str, bytes] = {}
    last = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key_id, sep, secret = line.partition(":")
        key_id, secret = key_id.strip(), secret.strip()
        if not sep or not key_id or len(key_id) > 16 or not secret:
            raise AuditKeyError(f"审计密钥文件第{n}行格式应为“密钥编号:密钥”（编号不超过16个字符）")
        if len(secret) < MIN_KEY_LENGTH:
            raise AuditKeyError(f"审计密钥“{key_id}”太短（至少{MIN_KEY_LENGTH}个字符）")
        keys[key_id] = secret.encode()
        last = key_id
    return last, keys


def read_key_file(path: str | Path) -> tuple[str | None, dict[str, bytes]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise AuditKeyError(f"无法读取审计密钥文件 {path}：{exc.strerror or exc}") from None
    return parse_key_lines(text)


def keyring_from_config(config: Mapping) -> Keyring:
    path = config.get("AUDIT_KEY_FILE") or ""
    if path:
        current, keys = read_key_file(path)
        if current is None:
            raise AuditKeyError(f"审计密钥文件 {path} 中没有密钥")
        return Keyring(current, keys)
    secret = config.get("AUDIT_KEY") or ""
    if secret:
        key_id = str(config.get("AUDIT_KEY_ID") or "k1")
        return Keyring(key_id, {key_id: str(secret).encode()})
    return Keyring(DEV_AUDIT_KEY_ID, {DEV_AUDIT_KEY_ID: DEV_AUDIT_KEY.encode()})


_active = Keyring(DEV_AUDIT_KEY_ID, {DEV_AUDIT_KEY_ID: DEV_AUDIT_KEY.encode()})


def install(keyring: Keyring) -> None:
    """Set by create_app from the configuration: the keyring audit() signs with in this process."""
    global _active
    _active = keyring


def active() -> Keyring:
    return _active


def configure(config: Mapping) -> Keyring:
    """create_app: build the keyring from the configuration and install it; in production refuse the development
    key (as check_production_config refuses the default SECRET_KEY)."""
    try:
        keyring = keyring_from_config(config)
    except AuditKeyError as exc:
        raise ConfigError(str(exc)) from None
    if config.get("ENV_NAME") == "production":
        if keyring.is_development or DEV_AUDIT_KEY_ID in keyring.keys:
            raise ConfigError("生产环境必须设置审计密钥：ELECTION_AUDIT_KEY_FILE（推荐，“编号:密钥”每行一个）或 "
                              "ELECTION_AUDIT_KEY，不能使用开发用的默认密钥。")
        if any(len(secret) < MIN_KEY_LENGTH for secret in keyring.keys.values()):
            raise ConfigError(f"审计密钥至少{MIN_KEY_LENGTH}个字符。")
    install(keyring)
    return keyring
