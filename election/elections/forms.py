"""Forms of the election set-up and the pipeline moves."""
from __future__ import annotations

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from election.core.fields import LenientDateField
from election.core.forms import Form
from workflow.pipeline.stages import PIPELINE


def DateField(label, validators=None, **kw):
    """A full date typed as 2019-04-10, 2019.4.10, 2019年4月10日 or 20190410 (forms forgive)."""
    kw.setdefault("render_kw", {}).setdefault("placeholder", "如 2019-04-10")
    return LenientDateField(label, validators, require_day=True, **kw)


RULE_KINDS = [("", "（不使用）"), ("gender", "性别为"), ("ethnicity_not", "民族不是"), ("age_below", "年龄低于（周岁）"),
              ("age_at_most", "年龄不超过（周岁）"), ("category_in", "身份类别属于")]


class RuleRowForm(Form):
    class Meta:
        csrf = False

    code = StringField("代码", validators=[Optional(), Length(max=32)])
    rule_label = StringField("名称", validators=[Optional(), Length(max=32)])
    kind = SelectField("条件", choices=RULE_KINDS, validate_choice=True)
    value = StringField("条件值", validators=[Optional(), Length(max=64)])
    min = IntegerField("至少（名）", validators=[Optional(), NumberRange(min=0, message="不能为负数")])
    max = IntegerField("至多（名）", validators=[Optional(), NumberRange(min=0, message="不能为负数")])
    min_share = StringField("至少（比例）", validators=[Optional(), Length(max=16)])
    max_share = StringField("至多（比例）", validators=[Optional(), Length(max=16)])


class ElectionForm(Form):
    title = StringField("选举名称", validators=[DataRequired("请填写选举名称"), Length(max=200)])
    level = SelectField("层级", choices=[(x, x) for x in ("省", "市", "区", "县", "乡镇", "基层")], default="区")
    electing_body = StringField("选举单位", validators=[Optional(), Length(max=128)])
    convening_body = StringField("上级党委", validators=[Optional(), Length(max=128)])
    seats = IntegerField("应选名额（不含上级提名）", validators=[InputRequired("请填写应选名额"),
                                                       NumberRange(min=1, message="应选名额应为正整数")])
    higher_nominated_seats = IntegerField("上级提名名额（另计）", default=0,
                                          validators=[Optional(), NumberRange(min=0, message="不能为负数")])
    voters = IntegerField("应到会代表数", validators=[Optional(), NumberRange(min=1, message="应为正整数")])
    preset = SelectField("选举办法预设", choices=[("地方组织", "地方组织选举工作条例"), ("基层组织", "基层组织选举工作条例")])
    age_reference_date = DateField("年龄计算基准日", validators=[Optional()],
                                   render_kw={"placeholder": "默认为选举日"})
    margin_unit_list = StringField("推荐差额比例（不低于）", default="50%", validators=[DataRequired("请填写")])
    margin_final_ballot = StringField("正式选举差额比例（不低于）", default="20%", validators=[DataRequired("请填写")])
    shortlist_count = IntegerField("考察对象人数（计划）", validators=[Optional(), NumberRange(min=0)])
    preliminary_count = IntegerField("初步人选人数（计划）", validators=[Optional(), NumberRange(min=0)])
    quorum = StringField("会议有效人数比例", default="1/2")
    quorum_strict = BooleanField("须“超过”该比例（不勾选为“不少于”）", default=True)
    majority_base = SelectField("当选票数基数", choices=[("eligible", "应到会代表（地方组织）"), ("present", "实到会代表（基层组织）")])
    pad_single_given_name = BooleanField("单名按“姓＋空格＋名”排序（王　宁 排在 王大明 之前）")
    categories = TextAreaField("身份类别（每行“上级：下级1、下级2”）", validators=[Optional()])
    rules = FieldList(FormField(RuleRowForm), min_entries=10, max_entries=20)


class CopyForm(Form):
    source_id = SelectField("复制自", coerce=int, choices=[])
    title = StringField("新选举名称", validators=[DataRequired("请填写新选举名称"), Length(max=200)])
    shift_days = IntegerField("时间安排整体顺延（天）", default=0, validators=[Optional()])


class TimelineForm(Form):
    pass


for _stage in PIPELINE:
    setattr(TimelineForm, _stage.value, DateField(f"{_stage.label}截止日期", validators=[Optional()]))


class MoveForm(Form):
    version = HiddenField()
    reason = TextAreaField("理由", validators=[Optional(), Length(max=2000)])
    target = HiddenField()


class DecisionForm(Form):
    kind = HiddenField(validators=[DataRequired()])
    body = StringField("决定机关 / 会议", validators=[DataRequired("请填写决定机关或会议名称"), Length(max=128)])
    held_on = DateField("日期", validators=[InputRequired("请填写日期（如 2019-03-01）")])
    doc_number = StringField("文号 / 纪要号", validators=[DataRequired("请填写文号或会议纪要号"), Length(max=64)])


class ExemptForm(Form):
    reason = StringField("免报理由", validators=[DataRequired("请填写免报理由"), Length(max=500)])
