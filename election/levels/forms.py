"""Forms of the upper committee's set-up pages: the congress (with the election plan's structure rows and category
text, read by the same helpers), a 市委提名人选, the assignment, 关联已有选举 and the allocation sheet upload."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import FieldList, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from election.core.forms import Form
from election.elections.forms import DateField, RuleRowForm
from workflow.pipeline.stages import PIPELINE


class CongressForm(Form):
    title = StringField("上级选举名称", validators=[DataRequired("请填写上级选举名称"), Length(max=200)],
                        render_kw={"placeholder": "如：出席市第十二次党代会代表选举"})
    organisation_id = SelectField("组织选举的上级党委", coerce=int, choices=[])
    seats = IntegerField("代表名额（全市）", validators=[InputRequired("请填写代表名额"),
                                                  NumberRange(min=1, message="代表名额应为正整数")])
    age_reference_date = DateField("年龄计算基准日", validators=[Optional()])
    categories = TextAreaField("身份类别（每行“上级：下级1、下级2”）", validators=[Optional()])
    rules = FieldList(FormField(RuleRowForm), min_entries=10, max_entries=20)


for _stage in PIPELINE:
    setattr(CongressForm, f"due_{_stage.value}", DateField(f"{_stage.label}截止日期", validators=[Optional()]))


class NomineeForm(Form):
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=64)])
    gender = SelectField("性别", choices=[("男", "男"), ("女", "女")])
    ethnicity = StringField("民族", default="汉族", validators=[Optional(), Length(max=16)])
    birth_date = DateField("出生日期", validators=[InputRequired("请填写出生日期（如 1970-01-01）")])
    category = SelectField("身份类别", choices=[])
    workplace_title = StringField("工作单位及职务", validators=[Optional(), Length(max=200)])
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000)])


class AssignForm(Form):
    congress_unit_id = SelectField("分配到选举单位", coerce=int, choices=[])


class LinkForm(Form):
    congress_unit_id = IntegerField(validators=[InputRequired()])
    election_id = IntegerField(validators=[InputRequired("请选择已有选举")])


class SheetForm(Form):
    file = FileField("名额分配表（.xlsx）")
