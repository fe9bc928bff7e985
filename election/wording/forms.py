"""The wording form: the text with its two buttons (预览 shows it filled, 保存 stores it)."""
from __future__ import annotations

from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from election.core.forms import Form
from election.documents.wording import MAX_LENGTH


class WordingForm(Form):
    body = TextAreaField("措辞（每段一行，占位符见右侧表格）", validators=[
        DataRequired("请填写措辞；要使用系统默认措辞，请点击“恢复默认”"),
        Length(max=MAX_LENGTH * 2, message=f"措辞不能超过{MAX_LENGTH}个字")], render_kw={"rows": 16})
    preview = SubmitField("预览")
    save = SubmitField("保存")
