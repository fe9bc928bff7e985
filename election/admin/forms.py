"""Forms of the admin pages: a new user, the audit filter, the holiday table (by hand or from the notice)."""
from __future__ import annotations

from wtforms import DateField, IntegerField, PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from election.audit.labels import OBJECT_LABELS
from election.core.forms import Form
from election.core.roles import ROLE_LABELS


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter

    actor = StringField("操作人", validators=[Optional(), Length(max=64, message="操作人不超过64个字符")])
    object_type = SelectField("对象类型", choices=[("", "（全部）")] + sorted(OBJECT_LABELS.items(), key=lambda kv: kv[1]),
                              validate_choice=False)
    object_name = StringField("对象", validators=[Optional(), Length(max=64, message="对象名称不超过64个字符")])
    object_id = StringField("对象编号", validators=[Optional(), Length(max=32, message="对象编号不超过32个字符")])
    date_from = DateField("起始日期", validators=[Optional()])
    date_to = DateField("截止日期", validators=[Optional()])


class UserForm(Form):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64, message="用户名不超过64个字符")])
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名"), Length(max=64)])
    password = PasswordField("初始密码（一次性：用户首次登录须改为自己的密码）",
                             validators=[DataRequired("请输入初始密码"), Length(min=10, message="密码至少需要10个字符")])
    role = SelectField("角色", choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    unit_id = SelectField("所属推荐单位（推荐单位经办人必填）", coerce=int, choices=[], validate_choice=False)
    office_id = SelectField("所属党代表工作室（工作室人员必填）", coerce=int, choices=[], validate_choice=False)
    organisation_id = SelectField("所属组织（上级组织部门必填；不选为全系统）", coerce=int, choices=[],
                                  validate_choice=False)
    submit = SubmitField("创建用户")


class HolidayForm(Form):
    year = IntegerField("年份", validators=[InputRequired("请填写年份"), NumberRange(min=2000, max=2100)])
    holidays = TextAreaField("放假日期（每行一个，或用“至”连接起止日期，如 2027-10-01至2027-10-07）")
    workdays = TextAreaField("调休上班日期（周六或周日，每行一个）")


class HolidayNoticeForm(Form):
    """The State Council's notice pasted whole: 识别 shows the days on a calendar, 确认保存 stores the year."""

    text = TextAreaField("通知全文（国务院办公厅关于××××年部分节假日安排的通知）",
                         validators=[DataRequired("请粘贴通知全文"), Length(max=20000, message="通知全文不超过20000字")])
