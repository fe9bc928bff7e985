from __future__ import annotations

import importlib

from flask import Flask

# one blueprint module per area; each exposes `bp`
BLUEPRINTS = ("auth", "dashboard", "elections", "units", "admin", "vetting", "voting", "duties", "api", "tasks", "help")


def register_blueprints(app: Flask) -> None:
    for name in BLUEPRINTS:
        try:
            module = importlib.import_module(f"election.blueprints.{name}")
        except ModuleNotFoundError as exc:  # an area still being written
            if exc.name != f"election.blueprints.{name}":
                raise
            continue
        app.register_blueprint(module.bp)
