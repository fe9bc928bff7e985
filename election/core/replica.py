"""Reads on a streaming replica: which request may read it, whether it is healthy, read-your-writes.

With ``DATABASE_REPLICA_URL`` set (election/core/db.py builds a second engine) a GET or HEAD page, report or API
call reads the replica, statement by statement (``RoutingSession.get_bind`` asks :func:`replica_bind`): a plain
SELECT goes to the replica; a flush, an INSERT/UPDATE/DELETE, a SELECT … FOR UPDATE, hand-written SQL or an
explicit ``session.connection()`` goes to the primary, and from then on the whole request stays there (it reads
what it has just written). POST, PUT, PATCH and DELETE requests, the CLI, the scheduler and the job workers read
and write the primary only.

A request reads the primary instead when

- the replica is down (a failed check or a failed connect marks it down; it is tried again after
  ``DATABASE_REPLICA_RETRY_SECONDS``), not in recovery, or lagging by more than ``DATABASE_REPLICA_MAX_LAG``
  seconds (the standard lag query below, checked at most every ``DATABASE_REPLICA_CHECK_SECONDS`` per process);
- its endpoint is in :data:`PRIMARY_ENDPOINTS` (pages polled while a worker writes: a task's progress);
- read-your-writes: a request that wrote leaves the primary's WAL position (``pg_current_wal_lsn()``) in the
  user's signed session cookie; the user's GETs read the primary until the replica has replayed that
  position, then the marker is dropped. The page a clerk is redirected to after saving shows what he saved.

A connection to the replica is checked out (with a ping) when the request first reads, so a replica that has
just died sends that request to the primary instead of failing it.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request, session
from sqlalchemy import CompoundSelect, Select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

MARKER = "_wal"  # the primary's WAL position after the user's last write (the signed session cookie)
_REQUEST = "election.replica"
# pages that must show what another process (a job worker) has just written: always the primary
PRIMARY_ENDPOINTS = {"tasks.status", "tasks.status_json", "static"}
READ_METHODS = ("GET", "HEAD")
HEALTH_SQL = (
    "SELECT pg_is_in_recovery(), "
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8, 'Infinity'::float8) END, "
    "pg_last_wal_replay_lsn()::text")


def parse_lsn(text: str | None) -> int | None:
    """A pg_lsn ('16/B374D848': high and low 32 bits in hex) as one integer, so two positions compare."""
    if not text:
        return None
    try:
        high, low = text.split("/")
        return (int(high, 16) << 32) | int(low, 16)
    except ValueError:
        return None


@dataclass(frozen=True)
class Health:
    ok: bool
    lag: float | None = None  # seconds behind the primary (0 when it has replayed all it received)
    replay_lsn: int | None = None
    why: str = ""


class ReplicaHealth:
    """The replica's health as seen by this process, checked at most every CHECK seconds (a down replica every
    RETRY seconds); a request never waits for another thread's check, it takes the last answer."""

    def __init__(self, engine: Engine, *, max_lag: float, check_seconds: float, retry_seconds: float):
        self.engine, self.max_lag = engine, max_lag
        self.check_seconds, self.retry_seconds = check_seconds, retry_seconds
        self._health = Health(False, why="尚未检查")
        self._checked = False
        self._next_check = 0.0
        self._lock = threading.Lock()

    def current(self) -> Health:
        if time.monotonic() >= self._next_check and self._lock.acquire(blocking=False):
            try:
                if time.monotonic() >= self._next_check:
                    self._set(self._check())
            finally:
                self._lock.release()
        return self._health

    def mark_down(self, why: str) -> None:
        self._set(Health(False, why=why))

    def _set(self, health: Health) -> None:
        if (health.ok != self._health.ok) if self._checked else not health.ok:  # first look: only if down
            log.warning("只读副本%s：%s", "恢复使用" if health.ok else "暂停使用，读主库", health.why or "正常")
        self._health, self._checked = health, True
        self._next_check = time.monotonic() + (self.check_seconds if health.ok or health.lag is not None
                                               else self.retry_seconds)

    def _check(self) -> Health:
        try:
            with self.engine.connect() as conn:
                in_recovery, lag, replay = conn.exec_driver_sql(HEALTH_SQL).one()
        except DBAPIError as exc:
            return Health(False, why=f"无法连接（{type(exc.orig).__name__}）")
        if not in_recovery:
            return Health(False, why="不是只读副本（pg_is_in_recovery() 为假）")
        lag = float(lag)
        if lag > self.max_lag:
            return Health(False, lag=lag, replay_lsn=parse_lsn(replay), why=f"延迟 {lag:.1f} 秒")
        return Health(True, lag=lag, replay_lsn=parse_lsn(replay))


@dataclass
class RequestRouting:
    """One request's routing: may it read the replica, has it left it for the primary, did it write."""
    eligible: bool = False
    stuck: bool = False  # a write or a locking read happened: the rest of the request reads the primary
    wrote: bool = False
    conn: Connection | None = None


def _routing() -> RequestRouting | None:
    return request.environ.get(_REQUEST) if has_request_context() else None


def replica_bind(clause) -> Connection | None:
    """The replica connection for CLAUSE in this request, or None for the primary (see the module docstring)."""
    state = _routing()
    if state is None or clause is None:  # no statement: a flush (noted by note_write), a dialect question
        return None
    if not isinstance(clause, (Select, CompoundSelect)) or getattr(clause, "_for_update_arg", None) is not None:
        state.stuck = True
        state.wrote = state.wrote or not isinstance(clause, (Select, CompoundSelect))
        return None
    if not state.eligible or state.stuck:
        return None
    if state.conn is None:
        replica = current_app.extensions["election_replica"]
        try:
            state.conn = replica.engine.connect()  # pool_pre_ping: a dead server fails here, not mid-page
        except DBAPIError as exc:
            replica.mark_down(f"无法连接（{type(exc.orig).__name__}）")
            state.eligible = False
            return None
    return state.conn


def note_write() -> None:
    """A flush, or a connection taken for hand-written SQL: the rest of the request uses the primary."""
    state = _routing()
    if state is not None:
        state.stuck = state.wrote = True


def init_replica(app: Flask, primary: Engine, replica: Engine) -> None:
    health = ReplicaHealth(replica, max_lag=float(app.config.get("DATABASE_REPLICA_MAX_LAG", 5)),
                           check_seconds=float(app.config.get("DATABASE_REPLICA_CHECK_SECONDS", 1)),
                           retry_seconds=float(app.config.get("DATABASE_REPLICA_RETRY_SECONDS", 5)))
    app.extensions["election_replica"] = health

    def decide() -> None:
        state = request.environ[_REQUEST] = RequestRouting()
        if request.method not in READ_METHODS or request.endpoint is None or request.endpoint in PRIMARY_ENDPOINTS:
            return
        current = health.current()
        if not current.ok:
            return
        marker = parse_lsn(session.get(MARKER))
        if marker is not None:
            if current.replay_lsn is None or current.replay_lsn < marker:
                return
            session.pop(MARKER)
        state.eligible = True

    def remember_write(response):
        state = _routing()
        if state is not None and (state.wrote or request.method not in READ_METHODS + ("OPTIONS",)):
            try:
                with primary.connect() as conn:
                    session[MARKER] = conn.exec_driver_sql("SELECT pg_current_wal_lsn()::text").scalar()
            except DBAPIError:
                log.exception("读取主库 WAL 位置失败")
        return response

    def release(_exc) -> None:
        state = _routing()
        if state is not None and state.conn is not None:
            app.extensions["election_db"].session.remove()  # its transaction on the connection first
            state.conn.close()
            state.conn = None

    # first of all hooks: the user loader (Flask-Login) may run in any later before_request hook
    app.before_request_funcs.setdefault(None, []).insert(0, decide)
    app.after_request(remember_write)
    app.teardown_request(release)
