"""履职纪实表: one data builder (``record_form``) and its .docx rendering (``render_record_form``); the print view
(templates/duties/print_record.html) renders the same ``RecordForm``, so the two show the same fields in the same
order.

The grid is the 凤县 form's 附件 (docs/rules.md §6 凤县): 姓名 性别 民族 (照片); 籍贯 出生年月 入党时间; 参加工作时间
工作单位及职务; 所驻党代表工作室; 履职纪实评定 — 参加县委活动, 驻室活动, 联系群众, 模范带头, each rated by its body;
党组（党委、工委）意见（盖章 年 月 日）; 县委组织部意见（盖章 年 月 日）. An empty photo box to paste a photo into.
A delegate under another rule set (盐田, 印台: no 年度考评 of their own) gets the same grid with that rule set's
activity names in the four parts, a 履职积分 row (their rule sets score points) and 组织部意见 instead of 县委组织部意见.
One A4 page for a typical delegate: each part lists its first verified activities and the count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.exceptions import NotFound
from election.duties.models import ActivityRecord, ReviewRating, TermDelegate
from election.duties.services.activities import type_labels
from election.duties.services.permissions import can_read_record
from election.duties.services.rulesets import book_for
from workflow import duties as wd

PHOTO = "照片"
PART_TEXT_CHARS = 40  # a part's activities fit four lines of its 58 mm cell (小四): longer lists end in "等"
# activity groups of the other presets (and of 凤县's own types) → the part of the 纪实表 they belong to
_PART_OF_GROUP = {"联系群众": "contact_masses", "参政议政": "county_activity", "服务奉献": "exemplary",
                  "参加县委活动": "county_activity", "驻室活动": "office_activity", "模范带头": "exemplary",
                  "四个一": "contact_masses"}


@dataclass(frozen=True)
class RecordPart:
    label: str       # 参加县委活动 …
    activities: str  # 共3次：3月2日驻室接访；…
    rating: str      # 优秀 / 良好 / 合格 / 不合格, or "" before it is rated
    rated_by: str    # the body that rates this part (the rating's, else the rule set's)


@dataclass(frozen=True)
class RecordForm:
    """Everything the 履职纪实表 prints, in the seed form's order."""

    title: str
    delegate_id: int
    year: int
    rows: tuple[tuple[tuple[str, str], ...], ...]  # the personal rows: (label, value) pairs, photo box beside rows 0-2
    office: tuple[str, str]                         # ("所驻党代表工作室", name)
    parts: tuple[RecordPart, ...]
    points: str                                     # "" on the 凤县 form; "合计N分" for a points rule set
    opinions: tuple[str, ...]                       # the two 盖章 rows' labels

    @property
    def labels(self) -> list[str]:
        """Every label of the form in reading order (the test compares the .docx and the print view with it)."""
        out = [label for row in self.rows[:1] for label, _ in row] + [PHOTO]
        out += [label for row in self.rows[1:] for label, _ in row] + [self.office[0], "履职纪实评定"]
        out += [p.label for p in self.parts] + (["履职积分"] if self.points else []) + list(self.opinions)
        return out


def _month(d: date | None) -> str:
    return "" if d is None else f"{d.year}.{d.month:02d}"


def _part_text(entries: list[str]) -> str:
    if not entries:
        return "（无记录）"
    head = f"共{len(entries)}次："
    shown = ""
    for e in entries:
        longer = f"{shown}；{e}" if shown else e
        if len(head + longer) > PART_TEXT_CHARS and shown:
            return f"{head}{shown}等"
        shown = longer
    return head + shown


def record_form(session: Session, actor, delegate_id: int, year: int) -> RecordForm:
    """The delegate's own record, or one of an office the user staffs; anything else is 'not found'."""
    d = session.get(TermDelegate, delegate_id)
    if d is None or not can_read_record(actor, d):
        raise NotFound("代表不存在。")  # out of scope answers like a missing id: no existence oracle
    book = book_for(session, d)
    fengxian = any(v.annual_review is not None for v in book.versions)
    ys = book.scoring_year(year)
    acts = list(session.scalars(select(ActivityRecord).where(
        ActivityRecord.delegate_id == d.id, ActivityRecord.on >= ys.start, ActivityRecord.on <= ys.end,
        ActivityRecord.status == "verified").order_by(ActivityRecord.on, ActivityRecord.id)).unique())
    labels = type_labels([book, wd.RuleBook.of(wd.FENGXIAN)])
    groups = {t.code: t.group for v in book.versions for t in v.activity_types}
    review_parts = wd.FENGXIAN.annual_review.parts  # the four parts the 年度考评 page rates (docs/rules.md §6)
    codes = {p.code for p in review_parts}
    per_part: dict[str, list[str]] = {}
    for a in acts:
        code = a.type_code if a.type_code in codes else _PART_OF_GROUP.get(groups.get(a.type_code, ""), "")
        if a.type_code == "duty_reception":
            code = "office_activity"
        if code:
            role = "（联署）" if a.role == "co_signer" else ""
            per_part.setdefault(code, []).append(f"{a.on.month}月{a.on.day}日{labels.get(a.type_code, a.type_code)}"
                                                 f"{role}")
    ratings = {r.part_code: r for r in session.scalars(select(ReviewRating).where(
        ReviewRating.delegate_id == d.id, ReviewRating.year == year))}
    parts = tuple(RecordPart(p.label, _part_text(per_part.get(p.code, [])),
                             ratings[p.code].rating if p.code in ratings else "",
                             ratings[p.code].rated_by_body if p.code in ratings else p.rated_by)
                  for p in review_parts)
    points = ""
    if not fengxian:
        scored = wd.compute_points([(a.id, a.delegate_id, a.type_code, a.on, a.status, a.grade, a.role)
                                    for a in acts], book, year)
        points = f"{year}年度合计{scored.totals.get(d.id, 0)}分（{book.versions[-1].name}）"
    rows = (
        (("姓名", d.name), ("性别", d.gender), ("民族", d.ethnicity)),
        (("籍贯", d.native_place), ("出生年月", _month(d.birth_date)), ("入党时间", _month(d.party_join_date))),
        (("参加工作时间", _month(d.work_start_date)), ("工作单位及职务", d.workplace)),
    )
    opinions = ("党组（党委、工委）意见", "县委组织部意见" if fengxian else "组织部意见")
    return RecordForm(f"党代表履职纪实表（{year}年度）", d.id, year, rows,
                      ("所驻党代表工作室", d.office.name if d.office else ""), parts, points, opinions)


# ------------------------------------------------------------------------------------------ .docx
# Seven grid columns (mm), 156 in all, as the 登记表 (election/documents/forms.py): label, value, label, value,
# label, value, photo (28 mm); the 评定 rows use label | part | activities (3 columns) | 等次 | 评定机关.
_WIDTHS = (28, 20, 20, 20, 20, 20, 28)
_ROW_MM = 11
_PART_MM = 21
_OPINION_MM = 30
_WRAPPED = {"工作单位及职务": "工作单位\n及职务", "所驻党代表工作室": "所驻党代表\n工作室",
            "党组（党委、工委）意见": "党组（党委、\n工委）意见", "县委组织部意见": "县委组织部\n意见",
            "参加县委活动": "参加县委\n活动"}


def _seal_cell(g) -> object:
    lines = (("", "left"), ("", "left"), ("（盖章）\u3000\u3000\u3000", "right"),
             ("年\u3000\u3000月\u3000\u3000日\u3000", "right"))
    return g.Cell(span=6, lines=lines, valign="bottom")


def render_record_form(form: RecordForm) -> bytes:
    """The 履职纪实表 as a one-page .docx (GB/T 9704 page, 小四 仿宋 table)."""
    from election.documents import gbt9704 as g

    Row, Cell = g.Row, g.Cell

    def label(text: str) -> object:
        return Cell(_WRAPPED.get(text, text))

    (r0, r1, r2) = form.rows
    rows = [
        Row((label(r0[0][0]), Cell(r0[0][1]), label(r0[1][0]), Cell(r0[1][1]), label(r0[2][0]), Cell(r0[2][1]),
             Cell(PHOTO, vmerge="restart")), _ROW_MM),
        Row((label(r1[0][0]), Cell(r1[0][1]), label(r1[1][0]), Cell(r1[1][1]), label(r1[2][0]), Cell(r1[2][1]),
             Cell(vmerge="continue")), _ROW_MM),
        Row((label(r2[0][0]), Cell(r2[0][1]), label(r2[1][0]), Cell(r2[1][1], span=3, align="left"),
             Cell(vmerge="continue")), _ROW_MM + 4),
        Row((label(form.office[0]), Cell(form.office[1], span=6, align="left")), _ROW_MM),
        Row((Cell("履职纪实\n评定", vmerge="restart"), Cell("评定内容"), Cell("主要履职情况", span=3),
             Cell("评定等次"), Cell("评定机关")), _ROW_MM - 2),
    ]
    for p in form.parts:
        rows.append(Row((Cell(vmerge="continue"), label(p.label), Cell(p.activities, span=3, align="left"),
                         Cell(p.rating), Cell(p.rated_by)), _PART_MM))
    if form.points:
        rows.append(Row((Cell("履职积分"), Cell(form.points, span=6, align="left")), _ROW_MM - 2))
    for text in form.opinions:
        rows.append(Row((label(text), _seal_cell(g)), _OPINION_MM))
    doc = g.OfficialDocument(title=form.title)
    doc.title(form.title, after_twips=200)
    doc.grid_table(_WIDTHS, rows)
    return doc.to_bytes()
