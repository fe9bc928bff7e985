"""Forms of one's own account: logging in, changing one's password; the 所属组织 choices of the admin's user forms."""
from __future__ import annotations

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from election.core.db import db
from election.core.forms import Form
from election.directory import queries as directory
from election.directory.models import Organisation
from election.directory.scope import org_scope
from workflow.directory.tree import STUDIO


class LoginForm(Form):
    username = StringField("用户名", validators=[DataRequired("请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])
    submit = SubmitField("登录")


class PasswordForm(Form):
    current = PasswordField("当前密码（首次登录时为通知单上的一次性密码）", validators=[DataRequired("请输入当前密码")])
    new = PasswordField("新密码（至少10个字符，不能是用户名，不能是常见或有规律的密码）",
                        validators=[DataRequired("请输入新密码"), Length(max=200, message="新密码不超过200个字符")])
    again = PasswordField("再次输入新密码", validators=[DataRequired("请再次输入新密码"),
                                                  EqualTo("new", message="两次输入的新密码不一致")])


class FirstAdminForm(Form):
    username = StringField("管理员用户名", validators=[DataRequired("请填写用户名"), Length(max=64)])
    display_name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=64)])
    new = PasswordField("密码（至少10个字符，不能是用户名，不能是常见或有规律的密码）",
                        validators=[DataRequired("请输入密码"), Length(max=200)])
    again = PasswordField("再次输入密码", validators=[DataRequired("请再次输入密码"),
                                                EqualTo("new", message="两次输入的密码不一致")])


def organisation_choices(actor, current: int | None = None) -> list[tuple[int, str]]:
    """所属组织: the organisations of the directory in force, indented by level — all of them with 全系统 first for a
    管理员 of the whole installation; only his own part for a limited one (who cannot give 全系统)."""
    part = org_scope(actor)
    nodes = directory.tree_rows(db.session, within=part)
    choices = ([] if part is not None else [(0, "（全系统）")]) + \
        [(n.org.id, "　" * n.depth + f"{n.org.name}（{n.org.code}）") for n in nodes if n.org.category != STUDIO]
    if current and current not in {c for c, _ in choices}:
        org = db.session.get(Organisation, current)
        if org is not None:
            choices.append((org.id, org.name + ("（已撤销）" if org.retired_at else "")))
    return choices


def in_part(units_or_offices, part: frozenset[int] | None) -> list:
    return [x for x in units_or_offices if part is None or x.organisation_id in part]
