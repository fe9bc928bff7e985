"""The 登记表 fields through the use cases: the one-by-one form stores them (line breaks kept), an upload
stores them, and the 登记表 (.docx, read back with python-docx) prints them. Both databases."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document
from sqlalchemy import select

from election.directory.models import ElectionUnit
from election.nominations import services as svc
from election.nominations.models import Nominee
from election.vetting.services import render_registration_document
from workflow.common.idcard import make_id

TODAY = date(2026, 2, 15)
NOW = datetime(2026, 2, 15, 2, 0)
RESUME = "1998.09—2002.07 某大学临床医学专业学习\n2002.07—2026.02 某区人民医院医师、主治医师、副主任医师"
VALUES = {"name": "钱晓红", "gender": "女", "ethnicity": "汉族", "id_number": make_id("110101", date(1980, 5, 6), 21, False),
          "birth_month": "1980-05", "native_place": "北京", "education": "大学本科", "party_join_date": "2002-07",
          "work_start_date": "2002-07", "workplace_title": "某区人民医院副主任医师", "category": "专业技术人员",
          "remark": "", "birthplace": "北京海淀", "health": "健康", "professional_title": "副主任医师",
          "resume": RESUME.replace("\n", "\r\n"), "rewards": "2020年被评为区优秀共产党员"}


@pytest.fixture
def unit(session, make_election, make_user):
    election = make_election(stage="nominate", units=1)
    eu = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)).one()
    user = make_user("unit", unit_id=eu.unit_id)
    session.commit()
    return election, eu, user


def test_form_stores_the_fields_and_the_form_prints_them(session, unit):
    election, eu, user = unit
    outcome = svc.add_nominee(session, user, eu.id, VALUES, TODAY, NOW)
    assert outcome.ok
    n = session.get(Nominee, outcome.nominee_id)
    assert (n.birthplace, n.health, n.professional_title, n.rewards) == ("北京海淀", "健康", "副主任医师",
                                                                         "2020年被评为区优秀共产党员")
    assert n.resume == RESUME  # CRLF from the browser stored as one line break
    edited = svc.update_nominee(session, user, n.id, {**VALUES, "health": "良好", "resume": ""}, TODAY, NOW)
    assert edited.ok and (n.health, n.resume) == ("良好", "")
    svc.update_nominee(session, user, n.id, VALUES, TODAY, NOW)

    eu.status, eu.submitted_at = "submitted", NOW  # the 推荐人选登记表 lists submitted units only
    session.commit()
    data = render_registration_document(session, election.id, "nominated", today=TODAY)
    table = Document(io.BytesIO(data)).tables[0]
    cells = {c.text for row in table.rows for c in row.cells}
    assert {"北京海淀", "健康", "副主任医师", "2020年被评为区优秀共产党员"} <= cells
    resume_cell = next(c for row in table.rows for c in row.cells if "临床医学" in c.text)
    assert [p.text for p in resume_cell.paragraphs if p.text] == RESUME.split("\n")


def test_form_refuses_an_over_long_field_with_the_column_name(session, unit):
    _, eu, user = unit
    outcome = svc.add_nominee(session, user, eu.id, {**VALUES, "health": "健" * 21}, TODAY, NOW)
    assert [(e.column, e.message) for e in outcome.errors] == [
        ("健康状况", "健康状况不能超过20个字（当前21个字），请精简")]


def test_older_rows_print_empty_fields(session, unit):
    election, eu, _user = unit
    n = Nominee(election_id=election.id, election_unit_id=eu.id, name="孙立", gender="男", ethnicity="汉族",
                id_number=make_id("110101", date(1975, 1, 2), 3, True), birth_date=date(1975, 1, 2),
                party_join_date=date(1998, 1, 1), category="其他一线")
    session.add(n)
    eu.status, eu.submitted_at = "submitted", NOW
    session.commit()
    session.refresh(n)
    assert (n.birthplace, n.resume, n.rewards) == ("", "", "")
    data = render_registration_document(session, election.id, "nominated", today=TODAY)
    assert Document(io.BytesIO(data)).tables[0].rows[0].cells[1].text == "孙立"
