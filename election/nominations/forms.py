"""Forms of the recommending units' self-service: upload, one nominee, statistics, 退回."""
from __future__ import annotations

from typing import ClassVar

from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from election.core.forms import Form
from workflow.common.vocab import EDUCATION_LEVELS, ETHNICITIES, GENDER_LABELS


class UploadForm(Form):
    file = FileField("选择填好的名单文件（.xlsx，不超过5 MB）", validators=[FileRequired("请选择要上传的.xlsx文件")])


class NomineeForm(Form):
    """One person; the values are checked by the same rules as an uploaded row (check_nominee_fields)."""

    name = StringField("姓名", validators=[Optional(), Length(max=30, message="姓名不能超过30个字")])
    gender = SelectField("性别", choices=[("", "请选择")] + [(g, g) for g in GENDER_LABELS])
    ethnicity = SelectField("民族", choices=[("", "请选择")] + [(e, e) for e in ETHNICITIES])
    id_number = StringField("身份证号", validators=[Optional(), Length(max=30)])
    birth_month = StringField("出生年月", validators=[Optional(), Length(max=20)], render_kw={"placeholder": "如1975-03"})
    native_place = StringField("籍贯", validators=[Optional(), Length(max=40)], render_kw={"placeholder": "如山东济南"})
    education = SelectField("学历", choices=[("", "请选择")] + [(e, e) for e in EDUCATION_LEVELS])
    party_join_date = StringField("入党时间", validators=[Optional(), Length(max=20)],
                                  render_kw={"placeholder": "如1998-07"})
    work_start_date = StringField("参加工作时间", validators=[Optional(), Length(max=20)],
                                  render_kw={"placeholder": "如1997-08（可不填）"})
    workplace_title = StringField("工作单位及职务", validators=[Optional(), Length(max=100)])
    category = SelectField("身份类别", choices=[], validate_choice=False)
    remark = StringField("备注", validators=[Optional(), Length(max=200)])
    # printed on the 登记表; the limits are checked with the upload's rules (columns.COLUMNS)
    birthplace = StringField("出生地", validators=[Optional(), Length(max=40)], render_kw={"placeholder": "如山东济南（可不填）"})
    health = StringField("健康状况", validators=[Optional(), Length(max=20)], render_kw={"placeholder": "如健康（可不填）"})
    professional_title = StringField("专业技术职务", validators=[Optional(), Length(max=40)],
                                     render_kw={"placeholder": "如高级工程师（可不填）"})
    resume = TextAreaField("简历（每段经历一行）", validators=[Optional(), Length(max=2000)], render_kw={"rows": 6})
    rewards = TextAreaField("奖惩情况", validators=[Optional(), Length(max=600)], render_kw={"rows": 2})

    # the sheet's column names → the form's fields, for showing RowError next to its field
    COLUMN_FIELDS: ClassVar[dict[str, str]] = {"姓名": "name", "性别": "gender", "民族": "ethnicity", "身份证号": "id_number",
                     "出生年月": "birth_month", "籍贯": "native_place", "学历": "education",
                     "入党时间": "party_join_date", "参加工作时间": "work_start_date",
                     "工作单位及职务": "workplace_title", "身份类别": "category", "备注": "remark",
                     "出生地": "birthplace", "健康状况": "health", "专业技术职务": "professional_title",
                     "简历": "resume", "奖惩情况": "rewards"}

    def values(self) -> dict[str, str]:
        return {f: (getattr(self, f).data or "") for f in self.COLUMN_FIELDS.values()}


class StatisticsForm(Form):
    participating_orgs = IntegerField("参加推荐的基层党组织数", validators=[
        InputRequired("请填写参加推荐的基层党组织数"), NumberRange(min=0, message="不能为负数")])
    participating_members = IntegerField("参加推荐的党员数", validators=[
        InputRequired("请填写参加推荐的党员数"), NumberRange(min=0, message="不能为负数")])
    summary_text = TextAreaField("工作小结", validators=[Optional(), Length(max=20000, message="工作小结不超过20000字")])


class ReopenForm(Form):
    reason = TextAreaField("退回理由（必填）", validators=[DataRequired("请填写退回理由"), Length(max=500)])
    until = DateField("允许修改至（已过截止日期时必填）", validators=[Optional()])
