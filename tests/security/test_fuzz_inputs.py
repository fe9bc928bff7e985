"""Bad input: hypothesis-generated spreadsheets and form fields.

- spreadsheets with wrong types, huge cells, formulas, control characters, emoji, right-to-left marks, mixed
  scripts and missing sheets go to ``parse_nominee_sheet`` and to the import use case: nothing but the documented
  ``SheetRejected`` escapes, every message is Chinese, and a refused or faulty file writes nothing;
- every form's fields, posted through the test client: never a 500;
- names containing ``<script>`` or ``{{ }}`` come out as text in pages and in .docx documents.
At least 1,000 generated cases per run (the figure is printed at the end of the run).
"""
from __future__ import annotations

import importlib
import io
import pkgutil
import re
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

import election
from election.core.config import PROJECT_DIR
from election.core.roles import Role
from election.core.xlsx import SheetRejected
from election.nominations.columns import COLUMNS
from election.nominations.readers import parse_nominee_sheet
from tests.security import conftest as sec
from tests.security.authz_table import TABLE

CATEGORIES = ("局级领导干部", "处级及以下干部", "专业技术人员", "企业人员", "工人", "农民", "社区工作者")
TODAY = date(2026, 5, 6)
GOOD = (PROJECT_DIR / "tests" / "data" / "good.xlsx").read_bytes()
CJK = re.compile(r"[\u4e00-\u9fff]")
def fuzz(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def is_chinese(message: str) -> bool:
    return bool(message) and CJK.search(message) is not None


# ------------------------------------------------------------------------------------------------ strategies
HOSTILE = [
    "=1+1", "=HYPERLINK(\"http://evil.example\",\"点我\")", "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3",
    "\u202e王芳\u202c", "\u200f李娜\u200e", "\u2066张伟\u2069", "😀", "👨‍👩‍👧‍👦王", "Иван王Smith", "ﾃｽﾄ",
    "<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}", "'; DROP TABLE nominees; --", "王_x0007_芳",
    "_x0000_", "\t\n\r", "　", "\ufeff欧阳", "𠀀𪚥", "X" * 300, "长" * 5000, "0", "-1", "1e309", "NaN",
    "1975-13", "1975-00-32", "19750308", "1975年3月", "110101197503081234", "11010119750308123X",
]
texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(min_size=0, max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=("Lo", "So", "Cf", "Zs", "Mn")), max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=10)),
)
cells = st.one_of(
    texts, st.none(), st.integers(-10**12, 10**18), st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(), st.dates(date(1800, 1, 1), date(2100, 12, 31)),
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)),
)
LABELS = [c.header for c in COLUMNS]


def _xl(value):
    """Control characters as Excel writes them in the XML (_x0007_); reading turns them back into characters."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


@st.composite
def workbooks(draw) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = draw(st.sampled_from(["推荐人选", "Sheet1", "说明", "名单😀", "\u202e名单"]))
    layout = draw(st.sampled_from(["full", "shuffled", "missing_columns", "no_header", "title_row", "empty"]))
    header = list(LABELS)
    if layout == "shuffled":
        header = draw(st.permutations(LABELS))
    elif layout == "missing_columns":
        header = [h for h in LABELS if draw(st.booleans())]
    if layout == "title_row":
        ws.append([_xl(draw(texts))])
    if layout not in ("no_header", "empty"):
        ws.append(header + [_xl(t) for t in draw(st.lists(texts, max_size=2))])
    if layout != "empty":
        for _ in range(draw(st.integers(0, 4))):
            row = [_xl(draw(cells)) for _ in header]
            ws.append(row)
    if draw(st.booleans()):
        extra = wb.create_sheet(draw(st.sampled_from(["说明", "选项", "Sheet2", "隐藏"])))
        extra.append([_xl(draw(texts))])
        if draw(st.booleans()):
            extra.sheet_state = "hidden"
    buf = io.BytesIO()
    try:
        wb.save(buf)
    except Exception:  # noqa: BLE001 - openpyxl refuses some values itself (e.g. huge text): use a plain sheet
        buf = io.BytesIO()
        Workbook().save(buf)
    data = buf.getvalue()
    return _mutate(draw, data)


SHARE = 100_000


def _mutate(draw, data: bytes) -> bytes:
    """Sometimes damage the file: truncate it, flip bytes, or drop the worksheet part (a missing sheet)."""
    how = draw(st.sampled_from(["none", "none", "none", "truncate", "flip", "drop_sheet"]))
    # positions are drawn as a share of the file: its length varies with the save time (the zip's compressed
    # timestamps), and a strategy whose bounds depend on it makes Hypothesis replay a case differently
    if how == "truncate":
        return data[: draw(st.integers(0, SHARE)) * len(data) // SHARE]
    if how == "flip":
        pos = draw(st.integers(0, SHARE - 1)) * len(data) // SHARE
        return data[:pos] + bytes([data[pos] ^ 0xFF]) + data[pos + 1:]
    if how == "drop_sheet":
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                if not info.filename.startswith("xl/worksheets/"):
                    dst.writestr(info, src.read(info))
        return out.getvalue()
    return data


raw_files = st.one_of(
    st.binary(max_size=2048),
    st.builds(lambda n: GOOD[:n], st.integers(0, len(GOOD))),
    st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "姓名,性别\n".encode(),
                     b"<html><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></html>"]),
)


# ------------------------------------------------------------------------------------------------ the parser
def _parse_checked(data: bytes) -> None:
    sec.FIGURES["bad_inputs"] += 1
    try:
        result = parse_nominee_sheet(data, allowed_categories=CATEGORIES, today=TODAY, unit_name="甲方本单位党工委")
    except SheetRejected as exc:
        assert is_chinese(exc.message), exc.message
        return
    for e in result.errors:
        assert is_chinese(e.message), e
        assert is_chinese(str(e))
    for note in result.notes:
        assert is_chinese(str(note)), note


@fuzz(450)
@given(workbooks())
def test_fuzz_spreadsheet_parser_rejects_only_in_chinese(data):
    _parse_checked(data)


def test_fuzz_id_number_cell_with_infinity_or_nan_is_a_row_error():
    """Found by the fuzzer: a number cell holding inf/NaN in 身份证号 must be a Chinese row error, not a crash."""
    for value in (1.7976931348623157e308, float("inf"), float("nan")):  # the first reads back as inf
        wb = Workbook()
        ws = wb.active
        ws.append(LABELS)
        ws.append(["王芳", "女", "汉族", value, "1975-03", "北京", "大学本科", "1998-07", "", "区委办主任", CATEGORIES[0], ""])
        buf = io.BytesIO()
        wb.save(buf)
        _parse_checked(buf.getvalue())


@fuzz(250)
@given(raw_files)
def test_fuzz_non_spreadsheet_bytes_are_refused_in_chinese(data):
    _parse_checked(data)


# ------------------------------------------------------------------------------------------------ the import use case
def test_fuzz_import_use_case_writes_nothing_on_rejection(app, session, world):
    """Through the nominations service: a refused or faulty file leaves the unit's list and the audit log as
    they were; an accepted one replaces the list whole."""
    nominations = pytest.importorskip("election.nominations.services")
    from election.accounts.models import User
    from election.audit.models import AuditEntry
    from election.directory.models import ElectionUnit
    from election.elections.models import Election
    from election.nominations.models import Nominee

    eu_id = world.own["election_unit"]
    election = session.get(Election, session.get(ElectionUnit, eu_id).election_id)
    election.stage = "nominate"
    session.commit()
    actor_id = world.users[Role.unit]

    def snapshot():
        names = tuple(session.scalars(select(Nominee.name).where(Nominee.election_unit_id == eu_id)
                                      .order_by(Nominee.position, Nominee.id)))
        audits = session.scalar(select(func.count()).select_from(AuditEntry)
                                .where(AuditEntry.action == "nominations.import"))
        return names, audits

    @fuzz(120)
    @given(st.one_of(workbooks(), raw_files))
    def run(data):
        sec.FIGURES["bad_inputs"] += 1
        before = snapshot()
        actor = session.get(User, actor_id)
        try:
            outcome = nominations.import_nominee_file(session, actor, eu_id, data, TODAY, datetime(2026, 5, 6, 2))
        except Exception as exc:  # noqa: BLE001 - only the service's own Chinese errors may come out
            from election.core.exceptions import ServiceError

            assert isinstance(exc, ServiceError), repr(exc)
            assert is_chinese(exc.message)
            assert snapshot() == before
            return
        if outcome.ok:
            names, audits = snapshot()
            assert len(names) == outcome.stored_count and audits == before[1] + 1
        else:
            assert snapshot() == before, "被拒绝的文件不得写入任何推荐人选"
            assert outcome.refusal == "" or is_chinese(outcome.refusal)
            assert all(is_chinese(e.message) for e in outcome.errors)

    run()


# ------------------------------------------------------------------------------------------------ every form
def _form_field_names() -> list[str]:
    from flask_wtf import FlaskForm

    names: set[str] = set()
    for mod in pkgutil.walk_packages(election.__path__, "election."):
        if not mod.name.endswith((".forms", ".fields")):  # every area's forms module and the core's
            continue
        module = importlib.import_module(mod.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, FlaskForm) and obj is not FlaskForm:
                for attr in dir(obj):
                    field = getattr(obj, attr, None)
                    if getattr(field, "field_class", None) is not None:
                        names.add(attr)
    return sorted(names | {"nominee_id", "nominee_ids", "action", "decision", "step", "election_id", "year"})


FIELD_VALUES = st.one_of(texts, st.integers(-2**40, 2**40).map(str), st.dates().map(str),
                         st.sampled_from(["", "0", "-1", "2026-02-30", "9999-99-99", "on", "true", "[]", "{}"]))


def test_fuzz_every_form_field_never_500(app, world, role_clients, isolated):
    from tests.security.test_authz_matrix import _endpoints, build_url

    fields = _form_field_names()
    posts = sorted(e for e, m in _endpoints(app).items() if "POST" in m and e in TABLE and TABLE[e].post is not None
                   and TABLE[e].post.probe_allowed and not e.startswith("tasks.start"))  # no background threads
    failures: list[str] = []

    @fuzz(300)
    @given(st.sampled_from(posts), st.sampled_from([Role.admin, Role.office, Role.unit, Role.studio, Role.teller]),
           st.dictionaries(st.sampled_from(fields), FIELD_VALUES, max_size=8), st.sampled_from(["own", "other"]),
           st.binary(max_size=300))
    def run(endpoint, role, data, variant, blob):
        sec.FIGURES["bad_inputs"] += 1
        url = build_url(app, world, role, endpoint, variant)
        if endpoint.endswith(("upload", "import")):
            data = {**data, "file": (io.BytesIO(blob), "名单.xlsx")}
        client = role_clients[role]

        def go():
            return client.post(url, data=data).status_code

        status = isolated(go)
        if status >= 500:
            failures.append(f"{role.value} POST {url} {sorted(data)} -> {status}")

    run()
    assert not failures, "\n".join(failures[:30])


# ------------------------------------------------------------------------------------------------ names as text
EVIL_NAME = "<script>alert(1)</script>{{ 7*7 }}"


def test_script_and_template_names_are_shown_as_text_in_pages(app, session, world, role_clients, isolated):
    from election.directory.models import Unit
    from election.elections.models import Election
    from election.nominations.models import Nominee

    session.get(Nominee, world.own["nominee"]).name = EVIL_NAME
    session.get(Unit, world.own["unit"]).name = "单位<b onmouseover=alert(2)>{{ config }}"
    session.get(Election, world.own["election"]).title = "选举<img src=x onerror=alert(3)>{{ 7*7 }}"
    session.commit()
    pages = [f"/elections/{world.own['election']}", f"/units/{world.own['election_unit']}",
             f"/vetting/people/{world.own['nominee']}", f"/vetting/{world.own['election']}",
             f"/vetting/{world.own['election']}/print/shortlisted"]
    for url in pages:
        def fetch(u=url):
            r = role_clients[Role.admin].get(u)
            return r.status_code, r.get_data(as_text=True)

        status, body = isolated(fetch)
        assert status == 200, url
        raw_tags = [t for t in ("<script>alert(1)", "<img src=x", "<b onmouseover") if t in body]
        assert not raw_tags, f"{url}: 未转义的标签 {raw_tags}"
        assert "{{ 7*7 }}" in body or "{{ config }}" in body, url  # shown literally, not evaluated
        assert "SECRET_KEY" not in body and "test-secret-key" not in body, url
    body = isolated(lambda: role_clients[Role.admin].get(pages[2]).get_data(as_text=True))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in body


def test_script_and_template_names_are_text_in_docx(app, session, world, role_clients, isolated):
    from docx import Document

    from election.nominations.models import Nominee

    session.get(Nominee, world.own["nominee"]).name = EVIL_NAME
    session.commit()
    for url in (f"/vetting/{world.own['election']}/docs/roster-shortlisted.docx",  # documents/rosters.py
                f"/vetting/notices/{world.own['notice']}.docx"):  # documents/notices.py
        data = isolated(lambda u=url: role_clients[Role.admin].get(u).get_data())
        doc = Document(io.BytesIO(data))
        text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells) + "\n".join(
            p.text for p in doc.paragraphs)
        assert EVIL_NAME in text, url  # the literal name: not run as a template, not dropped
        assert "49" not in text.replace(EVIL_NAME, ""), url
