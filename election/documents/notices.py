"""公示 (public notices): the first in each person's unit, the second region-wide (docs/rules.md §2 stages 5–6, §3.5).

Layout: title; opening text; the person table (姓名, 性别, 民族, 出生年月, 籍贯, 学历, 入党时间, 工作单位及职务,
and 身份类别 where relevant) in the order given; the period; how to comment (real names); the receiving office
with phone, address and mailbox; 署名 and date. Never an ID number: ``PersonRow`` has no such field and the
finished text is scanned before it is returned.
"""
from __future__ import annotations

from election.documents import gbt9704 as g
from election.documents.data import NoticeData, NoticeKind, PersonRow

NOTICE_COLUMNS = ("姓名", "性别", "民族", "出生年月", "籍贯", "学历", "入党时间", "工作单位及职务")
CATEGORY_COLUMN = "身份类别"


def person_cells(p: PersonRow, *, with_category: bool, pad_single_given_name: bool = False) -> tuple[str, ...]:
    """A person's cells in the notice/roster column order; months as 1975.03 (gbt9704 table rule)."""
    cells = (
        g.format_name_cell(p.name, pad_single_given_name), p.gender, p.ethnicity,
        g.format_month_table(p.birth_month), p.native_place, p.education,
        g.format_month_table(p.party_join), p.workplace_title,
    )
    return cells + (p.category,) if with_category else cells


def default_intro(data: NoticeData) -> str:
    """The standard opening when the caller gives none; it leads straight into the table."""
    what = "考察对象" if data.kind is NoticeKind.first else "初步人选"
    where = "在其所在单位公示如下" if data.kind is NoticeKind.first else "公示如下"
    return (f"经{data.issuing_body}研究，确定{data.election_title}{what}{len(data.people)}名，"
            f"现将名单（按姓氏笔画排序）{where}：")


def render_publicity_notice(data: NoticeData) -> bytes:
    """The .docx of a 公示 (first or second). Raises DomainError if an ID number appears anywhere."""
    with_category = data.show_category if data.show_category is not None else any(p.category for p in data.people)
    columns = NOTICE_COLUMNS + ((CATEGORY_COLUMN,) if with_category else ())
    rows = [person_cells(p, with_category=with_category, pad_single_given_name=data.pad_single_given_name)
            for p in data.people]
    widths = g.fit_columns(columns, rows, g.TEXT_WIDTH_MM)
    aligns = ["left" if c == "工作单位及职务" else "center" for c in columns]

    doc = g.OfficialDocument(title=data.title)
    doc.title(data.title)
    doc.blank()
    if data.intro.strip():
        for text in (t.strip() for t in data.intro.split("\n")):
            if text:
                doc.paragraph(text)
        doc.paragraph("公示对象名单（按姓氏笔画排序）：", keep_next=True)
    else:
        doc.paragraph(default_intro(data), keep_next=True)
    if rows:
        doc.data_table(columns, rows, widths, aligns=aligns)
    days = f"（{data.working_days}个工作日）" if data.working_days else ""
    doc.paragraph(f"公示时间：{g.format_period_cn(data.period_start, data.period_end)}{days}。")
    doc.paragraph(
        f"公示期间，可通过来电、来信、来访等方式向{data.office.name}反映公示对象的情况和问题。"
        "反映问题应实事求是，个人反映的请署真实姓名，单位反映的请加盖公章，并提供具体事实或线索。"
    )
    office = data.office
    mailbox = "电子邮箱" if "@" in office.mailbox else "意见箱"
    doc.paragraph(f"受理电话：{office.phone}；通信地址：{office.address}；{mailbox}：{office.mailbox}。")
    doc.signature(data.signature, data.date)
    return doc.to_bytes(posting=True)
