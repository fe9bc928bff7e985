"""Flask extensions, created unbound and bound in create_app."""
from __future__ import annotations

from flask_login import LoginManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "warning"
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(user_id: str):
    """The session holds "id.generation" (User.get_id): a logout or a password change raises the user's
    generation, and every session still holding an older one is logged out here, on the server."""
    from election.core.db import db
    from election.core.page_cache import load_user_with_stamp

    try:
        uid, version = (int(part) for part in str(user_id).split("."))
    except (TypeError, ValueError):
        return None
    user = load_user_with_stamp(db.session, uid)
    if user is None or user.session_version != version:
        return None
    return user
