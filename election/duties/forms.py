"""Forms of 代表任期履职."""
from __future__ import annotations

from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from election.core.forms import Form
from workflow.duties.delegate_status import DelegateStatus, StatusReason

GRADE_CHOICES = [("", "（不适用）"), ("very_satisfied", "非常满意"), ("satisfied", "基本满意"), ("unsatisfied", "不满意")]


class ActivityForm(Form):
    delegate_id = SelectField("代表", coerce=int, choices=[], validate_choice=False)
    type_code = SelectField("活动类型", choices=[], validators=[DataRequired("请选择活动类型")])
    on = DateField("活动日期", validators=[InputRequired("请填写活动日期，如 2026-03-15")])
    place = StringField("地点", validators=[Optional(), Length(max=200, message="地点不超过200个字")])
    description = TextAreaField("活动内容", validators=[DataRequired("请简要描述活动内容"),
                                                     Length(max=2000, message="活动内容不超过2000个字")])
    people = StringField("参与人员/服务对象", validators=[Optional(), Length(max=500, message="不超过500个字")])
    grade = SelectField("群众满意度（诉求解决类填写）", choices=GRADE_CHOICES, validators=[Optional()])
    files = MultipleFileField("照片或附件（jpg/png/pdf/docx，每个不超过5 MB）")


class ReturnForm(Form):
    reason = TextAreaField("退回理由", validators=[DataRequired("请填写退回理由"), Length(max=500)])


class PetitionForm(Form):
    office_id = SelectField("受理工作室", coerce=int, choices=[], validate_choice=False)
    delegate_id = SelectField("代理/办理代表", coerce=int, choices=[], validate_choice=False)
    resident_name = StringField("群众姓名", validators=[DataRequired("请填写群众姓名"), Length(max=64)])
    resident_phone = StringField("联系电话", validators=[Optional(), Length(max=32)])
    content = TextAreaField("诉求内容", validators=[DataRequired("请填写诉求内容"), Length(max=4000)])


class PetitionMoveForm(Form):
    target = StringField(validators=[DataRequired()])
    receiver = StringField("接待人", validators=[Optional(), Length(max=64)])
    handler = StringField("承办单位或承办人", validators=[Optional(), Length(max=128)])
    reply = TextAreaField("答复内容", validators=[Optional(), Length(max=4000)])
    grade = SelectField("群众满意度", choices=GRADE_CHOICES, validators=[Optional()])
    feedback_note = StringField("无法回访的原因", validators=[Optional(), Length(max=500)])
    archive_note = TextAreaField("归档说明", validators=[Optional(), Length(max=1000)])
    reason = TextAreaField("重新办理理由", validators=[Optional(), Length(max=1000)])


class ProposalForm(Form):
    kind = SelectField("类型", choices=[("proposal", "提案"), ("motion", "提议")])
    lead_delegate_id = SelectField("领衔代表", coerce=int, choices=[], validate_choice=False)
    cosigner_ids = SelectMultipleField("联署代表（可多选）", coerce=int, choices=[], validate_choice=False)
    title = StringField("案由", validators=[DataRequired("请填写案由"), Length(max=200)])
    grounds = TextAreaField("案据", validators=[DataRequired("请填写案据"), Length(max=4000)])
    solution = TextAreaField("方案", validators=[DataRequired("请填写方案"), Length(max=4000)])
    submitted_on = DateField("提出日期", validators=[InputRequired("请填写提出日期")])
    handling_unit = StringField("承办单位", validators=[Optional(), Length(max=128)])


class ReplyForm(Form):
    handling_unit = StringField("承办单位", validators=[DataRequired("请填写承办单位"), Length(max=128)])
    reply = TextAreaField("答复内容", validators=[DataRequired("请填写答复内容"), Length(max=4000)])
    replied_on = DateField("答复日期", validators=[InputRequired("请填写答复日期")])


class AssessForm(Form):
    assessment = SelectField("对答复的评价", choices=GRADE_CHOICES[1:])


class SummaryForm(Form):
    text = TextAreaField("个人履职总结", validators=[DataRequired("请填写个人履职总结"), Length(max=8000)])


class RatingForm(Form):
    delegate_id = IntegerField(validators=[InputRequired()])
    part_code = SelectField("部分", choices=[])
    rating = SelectField("等次", choices=[(r, r) for r in ("优秀", "良好", "合格", "不合格")])
    body = StringField("评定机关", validators=[Optional(), Length(max=128)])
    comment = StringField("评语", validators=[Optional(), Length(max=500)])


class NominateForm(Form):
    unit_name = StringField(validators=[DataRequired()])
    delegate_ids = SelectMultipleField("推荐人选", coerce=int, choices=[], validate_choice=False)


class ImportForm(Form):
    file = FileField("代表名册（.xlsx）")


class StatusForm(Form):
    target = SelectField("变更为", choices=[(s.value, s.label) for s in DelegateStatus if s is not DelegateStatus.serving])
    reason = SelectField("原因", choices=[(r.value, r.label) for r in StatusReason])
    issuer = StringField("决定机关", validators=[Optional(), Length(max=128)])
    doc_no = StringField("决定文号", validators=[Optional(), Length(max=64)])
    decided_on = DateField("决定日期", validators=[Optional()])
    filed_upward_to = StringField("报备上级党组织", validators=[Optional(), Length(max=128)])


class ByElectionForm(Form):
    unit_id = SelectField("选举单位（原单位）", coerce=int, choices=[], validate_choice=False)
    start = DateField("开始日期", validators=[InputRequired("请填写补选开始日期")])
    title = StringField("补选名称", validators=[Optional(), Length(max=200)])


class AssignForm(Form):
    target = StringField(validators=[DataRequired()])  # office:<id> | level:<市/区/镇>
    code = SelectField("履职规则", choices=[])


class TypeRowForm(Form):
    class Meta:
        csrf = False

    code = StringField("代码", validators=[Optional(), Length(max=32)])
    label = StringField("名称", validators=[Optional(), Length(max=32)])
    points = StringField("分值", validators=[Optional(), Length(max=100)])
    yearly_cap = IntegerField("年度上限", validators=[Optional(), NumberRange(min=0, message="不能为负数")])
    group = StringField("类别", validators=[Optional(), Length(max=32)])
    co_signer_code = StringField("联署计分类型", validators=[Optional(), Length(max=32)])


class RequirementRowForm(Form):
    class Meta:
        csrf = False

    code = StringField("代码", validators=[Optional(), Length(max=32)])
    label = StringField("名称", validators=[Optional(), Length(max=64)])
    min_count = IntegerField("至少次数", validators=[Optional(), NumberRange(min=1, message="至少1次")])
    period = SelectField("周期", choices=[("", "（不使用）"), ("month", "每月"), ("quarter", "每季度"), ("half_year", "每半年"),
                                        ("year", "每年")], validate_choice=False)
    types = StringField("活动类型代码（顿号分隔）", validators=[Optional(), Length(max=200)])


class RuleSetForm(Form):
    version_from = DateField("新版本生效日期", validators=[InputRequired("请填写生效日期")])
    name = StringField("名称", validators=[DataRequired("请填写名称"), Length(max=64)])
    publication = SelectField("公布周期", choices=[("month", "每月"), ("quarter", "每季度"), ("half_year", "每半年")])
    types = FieldList(FormField(TypeRowForm), min_entries=18, max_entries=40)
    requirements = FieldList(FormField(RequirementRowForm), min_entries=6, max_entries=20)


class TransferForm(Form):
    """「转入代表名册」: the congress (by default from the election's title), its date and the term's years."""
    congress = StringField("党代会届次", validators=[Optional(), Length(max=128, message="届次名称不超过128个字")])
    term_start = DateField("任期开始（党代会召开日期）", validators=[InputRequired("请填写任期开始日期，如 2026-12-01")])
    years = IntegerField("任期（年）", default=5, validators=[InputRequired("请填写任期年数"),
                                                          NumberRange(1, 10, "任期年数应为1至10年")])
