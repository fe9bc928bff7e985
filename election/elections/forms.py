"""Forms of the election set-up and the pipeline moves."""
from __future__ import annotations

import re

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

from election.core.exceptions import ServiceError
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


# --- the structure requirements as typed in a form with ``categories`` and ``rules`` (工作方案, 上级选举) ----------
def categories_text(categories: dict) -> str:
    return "\n".join(f"{parent}：{'、'.join(children)}" for parent, children in categories.items())


def parse_categories(text: str) -> dict:
    result = {}
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if "：" not in line and ":" not in line:
            raise ServiceError(f"身份类别第{n}行应写作“上级：下级1、下级2”")
        parent, _, rest = line.replace(":", "：").partition("：")
        result[parent.strip()] = [c.strip() for c in re.split(r"[、,，\s]+", rest) if c.strip()]
    return result


def rules_from_form(form) -> list[dict]:
    rules = []
    for n, row in enumerate(form.rules.entries, start=1):
        r = row.form
        if not r.kind.data:
            continue
        value = (r.value.data or "").strip()
        if r.kind.data in ("age_below", "age_at_most"):
            if not value.isdigit():
                raise ServiceError(f"结构要求第{n}行：年龄应填写整数，如 50")
            where = {r.kind.data: int(value)}
        elif r.kind.data == "category_in":
            where = {"category_in": [v for v in re.split(r"[、,，\s]+", value) if v]}
        else:
            where = {r.kind.data: value}
        rule = {"code": (r.code.data or f"rule{n}").strip(), "label": (r.rule_label.data or "").strip() or f"第{n}项",
                "where": where}
        for key in ("min", "max"):
            if getattr(r, key).data is not None:
                rule[key] = getattr(r, key).data
        for key in ("min_share", "max_share"):
            if (getattr(r, key).data or "").strip():
                rule[key] = getattr(r, key).data.strip()
        if len(rule) == 3:
            raise ServiceError(f"结构要求第{n}行：请至少填写一个下限或上限")
        rules.append(rule)
    return rules


def fill_rules(form, rules: list[dict]) -> None:
    for entry, rule in zip(form.rules.entries, rules):
        f = entry.form
        f.code.data, f.rule_label.data = rule.get("code"), rule.get("label")
        (kind, value), = rule["where"].items() if len(rule["where"]) == 1 else [("", "")]
        f.kind.data = kind
        f.value.data = "、".join(value) if isinstance(value, list) else str(value)
        for key in ("min", "max", "min_share", "max_share"):
            getattr(f, key).data = rule.get(key)
