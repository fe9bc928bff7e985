"""Reopen every rendered .docx and check the GB/T 9704 setup (docs/rules.md §4, GB/T 9704—2012)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from docx.oxml.ns import qn

from election.documents import data as docdata
from election.documents import gbt9704 as g
from election.documents.ballot import render_ballot
from election.documents.data import NoticeKind, RosterData
from election.documents.forms import render_registration_form, render_registration_forms
from election.documents.notices import render_publicity_notice
from election.documents.reports import chinese_ordinal, format_share, render_result_report, render_situation_report
from election.documents.rosters import render_roster, roster_from_people
from tests.documents.conftest import (
    ID_18,
    SORTED_NAMES,
    all_xml,
    make_ballot,
    make_form,
    make_notice,
    make_people,
    make_person,
    make_report,
    make_result_report,
    open_docx,
    paragraph_texts,
    table_rows,
    text_runs,
)
from workflow.common.results import DomainError

RENDERERS = {
    "notice": lambda: render_publicity_notice(make_notice(5)),
    "notice_first": lambda: render_publicity_notice(make_notice(3, kind=NoticeKind.first)),
    "roster": lambda: render_roster(roster_from_people("考察对象名册", make_people(24, with_category=True))),
    "roster_portrait": lambda: render_roster(roster_from_people("推荐人选名册", make_people(17), numbered=False)),
    "form": lambda: render_registration_form(make_form()),
    "report": lambda: render_situation_report(make_report()),
    "result_report": lambda: render_result_report(make_result_report()),
    "ballot": lambda: render_ballot(make_ballot()),
}
POSTING = ("notice", "notice_first", "roster", "roster_portrait")


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: build() for name, build in RENDERERS.items()}


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _mm(length) -> float:
    return length / 36000


# ----------------------------------------------------------------------------------------------- page setup
@pytest.mark.parametrize("name", RENDERERS)
def test_page_a4_with_gbt_margins(rendered, name):
    section = open_docx(rendered[name]).sections[0]
    width, height = sorted((_mm(section.page_width), _mm(section.page_height)))
    assert (width, height) == (pytest.approx(210, abs=0.05), pytest.approx(297, abs=0.05))
    assert _mm(section.top_margin) == pytest.approx(37, abs=0.05)
    assert _mm(section.bottom_margin) == pytest.approx(35, abs=0.05)
    assert _mm(section.left_margin) == pytest.approx(28, abs=0.05)
    assert _mm(section.right_margin) == pytest.approx(26, abs=0.05)


@pytest.mark.parametrize("name", RENDERERS)
def test_doc_grid_is_lines_579(rendered, name):
    grid = open_docx(rendered[name]).sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"


def test_roster_wide_goes_landscape_narrow_stays_portrait(rendered):
    wide = open_docx(rendered["roster"]).sections[0]
    narrow = open_docx(rendered["roster_portrait"]).sections[0]
    assert wide.page_width > wide.page_height
    assert narrow.page_width < narrow.page_height


def test_normal_style_east_asian_font_size_and_spacing(rendered):
    doc = open_docx(rendered["notice"])
    normal = doc.styles["Normal"].element
    fonts = normal.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:ascii")) == "仿宋_GB2312"
    assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
    assert normal.rPr.find(qn("w:sz")).get(qn("w:val")) == "32"              # 三号 16 pt
    assert normal.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"         # −0.25 pt
    assert normal.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    spacing = normal.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:after")) == "0" and spacing.get(qn("w:line")) == "240"
    assert spacing.get(qn("w:lineRule")) == "auto"


def test_doc_defaults_name_the_east_asian_font_without_theme(rendered):
    styles = open_docx(rendered["report"]).styles.element
    fonts = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert not [k for k in fonts.attrib if k.endswith(("Theme", "theme"))]


@pytest.mark.parametrize("name", RENDERERS)
def test_every_run_sets_east_asian_font_and_language(rendered, name):
    doc = open_docx(rendered[name])
    parts = [doc.element.body] + [s.footer._element for s in doc.sections]
    runs = [r for part in parts for r in text_runs(part)]
    assert runs
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")), _text(run)
        assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii"))
        assert run.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize("name", RENDERERS)
def test_title_is_2hao_xiaobiaosong_centred_off_grid_exact(rendered, name):
    doc = open_docx(rendered[name])
    first = doc.element.body.find(qn("w:p"))
    ppr = first.find(qn("w:pPr"))
    assert ppr.find(qn("w:jc")).get(qn("w:val")) == "center"
    assert ppr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    assert ppr.find(qn("w:spacing")).get(qn("w:lineRule")) == "exact"
    rpr = first.find(qn("w:r")).find(qn("w:rPr"))
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "44"                     # 二号 22 pt


def test_body_paragraph_is_3hao_fangsong_indented_two_chars(rendered):
    doc = open_docx(rendered["report"])
    para = next(p for p in doc.element.body.iter(qn("w:p")) if "根据市委" in _text(p))
    ind = para.find(qn("w:pPr")).find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"
    rpr = para.find(qn("w:r")).find(qn("w:rPr"))
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "32"


def test_headings_heiti_then_kaiti(rendered):
    doc = open_docx(rendered["report"])
    fonts = {}
    for p in doc.element.body.iter(qn("w:p")):
        text = _text(p)
        if re.match(r"^[一二三四五]、|^（[一二三]）", text):
            fonts[text] = p.find(qn("w:r")).find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))
    assert fonts["一、推荐提名情况"] == "黑体"
    assert fonts["二、考察和公示情况"] == "黑体"
    assert fonts["（一）考察情况"] == "楷体_GB2312"
    assert fonts["（二）公示情况"] == "楷体_GB2312"
    assert fonts["三、预备人选结构情况"] == "黑体"


# ----------------------------------------------------------------------------------------------- page numbers
@pytest.mark.parametrize("name", [n for n in RENDERERS if n != "ballot"])
def test_footer_page_field_with_dashes_odd_right_even_left(rendered, name):
    doc = open_docx(rendered[name])
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        element = footer._element
        instr = "".join(i.text for i in element.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        text = _text(element)
        assert re.fullmatch(r"— \d+ —", text)
        p = element.find(qn("w:p"))
        assert p.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == side
        rpr = p.find(qn("w:r")).find(qn("w:rPr"))
        assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
        assert rpr.find(qn("w:sz")).get(qn("w:val")) == "28"                   # 四号 14 pt


def test_ballot_has_no_page_number(rendered):
    assert "PAGE" not in all_xml(rendered["ballot"])


# ----------------------------------------------------------------------------------------------- dates
@pytest.mark.parametrize("day, text", [
    (dt.date(2026, 3, 1), "2026年3月1日"),
    (dt.date(2026, 1, 9), "2026年1月9日"),
    (dt.date(2026, 10, 10), "2026年10月10日"),
    (dt.date(2026, 12, 31), "2026年12月31日"),
])
def test_format_date_cn_without_leading_zeros(day, text):
    assert g.format_date_cn(day) == text


def test_format_month_cn_and_table_form():
    assert g.format_month_cn(dt.date(1975, 3, 1)) == "1975年3月"
    assert g.format_month_cn(dt.date(1975, 11, 1)) == "1975年11月"
    assert g.format_month_table(dt.date(1975, 3, 1)) == "1975.03"
    assert g.format_month_table(None) == ""


def test_format_period_same_year_and_across_new_year():
    assert g.format_period_cn(dt.date(2026, 3, 2), dt.date(2026, 3, 6)) == "2026年3月2日至3月6日"
    assert g.format_period_cn(dt.date(2025, 12, 29), dt.date(2026, 1, 6)) == "2025年12月29日至2026年1月6日"


@pytest.mark.parametrize("name", ["notice", "report", "result_report"])
def test_running_text_dates_have_no_leading_zeros(rendered, name):
    text = "\n".join(paragraph_texts(open_docx(rendered[name])))
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
    assert not re.search(r"年0\d|月0\d", text)


def test_notice_prints_period_days_and_signature_date(rendered):
    text = "\n".join(paragraph_texts(open_docx(rendered["notice"])))
    assert "公示时间：2026年3月2日至3月6日（5个工作日）。" in text
    assert "2026年3月1日" in text


def test_table_months_all_in_dot_form(rendered):
    rows = table_rows(open_docx(rendered["notice"]))
    assert [r[3] for r in rows[1:]] == [g.format_month_table(p.birth_month) for p in make_people(5)]
    assert all(re.fullmatch(r"\d{4}\.\d{2}", r[6]) for r in rows[1:])


# ----------------------------------------------------------------------------------------------- notices
def test_notice_columns_and_names_in_given_order(rendered):
    rows = table_rows(open_docx(rendered["notice"]))
    assert [c.replace("\n", "") for c in rows[0]] == ["姓名", "性别", "民族", "出生年月", "籍贯", "学历", "入党时间",
                                                      "工作单位及职务"]
    assert [r[0] for r in rows[1:]] == SORTED_NAMES[:5]


def test_notice_keeps_an_unsorted_order_exactly_as_given():
    given = ["张伟", "丁一", "欧阳明", "王芳"]
    people = [make_person(i, name=n) for i, n in enumerate(given)]
    rows = table_rows(open_docx(render_publicity_notice(make_notice(people=people))))
    assert [r[0] for r in rows[1:]] == given


def test_notice_category_column_only_where_relevant():
    with_cat = table_rows(open_docx(render_publicity_notice(make_notice(people=make_people(3, True)))))
    assert with_cat[0][-1] == "身份类别"
    assert with_cat[1][-1] == "局级领导干部"
    forced_off = make_notice(people=make_people(3, True), show_category=False)
    assert table_rows(open_docx(render_publicity_notice(forced_off)))[0][-1] != "身份类别"


def test_notice_pads_two_character_names_when_set():
    rows = table_rows(open_docx(render_publicity_notice(make_notice(3, pad_single_given_name=True))))
    assert [r[0] for r in rows[1:]] == ["丁\u3000一", "于\u3000洋", "万\u3000里"]


def test_notice_office_phone_address_mailbox_and_real_names(rendered):
    text = "\n".join(paragraph_texts(open_docx(rendered["notice"])))
    assert "0571-12345678" in text and "某市某区人民路1号" in text and "zzb@example.gov.cn" in text
    assert "真实姓名" in text
    assert "区委组织部" in text


def test_notice_first_kind_default_text_names_the_unit_posting(rendered):
    text = "\n".join(paragraph_texts(open_docx(rendered["notice_first"])))
    assert "考察对象3名" in text and "在其所在单位公示" in text


def test_notice_caller_intro_is_printed_with_the_list_caption():
    intro = "根据工作安排，现将有关情况公示如下。\n第二段说明。"
    text = paragraph_texts(open_docx(render_publicity_notice(make_notice(2, intro=intro))))
    assert "根据工作安排，现将有关情况公示如下。" in text and "第二段说明。" in text
    assert "公示对象名单（按姓氏笔画排序）：" in text


# ----------------------------------------------------------------------------------------------- no ID numbers
@pytest.mark.parametrize("name", POSTING)
def test_posting_documents_hold_no_18_digit_id_anywhere(rendered, name):
    assert not ID_18.search(all_xml(rendered[name]))


@pytest.mark.parametrize("cls", [docdata.PersonRow, docdata.NoticeData, docdata.RosterData, docdata.ContactOffice])
def test_posting_data_classes_have_no_id_field(cls):
    names = {f.name for f in dataclasses.fields(cls)}
    assert not {n for n in names if "id" in n.split("_") or "身份证" in n or n in ("id_number", "id_card")}


def test_notice_refuses_an_id_number_slipped_into_the_intro():
    with pytest.raises(DomainError) as err:
        render_publicity_notice(make_notice(2, intro="联系人身份证号11010519491231002X，请核对。"))
    assert err.value.code == "document.id_number"
    assert "身份证号码" in err.value.message and "11010519491231002X" not in err.value.message


def test_roster_for_posting_refuses_an_id_cell_but_17_digits_pass():
    base = {"title": "名册", "columns": ("姓名", "备注")}
    with pytest.raises(DomainError):
        render_roster(RosterData(rows=(("丁一", "110105194912310021"),), **base))
    render_roster(RosterData(rows=(("丁一", "11010519491231002"),), **base))   # 17 digits: not an ID
    render_roster(RosterData(rows=(("丁一", "110105194912310021"),), for_posting=False, **base))


# ----------------------------------------------------------------------------------------------- rosters
def test_roster_header_repeats_and_no_row_splits(rendered):
    doc = open_docx(rendered["roster"])
    rows = doc.element.body.find(qn("w:tbl")).findall(qn("w:tr"))
    assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert all(r.find(qn("w:trPr")).find(qn("w:tblHeader")) is None for r in rows[1:])
    assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows)


def test_roster_table_text_xiaosi_fangsong_header_heiti(rendered):
    table = open_docx(rendered["roster"]).element.body.find(qn("w:tbl"))
    head, body = table.findall(qn("w:tr"))[:2]
    head_rpr = head.find(".//" + qn("w:rPr"))
    body_rpr = body.find(".//" + qn("w:rPr"))
    assert head_rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert body_rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body_rpr.find(qn("w:sz")).get(qn("w:val")) == "24"                 # 小四 12 pt


def test_roster_numbered_names_in_given_order_with_note(rendered):
    doc = open_docx(rendered["roster"])
    rows = table_rows(doc)
    assert rows[0][0] == "序号" and rows[0][-1] == "身份类别"
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 25)]
    assert [r[1] for r in rows[1:]] == [SORTED_NAMES[i % 13] for i in range(24)]
    text = paragraph_texts(doc)
    assert "（共24名）" in text and "（按姓氏笔画排序）" in text


def test_roster_note_with_parentheses_is_printed_as_given():
    data = roster_from_people("当选代表名册", make_people(2), note="按姓氏笔画排序（单名空格）", pad_single_given_name=True)
    doc = open_docx(render_roster(data))
    assert "按姓氏笔画排序（单名空格）" in paragraph_texts(doc)
    assert [r[1] for r in table_rows(doc)[1:]] == ["丁\u3000一", "于\u3000洋"]


def test_roster_table_fits_the_text_width_portrait_and_landscape(rendered):
    for name, width_mm in (("roster_portrait", 156), ("roster", 243)):
        grid = open_docx(rendered[name]).element.body.find(qn("w:tbl")).find(qn("w:tblGrid"))
        total = sum(int(c.get(qn("w:w"))) for c in grid.findall(qn("w:gridCol")))
        assert total / 1440 * 25.4 == pytest.approx(width_mm, abs=0.5)


def test_roster_row_with_wrong_width_is_refused():
    with pytest.raises(DomainError) as err:
        render_roster(RosterData(title="名册", columns=("姓名", "性别"), rows=(("丁一",),)))
    assert "第1行" in err.value.message


def test_roster_2000_rows_keep_order():
    people = [make_person(i) for i in range(2000)]
    rows = table_rows(open_docx(render_roster(roster_from_people("推荐人选名册", people))))
    assert len(rows) == 2001
    assert [r[1] for r in rows[1:]] == [p.name for p in people]


def test_roster_escapes_xml_characters():
    data = RosterData(title="名册 <A&B>", columns=("姓名", "备注"), rows=(("丁一", "a<b & c>d\x0b"),))
    rows = table_rows(open_docx(render_roster(data)))
    assert rows[1] == ["丁一", "a<b & c>d"]


# ----------------------------------------------------------------------------------------------- forms
def test_registration_forms_one_per_page_in_order():
    names = ["丁一", "于洋", "欧阳明"]
    doc = open_docx(render_registration_forms([make_form(n) for n in names]))
    titles = [p for p in doc.element.body.findall(qn("w:p"))
              if p.find(qn("w:pPr")).find(qn("w:jc")) is not None and "登记表" in _text(p)]
    assert len(titles) == 3
    breaks = [p.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None for p in titles]
    assert breaks == [False, True, True]
    tables = doc.element.body.findall(qn("w:tbl"))
    assert len(tables) == 3
    assert [table_rows(doc, i)[0][1] for i in range(3)] == names


def test_registration_form_fields(rendered):
    doc = open_docx(rendered["form"])
    cells = [c for row in table_rows(doc) for c in row]
    for label in ("姓名", "性别", "民族", "籍贯", "入党\n时间", "参加工\n作时间", "学历\n学位", "工作单位\n及职务",
                  "身份类别", "奖惩\n情况", "推荐单位\n党组织\n意见"):
        assert label in cells, label
    assert "1975.03\n（51岁）" in cells and "1998.07" in cells and "1997.07" in cells
    assert any(c.startswith("简\n") and c.endswith("历") for c in cells)
    assert any("1993.09—1997.07" in c for c in cells)


def test_registration_forms_refuse_an_empty_list():
    with pytest.raises(ValueError):
        render_registration_forms([])


# ----------------------------------------------------------------------------------------------- ballot
def test_ballot_states_seats_candidates_in_order_and_write_in_boxes(rendered):
    doc = open_docx(rendered["ballot"])
    text = paragraph_texts(doc)
    assert "（应选16名，不含市委提名）" in text
    candidates = [c for row in table_rows(doc, 0) if row[0] == "候选人\n姓名" for c in row[1:] if c]
    assert candidates == list(make_ballot().candidates[:21])
    write_in = [row[1:] for row in table_rows(doc, 1) if row[0] == "另选人\n姓名"]
    tables = doc.element.body.findall(qn("w:tbl"))
    boxes = [tc for tr in tables[1].findall(qn("w:tr"))[::2] for tc in tr.findall(qn("w:tc"))[1:]
             if tc.find(qn("w:tcPr")).find(qn("w:shd")) is None]
    assert len(boxes) == 5 and all(c == "" for row in write_in for c in row)


def test_ballot_explains_marks_and_void_rule(rendered):
    text = "\n".join(paragraph_texts(open_docx(rendered["ballot"])))
    assert "“○”" in text and "“×”" in text and "弃权" in text and "不划任何符号" in text
    assert "另选人姓名" in text and "不能另选他人" in text
    assert "多于16名的为无效票" in text and "按姓氏笔画为序" in text


@pytest.mark.parametrize("n, write_ins, expected_name_rows", [(6, 0, 1), (7, 6, 2), (12, 7, 2), (13, 1, 3)])
def test_ballot_rows_of_six_names(n, write_ins, expected_name_rows):
    doc = open_docx(render_ballot(make_ballot(n, write_ins)))
    name_rows = [r for r in table_rows(doc, 0) if r[0] == "候选人\n姓名"]
    assert len(name_rows) == expected_name_rows
    # the candidates, the write-ins (when any), and the signatures with the 印章 box at the foot
    assert len(doc.element.body.findall(qn("w:tbl"))) == (3 if write_ins else 2)


def test_ballot_custom_instructions_replace_the_standard_ones():
    text = paragraph_texts(open_docx(render_ballot(make_ballot(3, 1, instructions=("只此一条。",)))))
    assert "只此一条。" in text and not any("符号要划在" in t for t in text)


def test_ballot_refuses_no_seats_or_no_candidates():
    with pytest.raises(ValueError):
        render_ballot(make_ballot(3, 1, columns=0))
    with pytest.raises(ValueError):
        render_ballot(dataclasses.replace(make_ballot(3, 1), seats=0))
    with pytest.raises(ValueError):
        render_ballot(dataclasses.replace(make_ballot(3, 1), candidates=()))


# ----------------------------------------------------------------------------------------------- reports
def test_situation_report_counts_shares_and_attachments(rendered):
    doc = open_docx(rendered["report"])
    assert table_rows(doc)[1:] == [["预备人选", "21名", ""], ["女性", "8名", "38.1%"], ["少数民族", "1名", "4.8%"],
                                   ["50岁以下", "11名", "52.4%"], ["基层一线", "7名", "50%"]]
    text = paragraph_texts(doc)
    assert "市委组织部：" in text
    assert "附件：1．预备人选名册" in text and "2．预备人选登记表" in text


@pytest.mark.parametrize("count, total, text", [
    (7, 14, "50%"), (8, 21, "38.1%"), (1, 3, "33.3%"), (2, 3, "66.7%"), (1, 8, "12.5%"), (1, 16, "6.3%"),
    (0, 5, "0%"), (5, 5, "100%"), (1, 0, "—"),
])
def test_format_share_exact_half_up(count, total, text):
    assert format_share(count, total) == text


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一")])
def test_chinese_ordinal(n, text):
    assert chinese_ordinal(n) == text


def test_result_report_round_figures_vote_table_and_elected_order(rendered):
    doc = open_docx(rendered["result_report"])
    text = "\n".join(paragraph_texts(doc))
    assert "应到会308人，实到会300人" in text and "有效票297张、无效票3张" in text and "155票及以上" in text
    rows = table_rows(doc)
    assert rows[0] == ["序号", "姓名", "赞成票", "不赞成票", "弃权票", "结果"]
    assert rows[1] == ["1", "丁一", "290", "5", "5", "当选"]
    assert rows[4][1] == "王五（另选人）"
    assert "当选代表2名（按姓氏笔画排序）：丁一、于洋。" in text


# ----------------------------------------------------------------------------------------------- signature
@pytest.mark.parametrize("signer, signer_right, date_right", [
    ("中共某区委组织部", "200", "200"),      # 8 chars, date 6: the date starts two characters right of it
    ("中共某区委", "500", "200"),            # 5 chars: the date is longer, so the 署名 moves left
    ("中共某市某区委员会组织部", "200", "600"),
])
def test_signature_and_date_positions(signer, signer_right, date_right):
    doc = g.OfficialDocument()
    doc.signature(signer, dt.date(2026, 3, 1))
    paras = doc.doc.element.body.findall(qn("w:p"))[-2:]
    rights = [p.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:rightChars")) for p in paras]
    assert rights == [signer_right, date_right]
    assert [p.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) for p in paras] == ["right", "right"]
