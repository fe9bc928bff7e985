"""代表选举与履职管理系统: the Flask application."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    from election.cli import register_cli

    app = Flask(__name__)
    app.config.update(config or {})
    register_cli(app)
    return app
