"""The scheduler's minutely job for background tasks: a task whose worker died (no heartbeat for
``runner.HEARTBEAT_TIMEOUT``) is marked failed, so its owner sees 失败 within minutes even without opening it."""
from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask

log = logging.getLogger(__name__)


def fail_stale(app: Flask | None = None, now: datetime | None = None) -> int:
    """Idempotent: marks failed what has lost its worker since the last run; returns how many."""
    from election.core.clock import utcnow
    from election.core.db import db
    from election.notifications import jobs
    from election.tasks.runner import fail_stale_tasks

    app = app or jobs._scheduler_app   # a job stored by reference gets no arguments: the scheduler's app
    if app is None:
        raise RuntimeError("fail_stale needs the app: call it with one, or from the scheduler build_scheduler made")
    with app.app_context():
        count = fail_stale_tasks(db.session, now or utcnow())
    if count:
        log.info("%s background tasks lost their worker and were marked failed", count)
    return count
