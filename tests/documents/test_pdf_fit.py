"""Documents fit to print, checked on the PDF that LibreOffice makes (fonts through tests/documents/fonts.conf):
no person's name wraps in a table (3- and 4-character names, long 工作单位及职务), no page holds only the 署名
and 成文日期, and a report prints each heading before its table.

poppler's ``pdftotext -layout`` gives each page's lines; a name whose cell wrapped ("于海/涛") is no longer on one
line. Skipped without soffice or pdftotext, failed instead when CI == "true".
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from election.documents.ballot import render_ballot
from election.documents.data import PersonRow
from election.documents.forms import render_registration_forms
from election.documents.notices import render_publicity_notice
from election.documents.reports import render_result_report, render_situation_report
from election.documents.rosters import render_roster, roster_from_people
from tests.documents.conftest import (
    convert_to_pdf,
    make_ballot,
    make_form,
    make_notice,
    make_report,
    make_result_report,
    soffice_or_skip,
)

NAMES = ["丁一", "于海涛", "万里", "上官云", "马晓东", "王芳", "司马相如", "乔丹", "刘建国", "李娜", "张志强",
         "陈静", "欧阳少东", "诸葛明亮", "买买提·艾力", "赵雪梅"]
POSTS = ["XX区XX街道党工委副书记、办事处主任", "区发展和改革局党组书记、局长", "某某市第一人民医院心血管内科主任医师",
         "区城市管理综合行政执法局一中队队员", "某某科技股份有限公司研发中心高级工程师", "某某镇某某村党支部书记、村委会主任"]
UNITS = ["区科技园区党工委", "区卫生健康系统直属党委", "城关街道党工委", "区教育系统直属党委"]
CATEGORIES = ["局级领导干部", "专业技术人员", "先进模范人物（工人）", "其他一线", "处级领导干部"]
PLACES = ["山东济南", "内蒙古呼和浩特", "浙江杭州", "新疆喀什"]
SIGNER = "中共某区委组织部"
INTRO = "经区委常委会研究，确定下列同志为出席中国共产党某市第十二次代表大会代表初步人选，现予公示。"


def _people(category: bool = False) -> list[PersonRow]:
    return [PersonRow(name=n, gender="女" if i % 2 else "男", ethnicity="维吾尔族" if "·" in n else "汉族",
                      birth_month=dt.date(1968 + i, 1 + i % 12, 1), native_place=PLACES[i % len(PLACES)],
                      education="研究生（硕士）" if i % 3 == 0 else "大学本科", party_join=dt.date(1990 + i, 7, 1),
                      workplace_title=POSTS[i % len(POSTS)],
                      category=CATEGORIES[i % len(CATEGORIES)] if category else "")
            for i, n in enumerate(NAMES)]


def _with_units(title: str, people: list[PersonRow], **kw):
    return roster_from_people(title, people, extra_columns=("推荐单位",),
                              extra_values=[(UNITS[i % len(UNITS)],) for i in range(len(people))], **kw)


NAME_DOCS = {
    "roster_portrait": lambda: render_roster(roster_from_people("初步人选名册", _people(), numbered=False)),
    "roster_numbered": lambda: render_roster(roster_from_people("考察对象名册", _people())),
    "roster_category": lambda: render_roster(roster_from_people("考察对象名册", _people(True))),
    "roster_units": lambda: render_roster(_with_units("推荐人选名册", _people(True))),
    "notice_category": lambda: render_publicity_notice(make_notice(people=_people(True))),
    "notice_plain": lambda: render_publicity_notice(make_notice(people=_people())),
    "ballot": lambda: render_ballot(replace(make_ballot(), candidates=tuple(NAMES))),
    "forms": lambda: render_registration_forms([make_form(n) for n in ("于海涛", "诸葛明亮", "买买提·艾力")]),
}


def _notice(n: int, intro_paragraphs: int) -> bytes:
    people = _people()[:n]
    return render_publicity_notice(make_notice(people=people, intro="\n".join([INTRO] * intro_paragraphs)))


def _report(extra: int) -> bytes:
    data = make_report()
    return render_situation_report(replace(data, intro=tuple(data.intro) + (INTRO * 2,) * extra))


def _result_report(extra: int) -> bytes:
    data = make_result_report()
    return render_result_report(replace(data, intro=tuple(data.intro) + (INTRO * 2,) * extra))


# Notices of 1..8 names with 0, 2 or 4 opening paragraphs, and reports with 0..7 extra paragraphs: the page
# boundary falls at every point of the ending somewhere in this set (measured: without the keep, the 4-name
# notice with two opening paragraphs put only the 署名 and date on page 2).
ENDING_DOCS = {
    **{f"notice_{n}_{k}": (lambda n=n, k=k: _notice(n, k)) for n in range(1, 9) for k in (0, 2, 4)},
    **{f"report_{k}": (lambda k=k: _report(k)) for k in range(8)},
    **{f"result_{k}": (lambda k=k: _result_report(k)) for k in range(0, 8, 2)},
}
SIGNERS = {"notice": SIGNER, "report": SIGNER, "result": "中共某区委"}


def _poppler_or_skip() -> None:
    if shutil.which("pdftotext") is None:
        msg = "poppler-utils (pdftotext) is not installed; `apt-get install -y poppler-utils` to run the PDF checks"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)


def _pages(pdf: Path) -> list[list[str]]:
    """Each page's non-empty lines, spaces removed (pdftotext puts spaces between CJK and ASCII runs)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()] for page in pages]


def _render_all(docs: dict, tmp: Path) -> dict[str, list[list[str]]]:
    soffice_or_skip()
    _poppler_or_skip()
    files = []
    for name, build in docs.items():
        path = tmp / f"{name}.docx"
        path.write_bytes(build())
        files.append(path)
    return {name: _pages(pdf) for name, pdf in convert_to_pdf(files, tmp).items()}


@pytest.fixture(scope="module")
def name_pdfs(tmp_path_factory) -> dict[str, list[list[str]]]:
    return _render_all(NAME_DOCS, tmp_path_factory.mktemp("names"))


@pytest.fixture(scope="module")
def ending_pdfs(tmp_path_factory) -> dict[str, list[list[str]]]:
    return _render_all(ENDING_DOCS, tmp_path_factory.mktemp("endings"))


@pytest.mark.parametrize("doc", NAME_DOCS)
def test_pdf_every_name_printed_whole_on_one_line(name_pdfs, doc):
    lines = [line for page in name_pdfs[doc] for line in page]
    expected = ("于海涛", "诸葛明亮", "买买提·艾力") if doc == "forms" else NAMES
    broken = [n for n in expected if not any(n in line for line in lines)]
    assert not broken, f"{doc}: names wrapped or missing: {broken}"


@pytest.mark.parametrize("doc", ["roster_portrait", "roster_numbered", "roster_category", "roster_units"])
def test_pdf_roster_long_posts_take_at_most_two_lines(name_pdfs, doc):
    """"XX区XX街道党工委副书记、办事处主任" whole on one line, or split once: a roster turns landscape rather than
    wrap a cell onto three lines. (pdftotext prints a one-line cell of the same row between the two halves.)"""
    post = POSTS[0]
    lines = [line for page in name_pdfs[doc] for line in page]
    whole = any(post in line for line in lines)
    pairs = [*itertools.pairwise(lines), *zip(lines, lines[2:])]
    split = any(post[:k] in a and post[k:] in b for a, b in pairs for k in range(1, len(post)))
    assert whole or split, f"{doc}: the post wraps onto three or more lines"


def _is_page_number(line: str) -> bool:
    return re.fullmatch(r"—\d+—", line) is not None


@pytest.mark.parametrize("doc", ENDING_DOCS)
def test_pdf_no_page_holds_only_the_signature_and_date(ending_pdfs, doc):
    pages = ending_pdfs[doc]
    signer = SIGNERS[doc.split("_")[0]]
    last = [line for line in pages[-1] if not _is_page_number(line)]
    assert last[-2:][0] == signer and re.fullmatch(r"20\d\d年\d{1,2}月\d{1,2}日", last[-1]), last[-3:]
    body = [line for line in last[:-2]]
    assert body, f"{doc}: page {len(pages)} holds only the 署名 and date"


def test_pdf_the_boundary_is_crossed_in_the_sample(ending_pdfs):
    """The set above is only a test if some notices and reports run onto a second page."""
    counts = {name: len(pages) for name, pages in ending_pdfs.items()}
    assert any(c > 1 for n, c in counts.items() if n.startswith("notice"))
    assert any(c > 1 for n, c in counts.items() if n.startswith("report"))


@pytest.mark.parametrize("doc", [f"report_{k}" for k in range(8)])
def test_pdf_report_heading_printed_before_its_table(ending_pdfs, doc):
    lines = [line for page in ending_pdfs[doc] for line in page]
    heading = next(i for i, line in enumerate(lines) if "预备人选结构情况" in line)
    table = next(i for i, line in enumerate(lines) if line.startswith("项目") and "人数" in line)
    assert heading < table
    page_of = [p for p, page in enumerate(ending_pdfs[doc]) for _ in page]
    assert page_of[heading] == page_of[table], f"{doc}: heading and table on different pages"


def test_pdf_quota_report_heading_then_table(tmp_path):
    from election.quotas.services import ComplianceReport, RuleRow, render_report_docx

    rows = (RuleRow("women", "女性", "至少7名", 8, True, 6, False, 2),
            RuleRow("grassroots", "基层一线（先进模范人物）", "至少6名（不少于1/3）", 9, True, 9, True, 0))
    report = ComplianceReport("出席中国共产党某市第十二次代表大会代表", "shortlist", "考察对象", 16, 24, rows,
                              safe=False, feasible=True, conflicts=(), message="", suggestions=(), critical=(),
                              reference=dt.date(2026, 4, 10))
    path = tmp_path / "quota.docx"
    path.write_bytes(render_report_docx(report, dt.date(2026, 3, 1)))
    soffice_or_skip()
    _poppler_or_skip()
    lines = [line for page in _pages(convert_to_pdf([path], tmp_path)["quota"]) for line in page]
    heading = next(i for i, line in enumerate(lines) if "一、各项结构要求" in line)
    table = next(i for i, line in enumerate(lines) if line.startswith("项目"))
    conclusion = next(i for i, line in enumerate(lines) if "二、结论" in line)
    assert heading < table < conclusion


@pytest.mark.parametrize("doc", [f"result_{k}" for k in range(0, 8, 2)])
def test_pdf_result_report_round_heading_and_figures_stay_with_the_vote_table(ending_pdfs, doc):
    pages = ending_pdfs[doc]
    heading = next(p for p, page in enumerate(pages) if any("一、第一轮选举" in line for line in page))
    table = next(p for p, page in enumerate(pages) if any(line.startswith("序号姓名赞成票") for line in page))
    assert heading == table, f"{doc}: round heading on page {heading + 1}, its table on page {table + 1}"
