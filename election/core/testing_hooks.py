"""Test-only crash points: the server is killed in the middle of an import and of a stage move.

Inert unless ELECTION_TESTING_CRASH_HOOKS=1. Production never loads this module: the crash tests start
gunicorn with ``'election.core.testing_hooks:create_hooked_app()'`` instead of ``election.wsgi:app``.

With the hooks on and ELECTION_TESTING_CRASH_AT=<audit action> (e.g. ``nominations.import``), the worker that
is about to commit that use case — its changes and its audit row already flushed inside the open transaction —
writes ELECTION_TESTING_CRASH_MARKER (a file path) and sleeps, so the test can SIGKILL the server at exactly
that point. Nothing is committed; after the restart the data must be as before the request.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

ENABLED_ENV = "ELECTION_TESTING_CRASH_HOOKS"
POINT_ENV = "ELECTION_TESTING_CRASH_AT"
MARKER_ENV = "ELECTION_TESTING_CRASH_MARKER"
SLEEP_SECONDS = 120.0


def enabled() -> bool:
    return os.environ.get(ENABLED_ENV) == "1"


def install(app: Flask) -> None:
    """Register the crash point on every session of this process (only when the hooks are enabled)."""
    if not enabled() or app.extensions.get("election_crash_hooks"):
        return
    point = os.environ.get(POINT_ENV, "")
    marker = os.environ.get(MARKER_ENV, "")
    if not point or not marker:
        return

    @event.listens_for(Session, "after_flush")
    def _pause_before_commit(session: Session, _flush_context) -> None:
        from election.audit.models import AuditEntry

        if any(isinstance(obj, AuditEntry) and obj.action == point for obj in session.new):
            Path(marker).write_text(f"{os.getpid()}\n", encoding="utf-8")
            time.sleep(SLEEP_SECONDS)  # the test kills the server during this sleep

    app.extensions["election_crash_hooks"] = True


def create_hooked_app() -> Flask:
    """gunicorn entry for the crash tests: the normal app, plus the crash point when enabled."""
    from election import create_app

    app = create_app()
    install(app)
    return app
