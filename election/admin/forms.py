"""Forms of the admin pages: a new user, the audit filter."""
from __future__ import annotations

from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from election.core.forms import Form
from election.core.roles import ROLE_LABELS


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter

    object_type = StringField("对象类型", validators=[Optional(), Length(max=32)])
    object_id = StringField("对象编号", validators=[Optional(), Length(max=32)])
    actor = StringField("操作人", validators=[Optional(), Length(max=64)])


class UserForm(Form):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64, message="用户名不超过64个字符")])
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名"), Length(max=64)])
    password = PasswordField("初始密码", validators=[DataRequired("请输入初始密码"),
                                                   Length(min=8, message="密码至少需要8个字符")])
    role = SelectField("角色", choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    unit_id = SelectField("所属推荐单位（推荐单位经办人必填）", coerce=int, choices=[], validate_choice=False)
    office_id = SelectField("所属党代表工作室（工作室人员必填）", coerce=int, choices=[], validate_choice=False)
    submit = SubmitField("创建用户")
