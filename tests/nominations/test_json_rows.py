"""A list sent as JSON (PUT /election-units/{id}/nominees) is checked without writing and reading a workbook
(readers.parse_nominee_rows), with exactly the outcome of the same list written into the template's sheet
(api.sheet_from_json, read by parse_nominee_sheet): the same clean rows, errors with their row numbers, and notes."""
from __future__ import annotations

import random
from datetime import date

import pytest

from election.nominations.api import sheet_from_json
from election.nominations.readers import parse_nominee_rows, parse_nominee_sheet
from workflow.common.idcard import make_id

CATEGORIES = ["局级领导干部", "处级领导干部", "工人", "农民", "专业技术人员", "其他先进模范", "其他一线"]
TODAY = date(2026, 12, 5)


def person(i: int) -> dict:
    born = date(1970 + i % 20, 1 + i % 12, 1 + i % 28)
    female = i % 3 == 0
    return {"name": "王李张刘陈杨"[i % 6] + "伟芳娜敏静丽强"[i // 6 % 7] + "华"[: i // 42 % 2], "gender": "女" if female else "男",
            "ethnicity": "汉族", "id_number": make_id("110101", born, i % 500, not female),
            "birth_month": f"{born:%Y-%m}", "native_place": "山东济南", "education": "大学本科",
            "party_join_date": f"{born.year + 24}-07", "work_start_date": f"{born.year + 22}-08",
            "workplace_title": f"某单位职务{i}", "category": CATEGORIES[i % len(CATEGORIES)]}


CHANGES = [
    lambda p: p.update(name=" " + p["name"] + " "), lambda p: p.update(resume="一九九五年\r\n二〇〇一年\r二〇一〇年\n"),
    lambda p: p.update(id_number=p["id_number"][:-1] + ("0" if p["id_number"][-1] != "0" else "1")),
    lambda p: p.update(gender="未知"), lambda p: p.update(birth_month="1975/3"), lambda p: p.update(category="其他"),
    lambda p: p.pop("name"), lambda p: p.update(name="   "), lambda p: p.update(education=""),
    lambda p: p.update(party_join_date="2030-01"), lambda p: p.update(workplace_title="=SUM(A1)"),
    lambda p: p.update(remark="  备注 "), lambda p: p.update(ethnicity="汉"), lambda p: p.update(birth_month="1975-3"),
    lambda p: p.update(native_place="ｓｈａｎｄｏｎｇ"), lambda p: p.update(name="王\u200b伟"),
    lambda p: [p.pop(k) for k in list(p)] and p.update(name="填表人：张三"),
]


def outcome(result):
    return result.rows, result.errors, result.notes, result.sheet_name, result.header_row


@pytest.mark.parametrize("seed", range(4))
def test_json_rows_are_checked_as_the_same_sheet(seed):
    rng = random.Random(seed)
    errors_seen = 0
    for _ in range(60):
        people = [person(rng.randrange(3000)) for _ in range(rng.randrange(1, 8))]
        if len(people) > 1 and rng.random() < 0.3:
            people[-1] = dict(people[0])  # the same person twice
        for p in people:
            if rng.random() < 0.4:
                rng.choice(CHANGES)(p)
        expected = parse_nominee_sheet(sheet_from_json(people), allowed_categories=CATEGORIES, today=TODAY)
        got = parse_nominee_rows(people, allowed_categories=CATEGORIES, today=TODAY)
        assert outcome(got) == outcome(expected), people
        errors_seen += bool(expected.errors)
    assert errors_seen > 10  # the cases did reach the checks' refusals
