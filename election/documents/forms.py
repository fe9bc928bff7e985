"""登记表: the per-person registration form (代表候选人 / 预备人选 / 当选代表登记表), one A4 page each.

The grid follows the usual 党代表 登记表 of the seed forms (docs/rules.md §4): 姓名 性别 出生年月（岁） and a photo
box; 民族 籍贯 出生地; 入党时间 参加工作时间 健康状况; 专业技术职务 学历学位; 毕业院校系及专业; 工作单位及职务;
身份类别 推荐单位; 简历; 奖惩情况; 年度考核结果; 推荐单位党组织意见; 选举单位党组织意见. Table text is 小四 仿宋_GB2312.
Row heights are minimums: a very long 简历 makes its form run onto a second page, and the next form still
starts on a new page (``pageBreakBefore`` on each form's title).
"""
from __future__ import annotations

from collections.abc import Sequence

from election.documents import gbt9704 as g
from election.documents.data import RegistrationFormData

# Seven grid columns (mm), 156 in all: label, value, label, value, label, value, photo (the first six re-sized
# by their text in ``_widths``).
_WIDTHS = (20, 23, 16, 20, 22, 25, 30)
_ROW_MM = 10


def _vertical(text: str, blank_lines: int) -> str:
    """"简历" printed down the label column of a tall row: 简 / (blank lines) / 历."""
    return ("\n" * (blank_lines + 1)).join(text)


def _opinion(text: str) -> g.Cell:
    lines = [(t, "both") for t in text.split("\n") if t] or [("", "left")]
    lines += [("", "left"), ("（盖章）\u3000\u3000\u3000", "right"), ("年\u3000\u3000月\u3000\u3000日", "right")]
    return g.Cell(span=6, lines=tuple(lines), valign="top")


def _form_rows(f: RegistrationFormData) -> list[g.Row]:
    birth = g.format_month_table(f.birth_month) + (f"\n（{f.age}岁）" if f.age is not None else "")
    resume = tuple((line, "left") for line in f.resume) or (("", "left"),)
    Row, Cell = g.Row, g.Cell
    return [
        Row((Cell("姓名"), Cell(f.name), Cell("性别"), Cell(f.gender), Cell("出生年月\n（岁）"), Cell(birth),
             Cell("照片", vmerge="restart")), _ROW_MM),
        Row((Cell("民族"), Cell(f.ethnicity), Cell("籍贯"), Cell(f.native_place), Cell("出生地"),
             Cell(f.birthplace), Cell(vmerge="continue")), _ROW_MM),
        Row((Cell("入党\n时间"), Cell(g.format_month_table(f.party_join)), Cell("参加工\n作时间"),
             Cell(g.format_month_table(f.work_start)), Cell("健康状况"), Cell(f.health), Cell(vmerge="continue")),
            _ROW_MM),
        Row((Cell("专业技\n术职务"), Cell(f.professional_title, span=2), Cell("学历\n学位"),
             Cell(f.education, span=3)), _ROW_MM),
        Row((Cell("毕业院校\n系及专业"), Cell(f.school_major, span=6, align="left")), _ROW_MM),
        Row((Cell("工作单位\n及职务"), Cell(f.workplace_title, span=6, align="left")), _ROW_MM),
        Row((Cell("身份类别"), Cell(f.category, span=2), Cell("推荐单位"),
             Cell(f.recommending_unit, span=3, align="left")), _ROW_MM),
        Row((Cell(_vertical("简历", 5)), Cell(span=6, lines=resume, hanging_chars=8, valign="top")), 50),
        Row((Cell("奖惩\n情况"), Cell(f.rewards, span=6, align="left")), 15),
        Row((Cell("年度考\n核结果"), Cell(f.annual_reviews, span=6, align="left")), _ROW_MM),
        Row((Cell("推荐单位\n党组织\n意见"), _opinion(f.recommender_opinion)), 24),
        Row((Cell("选举单位\n党组织\n意见"), _opinion(f.committee_opinion)), 24),
    ]


def _widths(f: RegistrationFormData) -> list[float]:
    """The seven grid columns sized by the label/value pairs of the first three rows (gbt9704.fit_columns): the
    name holds four characters or its own length on one line, the photo box stays 30 mm."""
    pairs = [
        ("姓名", f.name, "性别", f.gender, "出生年月\n（岁）",
         g.format_month_table(f.birth_month) + (f"\n（{f.age}岁）" if f.age is not None else ""), ""),
        ("民族", f.ethnicity, "籍贯", f.native_place, "出生地", f.birthplace, ""),
        ("毕业院校\n系及专业", g.format_month_table(f.party_join), "参加工\n作时间",
         g.format_month_table(f.work_start), "健康状况", f.health, ""),
    ]
    return g.fit_columns(("",) * len(_WIDTHS), pairs, sum(_WIDTHS), name_columns=(1,), fixed_mm={6: _WIDTHS[6]})


def _add_form(doc: g.OfficialDocument, form: RegistrationFormData, first: bool) -> None:
    doc.title(form.title, page_break_before=not first, after_twips=240)
    doc.grid_table(_widths(form), _form_rows(form))


def render_registration_form(form: RegistrationFormData) -> bytes:
    """One person's 登记表 as a one-page .docx."""
    return render_registration_forms([form])


def render_registration_forms(forms: Sequence[RegistrationFormData]) -> bytes:
    """Several 登记表 in one .docx, each starting on a new page, in the order given."""
    if not forms:
        raise ValueError("没有登记表可生成")
    doc = g.OfficialDocument(title=forms[0].title)
    for i, form in enumerate(forms):
        _add_form(doc, form, first=i == 0)
    return doc.to_bytes()
