"""Forms of 考察, 公示 and complaints."""
from __future__ import annotations

from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from election.core.forms import Form

FILE_AUDIT_CHOICES = [("", "尚未审核"), ("passed", "审核通过"), ("issues", "存在问题")]
CONCLUSION_CHOICES = [("passed", "通过"), ("unfit", "不宜")]
CHANNEL_CHOICES = [("phone", "来电"), ("letter", "来信"), ("visit", "来访"), ("email", "电子邮件"), ("other", "其他")]
COMPLAINT_CONCLUSIONS = [("true", "属实"), ("partly", "部分属实"), ("false", "不属实"), ("unverifiable", "无法核实")]


class CnDateField(DateField):
    """A date field whose parse error is Chinese and says what to type."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(f"“{' '.join(valuelist)}”不是有效日期，请写作 2026-03-02") from None


_COUNT = [Optional(), NumberRange(min=0, max=100000, message="请填写0或正整数")]


class VettingForm(Form):
    file_audit = SelectField("档案审核（三龄两历一身份）", choices=FILE_AUDIT_CHOICES)
    file_audit_note = TextAreaField("档案审核发现的问题", validators=[Optional(), Length(max=2000)])
    petition_check = TextAreaField("信访举报核查情况", validators=[Optional(), Length(max=2000)])
    personal_report_check = TextAreaField("个人有关事项报告查核（领导干部）", validators=[Optional(), Length(max=2000)])
    appraisal_count = IntegerField("民主测评参加人数", validators=_COUNT)
    interview_count = IntegerField("个别谈话人数", validators=_COUNT)
    integrity_received = BooleanField("已收到本人廉洁自律情况说明")
    from_enterprise = BooleanField("企业人员（须听取行政执法、行业监管部门意见）")
    regulator_opinion = TextAreaField("行政执法、行业监管部门意见", validators=[Optional(), Length(max=2000)])


class DisciplineForm(Form):
    opinion = TextAreaField("纪检机关意见", validators=[DataRequired("请填写纪检机关意见"), Length(max=2000)])


class ConcludeForm(Form):
    conclusion = SelectField("考察结论", choices=CONCLUSION_CHOICES)
    reason = TextAreaField("理由（结论为“不宜”时必填）", validators=[Optional(), Length(max=2000)])


class AssignForm(Form):
    user_id = SelectField("考察组成员", coerce=int, choices=[], validate_choice=False)


class NoticeForm(Form):
    posted_on = CnDateField("公示发布日期", validators=[InputRequired("请填写公示发布日期（如 2026-03-02）")])
    office_name = StringField("受理单位", validators=[DataRequired("请填写受理单位"), Length(max=128)])
    office_phone = StringField("受理电话", validators=[DataRequired("请填写受理电话"), Length(max=64)])
    office_address = StringField("通信地址", validators=[DataRequired("请填写通信地址"), Length(max=256)])
    office_mailbox = StringField("电子邮箱或意见箱", validators=[DataRequired("请填写电子邮箱或意见箱"), Length(max=128)])
    backdate_reason = TextAreaField(
        "补登理由", validators=[Optional(), Length(max=500, message="补登理由不能超过500个字")],
        description="发布日期早于本阶段开始的日期、或比今天早2个工作日以上时必填（如“公示已于该日在单位张贴，现补录”）。")


class NoticeDraftForm(NoticeForm):
    """A 公示 draft as the office corrects it before publishing (the people are ticked boxes, nominee_id)."""

    title = StringField("公示标题", validators=[DataRequired("请填写公示标题"), Length(max=200, message="公示标题不能超过200个字")])


class ComplaintForm(Form):
    nominee_id = SelectField("被反映人", coerce=int, choices=[], validate_choice=False)
    channel = SelectField("反映方式", choices=CHANNEL_CHOICES)
    received_on = CnDateField("收到日期", validators=[InputRequired("请填写收到日期（如 2026-03-03）")])
    content = TextAreaField("反映内容", validators=[DataRequired("请填写反映内容"), Length(max=5000)])
    real_name = BooleanField("实名反映")


class ComplaintAssignForm(Form):
    user_id = SelectField("承办人", coerce=int, choices=[], validate_choice=False)


class ComplaintCheckForm(Form):
    findings = TextAreaField("核查情况", validators=[DataRequired("请填写核查情况"), Length(max=5000)])


class ComplaintConcludeForm(Form):
    conclusion = SelectField("核查结论", choices=COMPLAINT_CONCLUSIONS)
    effect = TextAreaField("处理意见（对被反映人的影响）", validators=[DataRequired("请填写处理意见"), Length(max=2000)])
