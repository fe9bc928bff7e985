"""Time in one place: the database stores naive UTC; people see Asia/Shanghai."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    now = datetime.now(UTC).replace(tzinfo=None)
    return now.replace(microsecond=(now.microsecond // 1000) * 1000)


def to_local(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at.replace(tzinfo=UTC).astimezone(LOCAL_TZ)


def today_local() -> date:
    return datetime.now(LOCAL_TZ).date()


def format_local(at: datetime | None) -> str:
    local = to_local(at)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""
