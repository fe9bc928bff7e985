"""年会 forms (the session's own pages: the session, its agenda, 列席, materials, sign-in, groups)."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from election.assembly.services.sessions import AGENDA_LABELS
from election.core.fields import LenientDateField
from election.core.forms import Form
from workflow.assembly.quorum import PRESETS


class SessionForm(Form):
    organisation_id = SelectField("党委", coerce=int, validate_choice=False, validators=[Optional()])
    congress = SelectField("党代会（届次）", validate_choice=True, validators=[InputRequired()])
    meeting_no = IntegerField("第几次会议", validators=[InputRequired(), NumberRange(min=1, max=99)])
    title = StringField("会议名称（留空则自动生成）", validators=[Optional(), Length(max=200)])
    opens_on = LenientDateField("开幕日期", validators=[InputRequired()], require_day=True)
    closes_on = LenientDateField("闭幕日期", validators=[InputRequired()], require_day=True)
    place = StringField("会议地点", validators=[Optional(), Length(max=200)])
    notice_days = IntegerField("提前几天发出通知", default=7, validators=[InputRequired(), NumberRange(min=0, max=60)])
    quorum_preset = SelectField("到会人数规则", choices=[(k, r.label) for k, r in PRESETS.items()], validate_choice=True)
    quorum_num = IntegerField("到会比例（分子，留空按规则）", validators=[Optional(), NumberRange(min=1, max=100)])
    quorum_den = IntegerField("到会比例（分母）", validators=[Optional(), NumberRange(min=1, max=100)])
    quorum_inclusive = SelectField("恰好达到比例时", choices=[("", "按规则"), ("1", "可以召开（含本数）"),
                                                       ("0", "不能召开（须超过）")], validate_choice=True)
    self_sign_in = BooleanField("允许代表本人签到")
    proposals_open_on = LenientDateField("提案征集开始日期", validators=[Optional()], require_day=True)
    proposals_close_on = LenientDateField("提案征集截止日期", validators=[Optional()], require_day=True)


class AgendaForm(Form):
    item_id = HiddenField()
    kind = SelectField("议程类别", choices=list(AGENDA_LABELS.items()), validate_choice=True)
    title = StringField("议程名称（留空按类别）", validators=[Optional(), Length(max=200)])
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


class ItemForm(Form):
    """A button acting on one row (an agenda item, a guest, a material, a delegate …) named in the body."""
    item_id = IntegerField(validators=[InputRequired("请选择要操作的事项")])
    direction = HiddenField()


class GuestForm(Form):
    name = StringField("姓名", validators=[InputRequired(), Length(max=64)])
    workplace = StringField("工作单位及职务", validators=[Optional(), Length(max=200)])
    reason = StringField("列席理由", validators=[Optional(), Length(max=200)])


class MaterialForm(Form):
    title = StringField("材料名称（留空用文件名）", validators=[Optional(), Length(max=200)])
    file = FileField("文件")


class LeaveForm(Form):
    delegate_id = IntegerField("代表", validators=[InputRequired("请选择代表")])
    reason = StringField("请假理由", validators=[InputRequired(), Length(max=200)])


class DelegateForm(Form):
    delegate_id = IntegerField("代表", validators=[InputRequired("请选择代表")])


class GroupForm(Form):
    name = StringField("组名", validators=[InputRequired(), Length(max=64)])


class MinutesForm(Form):
    minutes = TextAreaField("讨论纪要", validators=[Optional(), Length(max=20000)])
