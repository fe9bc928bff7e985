"""The rendered heavy pages, kept per worker until the data changes.

The office overview, an election's page with its quota panel, a unit's list and the yearly ranking each read
thousands of rows; read far more often than anything changes, they are rendered once per *data stamp* and
served from memory until the stamp moves. The stamp is the newest audit hash — every change of the data is one
service call that appends exactly one hash-chained audit entry in its own transaction, and the hash
covers the whole history, so two equal stamps mean the same data — plus the user, the URL, the local date
(working days left, overdue marks) and the user's unread reminders (notifications are the one write without an
audit entry of its own). The stamp and the unread count come in one SQL statement.

What must not be shared is put back per request: the CSRF token in the cached HTML is a placeholder replaced by
this session's token. Pages with a pending flash message, and any answer but a 200 HTML page, are not kept.

Each worker keeps its own LRU (``PAGE_CACHE_SIZE`` pages, 0 = off); nothing is shared between processes, so
there is nothing to invalidate: a worker that missed a change sees a new stamp on its next request. Data changed
outside the services (a restore, hand-written SQL) needs a restart of the app servers (docs/deploy.md).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session

from election.core.clock import today_local

PLACEHOLDER = "\x1ecsrf-token\x1e"  # a control character: never in rendered HTML of its own
_EXTENSION = "page_cache"
_STAMP = "election.page_stamp"


class LRU:
    """A small thread-safe LRU mapping (gunicorn's gthread workers serve several requests at once)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def init_page_cache(app: Flask) -> None:
    size = int(app.config.get("PAGE_CACHE_SIZE", 0) or 0)
    app.extensions[_EXTENSION] = LRU(size) if size > 0 else None


def page_cache() -> LRU | None:
    return current_app.extensions.get(_EXTENSION)


@cache
def _statements():
    """(user + stamp, stamp alone), built once: composing the SELECT per request cost more than running it."""
    from election.accounts.models import User
    from election.audit.models import AuditEntry
    from election.notifications.services import unread_query

    uid = bindparam("uid")
    newest = select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1).scalar_subquery()
    unread = unread_query(uid).scalar_subquery()
    return select(User, newest, unread).where(User.id == uid), select(newest, unread)


def load_user_with_stamp(session: Session, user_id: int):
    """Flask-Login's loader: the user, the newest audit hash and the unread reminders in one statement, so a
    page served from the cache costs one statement.

    On PostgreSQL it runs on its own autocommit connection — one round trip, where the session's connection
    would add a BEGIN and a ROLLBACK — and the user joins the request's session without a query
    (``merge(load=False)``); the session opens its own transaction only if the page goes on to read or write.
    A session bound to a connection (the tests' outer transaction) reads through the session."""
    bind = session.get_bind(clause=_statements()[0])  # the replica's connection on a page that reads it
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        with bind.connect() as conn, Session(conn.execution_options(isolation_level="AUTOCOMMIT")) as side:
            row = side.execute(_statements()[0], {"uid": user_id}).first()
        if row is not None:
            row = (session.merge(row[0], load=False), row[1], row[2])
    else:
        row = session.execute(_statements()[0], {"uid": user_id}).first()
    if row is None:
        return None
    if has_request_context():
        request.environ[_STAMP] = (row[1], row[2])
    return row[0]


def request_stamp() -> tuple[str | None, int]:
    """(newest audit hash, the user's unread reminders), read once per request (an app context, and its g, may
    outlive one request, so the request's environ keeps it)."""
    stamp = request.environ.get(_STAMP)
    if stamp is None:
        from election.core.db import db

        stamp = request.environ[_STAMP] = tuple(db.session.execute(_statements()[1], {"uid": current_user.id}).one())
    return stamp


def unread_from_stamp() -> int | None:
    """The unread count read with the stamp for the layout's bell, or None. Only for GET: a POST may have just
    created reminders of its own."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return None
    stamp = request.environ.get(_STAMP)
    return None if stamp is None else stamp[1]


def cached_page(*, form: bool = False) -> Callable:
    """Serve the view's HTML from the worker's cache while the data stamp is unchanged.

    ``form=True`` for a POST that only computes (the quota panel as boxes are ticked): the submitted fields,
    less the CSRF token, join the key; the token was already checked before the view."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            cache = page_cache()
            if cache is None or not current_user.is_authenticated or "_flashes" in session:
                return view(*args, **kwargs)
            fields = ()
            if form:
                fields = tuple(sorted((k, tuple(v)) for k, v in request.form.lists() if k != "csrf_token"))
            key = (request.endpoint, request.full_path, fields, current_user.id, today_local(), request_stamp())
            body = cache.get(key)
            if body is not None:
                return Response(_with_token(body), mimetype="text/html")
            response = current_app.make_response(view(*args, **kwargs))
            if (response.status_code == 200 and response.mimetype == "text/html" and not response.direct_passthrough
                    and "_flashes" not in session and not response.headers.getlist("Set-Cookie")):
                html = response.get_data(as_text=True)
                token = g.get("csrf_token")
                cache.put(key, html.replace(token, PLACEHOLDER) if token else html)
            return response

        return wrapper

    return decorate


def _with_token(body: str) -> str:
    if PLACEHOLDER not in body:
        return body
    from flask_wtf.csrf import generate_csrf

    return body.replace(PLACEHOLDER, generate_csrf())
