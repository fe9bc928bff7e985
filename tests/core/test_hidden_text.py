"""Invisible direction controls and zero-width characters are refused wherever text comes in: every form's text
fields (naming the field), the JSON API (naming the field of the body), and the spreadsheet readers (naming the row
and the column)."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from wtforms import FieldList, FormField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired

from election.core.forms import Form

RLO_NAME = "\u202e三张"          # shows as 张三, stored the other way round
ZWSP_NAME = "张\u200b三"


class PersonForm(Form):
    name = StringField("姓名（必填）", validators=[DataRequired()])
    note = TextAreaField("备注")
    password = PasswordField("密码")


class Inner(Form):
    unit = StringField("单位")


class Outer(Form):
    people = FieldList(FormField(Inner), min_entries=1)


def _form(app, cls, data):
    with app.test_request_context(method="POST", data=data):
        form = cls(meta={"csrf": False})
        ok = form.validate()
        return ok, form.errors


@pytest.mark.parametrize("bad", [RLO_NAME, ZWSP_NAME, "张三\ufeff", "\u2066张三\u2069", "张\u061c三"])
def test_a_form_refuses_hidden_characters_naming_the_field(app, bad):
    ok, errors = _form(app, PersonForm, {"name": bad, "note": "正常", "password": "x\u200by"})
    assert not ok and list(errors) == ["name"]
    assert errors["name"][0].startswith("姓名含有看不见的控制字符（U+")


def test_a_form_with_plain_text_passes(app):
    assert _form(app, PersonForm, {"name": "买买提·艾力", "note": "第一行\n第二行"}) == (True, {})


def test_nested_fields_are_checked_too(app):
    ok, errors = _form(app, Outer, {"people-0-unit": "城关\u200d街道"})
    assert not ok and "单位含有看不见的控制字符（U+200D）" in str(errors)


def test_the_api_refuses_hidden_characters_naming_the_field(client, make_user):
    import base64

    user = make_user("office")
    basic = {"Authorization": "Basic " + base64.b64encode(f"{user.username}:{_password()}".encode()).decode()}
    response = client.post("/api/v1/tokens", headers=basic, json={"name": "同步\u202e脚本", "days": 7})
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert details[0]["field"] == "name" and "name含有看不见的控制字符（U+202E）" in details[0]["message"]


def _password() -> str:
    from tests.conftest import TEST_PASSWORD

    return TEST_PASSWORD


def _sheet(header, *rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_directory_reader_names_row_and_column():
    from election.directory.readers import parse_directory_sheet
    from workflow.directory.tree import COLUMNS

    sheet = parse_directory_sheet(_sheet(COLUMNS, ["1", "区委", "党委"], ["2", ZWSP_NAME + "党委", "党委", "1"]))
    assert [(e.row, e.column) for e in sheet.errors] == [(3, "名称")]
    assert "名称含有看不见的控制字符（U+200B）" in sheet.errors[0].message and [r.code for r in sheet.records] == ["1"]


def test_the_accounts_reader_names_row_and_column():
    from election.accounts.readers import COLUMNS, parse_accounts_sheet

    rows, errors = parse_accounts_sheet(_sheet(COLUMNS, ["cg01", RLO_NAME, "推荐单位经办人", "101"]))
    assert rows == [] and [(e.row, e.column) for e in errors] == [(2, "姓名")]


def test_the_delegate_reader_names_row_and_column():
    from election.duties.services.delegates import parse_delegate_sheet

    header = ["姓名", "性别", "层级", "党代会届次", "任期开始", "任期结束", "选举单位"]
    parsed = parse_delegate_sheet(_sheet(header, [RLO_NAME, "男", "区", "区第十二次党代会", "2022-01-01",
                                                  "2026-12-31", "城关街道党工委"]), {}, {}, set())
    assert parsed.rows == [] and [(e.row, e.column) for e in parsed.errors] == [(2, "姓名")]


def test_the_nominee_reader_names_row_and_column():
    from datetime import date

    from election.nominations.columns import COLUMNS
    from election.nominations.readers import parse_nominee_sheet

    header = [c.header for c in COLUMNS]
    row = [""] * len(header)
    row[header.index("姓名")] = RLO_NAME
    result = parse_nominee_sheet(_sheet(header, row), allowed_categories=["工人"], today=date(2026, 3, 1))
    hidden = [e for e in result.errors if "看不见的控制字符" in e.message]
    assert [(e.row, e.column) for e in hidden] == [(2, "姓名")] and result.rows == []
