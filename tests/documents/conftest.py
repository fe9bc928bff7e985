"""Helpers to build sample documents and reopen the .docx bytes (python-docx and the raw XML parts)."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from election.documents.data import (
    BallotData,
    ContactOffice,
    NoticeData,
    NoticeKind,
    PersonRow,
    RegistrationFormData,
    ReportData,
    ReportSection,
    ReportStat,
    ResultReportData,
    ResultRound,
    VoteRow,
)

FONTS_CONF = Path(__file__).with_name("fonts.conf")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Already in 姓氏笔画 order (the reference test list); the renderers must keep it.
SORTED_NAMES = ["丁一", "于洋", "万里", "上官云", "马力", "王芳", "司马光", "乔丹", "刘伟", "李娜", "张伟", "陈静", "欧阳明"]
_UNITS = ["区教育局党组书记、局长", "区人民医院内科主任医师", "某某街道社区卫生服务中心护士长",
          "区城管执法局一中队队员", "某某科技有限公司高级工程师"]
_CATEGORIES = ["局级领导干部", "专业技术人员", "先进模范人物（工人）", "其他一线", "专业技术人员"]


def make_person(i: int = 0, name: str | None = None, category: str = "") -> PersonRow:
    return PersonRow(
        name=name or SORTED_NAMES[i % len(SORTED_NAMES)],
        gender="女" if i % 2 else "男",
        ethnicity="回族" if i % 7 == 3 else "汉族",
        birth_month=dt.date(1970 + i % 20, 1 + i % 12, 1),
        native_place="山东济南",
        education="大学本科",
        party_join=dt.date(1995 + i % 20, 7, 1),
        workplace_title=_UNITS[i % len(_UNITS)],
        category=category,
    )


def make_people(n: int, with_category: bool = False) -> list[PersonRow]:
    return [make_person(i, category=_CATEGORIES[i % 5] if with_category else "") for i in range(n)]


OFFICE = ContactOffice("区委组织部", "0571-12345678", "某市某区人民路1号（邮编310000）", "zzb@example.gov.cn")


def make_notice(n: int = 5, *, kind: NoticeKind = NoticeKind.second, intro: str = "", **kw) -> NoticeData:
    people = kw.pop("people", None) or make_people(n)
    return NoticeData(
        kind=kind,
        title=kw.pop("title", "关于出席中共某市第十二次代表大会代表初步人选的公示"),
        election_title="出席中国共产党某市第十二次代表大会代表",
        issuing_body="中共某区委",
        intro=intro,
        people=people,
        period_start=dt.date(2026, 3, 2),
        period_end=dt.date(2026, 3, 6),
        office=OFFICE,
        signature="中共某区委组织部",
        date=dt.date(2026, 3, 1),
        **kw,
    )


def make_form(name: str = "欧阳明") -> RegistrationFormData:
    return RegistrationFormData(
        title="出席中国共产党某市第十二次代表大会代表预备人选登记表",
        name=name, gender="男", ethnicity="汉族", birth_month=dt.date(1975, 3, 1), native_place="山东济南",
        party_join=dt.date(1998, 7, 1), work_start=dt.date(1997, 7, 1), education="大学本科 工学学士",
        workplace_title="某某科技有限公司高级工程师、党支部书记", category="专业技术人员", age=51,
        birthplace="山东济南", health="健康", professional_title="高级工程师",
        school_major="某某大学计算机系计算机科学与技术专业", recommending_unit="区科技园区党工委",
        resume=["1993.09—1997.07  某某大学计算机系计算机科学与技术专业学习",
                "1997.07—2005.03  某某科技有限公司技术员、工程师",
                "2005.03—  某某科技有限公司高级工程师，2015.01起任党支部书记"],
        rewards="2019年被评为区优秀共产党员", annual_reviews="2023年、2024年、2025年均为优秀",
        recommender_opinion="同意推荐。",
    )


def make_report() -> ReportData:
    return ReportData(
        title="关于确定出席中共某市第十二次代表大会代表预备人选的情况报告",
        addressee="市委组织部",
        intro=["根据市委关于做好出席市第十二次党代会代表选举工作的通知精神，现将我区代表预备人选确定情况报告如下。"],
        sections=[
            ReportSection("推荐提名情况", ["全区23个推荐单位共推荐人选391名。"]),
            ReportSection("考察和公示情况", [], [("考察情况", ["对24名考察对象进行了考察。"]),
                                            ("公示情况", ["两次公示期间共收到反映2件，均已核查办结。"])]),
        ],
        signature="中共某区委组织部",
        date=dt.date(2026, 3, 31),
        stats=[ReportStat("预备人选", 21), ReportStat("女性", 8, 21), ReportStat("少数民族", 1, 21),
               ReportStat("50岁以下", 11, 21), ReportStat("基层一线", 7, 14)],
        stats_title="预备人选结构情况",
        attachments=["预备人选名册", "预备人选登记表"],
    )


def make_result_report() -> ResultReportData:
    votes = [VoteRow("丁一", 290, 5, 5, elected=True), VoteRow("于洋", 155, 100, 45, elected=True),
             VoteRow("万里", 154, 100, 46), VoteRow("王五", 3, write_in=True)]
    r = ResultRound("第一轮选举", 308, 300, 300, 300, 297, 3, 2, 155, votes, "丁一、于洋得票超过应到会人数的半数，当选。")
    return ResultReportData(
        title="关于中共某区党代表会议选举结果的报告", addressee="市委组织部",
        intro=["2026年4月10日，中共某区党代表会议选举产生出席市第十二次党代会代表。"],
        rounds=[r], elected=["丁一", "于洋"], signature="中共某区委", date=dt.date(2026, 4, 10),
    )


def make_ballot(n: int = 21, write_in_lines: int = 5, **kw) -> BallotData:
    names = SORTED_NAMES + ["丁二", "于海", "万山", "马强", "王宁", "刘洋", "李强", "张敏", "陈刚", "欧阳少东", "买买提·艾力"]
    return BallotData(title="中共某区党代表会议选举出席中共某市第十二次代表大会代表选票", seats=16,
                      candidates=names[:n], write_in_lines=write_in_lines, seats_note="，不含市委提名", **kw)


# ------------------------------------------------------------------------------------------ reopening
def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def xml_parts(data: bytes) -> dict[str, str]:
    """Every XML part of the package, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def all_xml(data: bytes) -> str:
    return "\n".join(xml_parts(data).values())


def paragraph_texts(doc) -> list[str]:
    """Text of every paragraph in the body, tables included, in document order."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]


def _para_text(p) -> str:
    """A paragraph's text with line breaks (w:br) as "\n"."""
    out = []
    for el in p.iter(qn("w:t"), qn("w:br")):
        out.append("\n" if el.tag == qn("w:br") else el.text or "")
    return "".join(out)


def table_rows(doc, index: int = 0) -> list[list[str]]:
    """Cell texts of table ``index``: paragraphs and line breaks both as "\n"."""
    table = doc.element.body.findall(qn("w:tbl"))[index]
    return [["\n".join(_para_text(p) for p in tc.findall(qn("w:p"))) for tc in tr.findall(qn("w:tc"))]
            for tr in table.findall(qn("w:tr"))]


def text_runs(element):
    """Runs that print text (w:t), anywhere under ``element``."""
    return [r for r in element.iter(qn("w:r")) if r.find(qn("w:t")) is not None]


ID_18 = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


# ------------------------------------------------------------------------------------------ PDF
def soffice_or_skip() -> str:
    """Path of soffice; skip without it, but fail when CI is "true" (CI installs it)."""
    path = shutil.which("soffice")
    if path is None:
        msg = ("LibreOffice (soffice) is not installed; `apt-get install -y libreoffice-writer-nogui poppler-utils "
               "fonts-noto-cjk` to run the PDF page-count tests")
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


def convert_to_pdf(files: list[Path], outdir: Path) -> dict[str, Path]:
    """Convert .docx files to PDF in one soffice run with its own profile (one profile per conversion)."""
    soffice = soffice_or_skip()
    profile = Path(f"/tmp/lo-profile-{uuid.uuid4().hex}")
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(outdir), *map(str, files)],
            check=True, capture_output=True, timeout=240, env=env,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return {f.stem: outdir / f"{f.stem}.pdf" for f in files}


def pdf_page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))

