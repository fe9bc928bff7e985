from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from election.blueprints import admin, auth, dashboard, elections, units

    for module in (auth, dashboard, elections, units, admin):
        app.register_blueprint(module.bp)
