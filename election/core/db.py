"""Engine, scoped session and the declarative Base (one per application).

With ``DATABASE_REPLICA_URL`` set there is a second, read-only engine and the session routes each statement
(:class:`RoutingSession`, rules in election/core/replica.py); without it there is one engine and a plain Session."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, *, echo: bool = False, busy_timeout_ms: int = 15000) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000})
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    # pool_recycle rather than pool_pre_ping: no extra round trip per request (bench/bench_pages.py)
    return create_engine(url, echo=echo, pool_recycle=1800)


def make_replica_engine(url: str, *, echo: bool = False) -> Engine:
    """The streaming replica: a short connect timeout so a dead replica never holds a page, and a ping at
    checkout so a request that finds it dead reads the primary instead of failing."""
    return create_engine(url, echo=echo, pool_recycle=1800, pool_pre_ping=True, connect_args={"connect_timeout": 2})


class RoutingSession(Session):
    """A session over the primary that sends a request's plain SELECTs to the replica when the request may
    read it (election/core/replica.py decides; flushes and everything else use the primary)."""

    def get_bind(self, mapper=None, *, clause=None, **kw):
        from election.core.replica import replica_bind

        conn = None if kw.get("bind") is not None else replica_bind(clause)
        if conn is not None:
            return conn
        return super().get_bind(mapper, clause=clause, **kw)

    def connection(self, bind_arguments=None, execution_options=None):
        """A connection for hand-written SQL: the primary, unless the caller names its SELECT as the clause."""
        if not bind_arguments or bind_arguments.get("clause") is None:
            from election.core.replica import note_write

            note_write()
        return super().connection(bind_arguments, execution_options)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL": let SQLAlchemy emit BEGIN
    # itself so SAVEPOINTs work with pysqlite; also foreign keys, WAL and a busy timeout.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if engine.url.database and engine.url.database != ":memory:":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # BEGIN IMMEDIATE: writers queue on the busy timeout instead of failing on a stale WAL snapshot
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class DatabaseState:
    engine: Engine
    session: scoped_session
    replica: Engine | None = None


class Database:
    """Extension created unbound, bound in the factory (flaskr/microblog shape)."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("DATABASE_ECHO", False),
                             busy_timeout_ms=app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000))
        replica_url = app.config.get("DATABASE_REPLICA_URL") or ""
        if replica_url:
            from election.core.config import ConfigError
            from election.core.replica import init_replica, note_write

            if not (engine.dialect.name == "postgresql" and replica_url.startswith("postgresql")):
                raise ConfigError("只读副本（ELECTION_DATABASE_REPLICA_URL）只用于 PostgreSQL 流复制："
                                  "主库和副本都必须是 postgresql+psycopg:// 地址。")

            replica = make_replica_engine(replica_url, echo=app.config.get("DATABASE_ECHO", False))
            factory = sessionmaker(bind=engine, class_=RoutingSession)
            event.listen(factory, "after_flush", lambda _session, _ctx: note_write())
            app.extensions["election_db"] = DatabaseState(engine, scoped_session(factory), replica)
            init_replica(app, engine, replica)
        else:
            app.extensions["election_db"] = DatabaseState(engine, scoped_session(sessionmaker(bind=engine)))

        @app.teardown_appcontext
        def _remove_session(_exc):
            app.extensions["election_db"].session.remove()

    @property
    def state(self) -> DatabaseState:
        return current_app.extensions["election_db"]

    @property
    def session(self) -> Session:
        return self.state.session()

    @property
    def engine(self) -> Engine:
        return self.state.engine


db = Database()


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """One use case = one transaction: commit on success, roll back and re-raise on any error."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
