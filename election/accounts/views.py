"""Logging in and out, and one's own password: a one-time password must be replaced before anything else."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from election.accounts.forms import FirstAdminForm, LoginForm, PasswordForm
from election.accounts.management import change_own_password
from election.accounts.services import authenticate, create_first_admin, has_admin, log_out
from election.core.clock import utcnow
from election.core.db import db
from election.core.exceptions import ServiceError

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
            if result.user.must_change_password:
                flash("这是一次性密码，请先设置您自己的新密码。", "warning")
                return redirect(url_for("auth.password"))
            flash(f"欢迎，{result.user.display_name}（{result.user.role_label}）", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("dashboard.index"))
        flash(result.message, "danger")
    # an empty system: the login page points to the first-run page, where the first admin is made
    return render_template("accounts/login.html", form=form, first_run=not has_admin(db.session))


@bp.post("/logout")
@login_required
def logout():
    log_out(db.session, current_user, utcnow())  # every session of the user ends, not only this browser's
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user = change_own_password(db.session, current_user, form.current.data, form.new.data, utcnow())
        except ServiceError as exc:
            field = form.current if exc.message == "当前密码不正确。" else form.new
            field.errors = [*field.errors, exc.message]
        else:
            login_user(user)  # this session carries the new generation; the others have ended
            flash("密码已修改。您在其他地方的登录已失效。", "success")
            return redirect(url_for("dashboard.index"))
    return render_template("accounts/password.html", form=form, forced=current_user.must_change_password), \
        200 if request.method == "GET" else 422


@bp.route("/setup", methods=["GET", "POST"])
def first_run():
    """系统初始化: only while the system has no admin at all; then it is gone (404)."""
    if has_admin(db.session):
        abort(404)
    form = FirstAdminForm()
    if form.validate_on_submit():
        try:
            user = create_first_admin(db.session, username=form.username.data, display_name=form.display_name.data,
                                      password=form.new.data, now=utcnow())
        except ServiceError as exc:
            form.new.errors = [*form.new.errors, exc.message]
        else:
            login_user(user)
            flash("已创建管理员账户。请按“系统初始化”的步骤继续：组织机构、账号、新建选举……", "success")
            return redirect(url_for("dashboard.index"))
    return render_template("accounts/first_run.html", form=form), 200 if request.method == "GET" else 422


FREE_WHILE_ONE_TIME = {"auth.password", "auth.logout", "auth.login", "static", "help.index", "help.chapter",
                       "help.image"}


@bp.before_app_request
def _one_time_password_first():
    """A user logged in with a one-time password sees only the page that replaces it."""
    if (current_user.is_authenticated and getattr(current_user, "must_change_password", False)
            and request.endpoint not in FREE_WHILE_ONE_TIME and not (request.blueprint or "").startswith("api")):
        flash("请先设置您自己的新密码。", "warning")
        return redirect(url_for("auth.password"))
    return None
