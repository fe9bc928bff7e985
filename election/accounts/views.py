from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from election.accounts.forms import LoginForm
from election.accounts.services import authenticate
from election.core.clock import utcnow
from election.core.db import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(db.session, form.username.data, form.password.data, utcnow(),
                              max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                              lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        if result.ok:
            login_user(result.user)
            flash(f"欢迎，{result.user.display_name}（{result.user.role_label}）", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("dashboard.index"))
        flash(result.message, "danger")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))
