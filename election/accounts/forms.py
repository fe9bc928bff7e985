"""Forms of one's own account: logging in, changing one's password."""
from __future__ import annotations

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from election.core.forms import Form


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
