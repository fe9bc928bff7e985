"""代表选举与履职管理系统: the Flask application factory."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from election.core.config import PROJECT_DIR, DefaultConfig, check_production_config

TEMPLATES_DIR = PROJECT_DIR / "templates"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    from election.areas import VIEW_MODULES, import_all
    from election.audit.keys import configure as configure_audit_keys
    from election.commands.app import register_cli
    from election.core.db import db
    from election.core.errors import register_error_handlers
    from election.core.extensions import csrf, login_manager
    from election.core.page_cache import init_page_cache
    from election.core.security import register_security
    from election.directory.scope import register_org_scope
    from election.core.web import register_template_helpers

    app = Flask(__name__, template_folder=str(TEMPLATES_DIR), instance_path=str(PROJECT_DIR / "instance"))
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("ELECTION")
    app.config.update(config or {})
    check_production_config(app.config)
    configure_audit_keys(app.config)

    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    for module in import_all(VIEW_MODULES):
        app.register_blueprint(module.bp)
    register_error_handlers(app)
    register_template_helpers(app)
    register_security(app)
    register_org_scope(app)
    init_page_cache(app)
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:  # behind nginx: the client's scheme, host and address from its X-Forwarded-* headers
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    register_cli(app)
    return app
