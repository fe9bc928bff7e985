"""Forms of the directory pages: an organisation, its retirement, a sheet to import."""
from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from election.core.forms import Form
from workflow.directory.tree import CATEGORIES


class OrganisationForm(Form):
    code = StringField("编码", validators=[DataRequired("请填写编码"), Length(max=32, message="编码不超过32个字符")])
    name = StringField("名称", validators=[DataRequired("请填写名称"), Length(max=128, message="名称不超过128个字符")])
    category = SelectField("类别", choices=[(c, c) for c in CATEGORIES])
    parent_code = StringField("上级编码（最上级的选举单位不填）", validators=[Optional(), Length(max=32)])
    grassroots_orgs = IntegerField("基层党组织数", default=0,
                                   validators=[InputRequired("请填写基层党组织数（没有填0）"),
                                               NumberRange(min=0, message="应为0或正整数")])
    members = IntegerField("党员数", default=0, validators=[InputRequired("请填写党员数（没有填0）"),
                                                          NumberRange(min=0, message="应为0或正整数")])
    contact_person = StringField("联系人", validators=[Optional(), Length(max=64)])
    contact_phone = StringField("联系电话", validators=[Optional(), Length(max=32)])


class RetireForm(Form):
    reason = TextAreaField("撤销原因", validators=[DataRequired("请写明撤销原因"), Length(max=500)])


class ImportForm(Form):
    file = FileField("组织机构表（.xlsx）", validators=[FileRequired("请选择要导入的文件")])
