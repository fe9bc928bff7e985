"""公示 (public notices): the first in each person's unit, the second region-wide (docs/rules.md §2 stages 5–6, §3.5).

Layout: title; opening text; the person table (姓名, 性别, 民族, 出生年月, 籍贯, 学历, 入党时间, 工作单位及职务,
and 身份类别 where relevant) in the order given; the period; how to comment (real names); the receiving office
with phone, address and mailbox; 署名 and date. Never an ID number: ``PersonRow`` has no such field and the
finished text is scanned before it is returned.

The words around the table come from the election's template (``NoticeData.wording``, election.documents.wording)
or the default one, filled from the notice's data; the layout stays here.
"""
from __future__ import annotations

from election.documents import gbt9704 as g
from election.documents.data import NoticeData, NoticeKind, PersonRow
from election.documents.wording import DEFAULTS, NoticeText, WordingKind, notice_text

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


def wording_kind(kind: NoticeKind) -> WordingKind:
    return WordingKind.notice_first if kind is NoticeKind.first else WordingKind.notice_second


def notice_values(data: NoticeData) -> dict[str, str]:
    """The placeholders of a 公示 template (election.documents.wording) filled from the notice's data."""
    office = data.office
    period = g.format_period_cn(data.period_start, data.period_end)
    days = f"（{data.working_days}个工作日）" if data.working_days else ""
    return {"选举名称": data.election_title, "发布机关": data.issuing_body, "人数": str(len(data.people)),
            "名单": "、".join(p.name for p in data.people), "公示期": period + days, "起止日期": period,
            "工作日数": str(data.working_days or ""), "受理单位": office.name, "联系电话": office.phone,
            "通信地址": office.address, "邮箱名称": "电子邮箱" if "@" in office.mailbox else "意见箱",
            "邮箱": office.mailbox}


def notice_wording(data: NoticeData) -> NoticeText:
    """The notice's paragraphs: its election's template (``data.wording``) or the default, filled."""
    return notice_text(data.wording or DEFAULTS[wording_kind(data.kind)], notice_values(data))


def default_intro(data: NoticeData) -> str:
    """The standard opening when the caller gives none; it leads straight into the table."""
    return " ".join(notice_text(DEFAULTS[wording_kind(data.kind)], notice_values(data)).before_table)


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
    wording = notice_wording(data)
    before = wording.before_table
    if data.intro.strip():  # a caller's own opening replaces the template's
        before = (*(t.strip() for t in data.intro.split("\n") if t.strip()), "公示对象名单（按姓氏笔画排序）：")
    for i, text in enumerate(before):
        doc.paragraph(text, keep_next=i == len(before) - 1)
    if rows:
        doc.data_table(columns, rows, widths, aligns=aligns)
    for text in wording.after_table:
        doc.paragraph(text)
    doc.signature(data.signature, data.date)
    return doc.to_bytes(posting=True)
