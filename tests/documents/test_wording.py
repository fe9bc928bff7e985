"""Wording templates of the 公示 and the 情况报告 (election.documents.wording): the check names what is wrong, the fill
runs no code, the default gives the document printed before, an edited template shows in the .docx."""
from __future__ import annotations

import dataclasses

import pytest

from election.documents.data import NoticeKind
from election.documents.notices import notice_values, render_publicity_notice
from election.documents.wording import (
    DEFAULTS,
    PLACEHOLDERS,
    WordingKind,
    check_template,
    example_values,
    fill,
    notice_text,
    report_text,
)
from tests.documents.conftest import make_notice, open_docx, paragraph_texts

FIRST, SECOND, REPORT = WordingKind.notice_first, WordingKind.notice_second, WordingKind.report_preliminary


@pytest.mark.parametrize("kind", list(WordingKind))
def test_defaults_pass_their_own_check_and_use_only_known_placeholders(kind):
    assert check_template(kind, DEFAULTS[kind]) == []
    assert "{" not in fill(DEFAULTS[kind], example_values(kind))


def test_unknown_placeholders_refused_each_named_once():
    text = DEFAULTS[FIRST] + "\n请于{截止时间}前联系{联系人}，{截止时间}后不再受理。"
    assert check_template(FIRST, text) == [
        "不认识的占位符：{截止时间}、{联系人}。请改用页面上列出的占位符（名称须完全一致）"]


def test_a_report_placeholder_is_unknown_in_a_notice_and_back():
    assert check_template(FIRST, DEFAULTS[FIRST] + "\n{推荐人数}")[0].startswith("不认识的占位符：{推荐人数}")
    assert check_template(REPORT, DEFAULTS[REPORT] + "\n{公示期}")[0].startswith("不认识的占位符：{公示期}")


@pytest.mark.parametrize("text, message", [
    ("公示时间：{公示期。\n{名单表}", "“{”和“}”只用于占位符"),
    ("公示时间：公示期}。\n{名单表}", "“{”和“}”只用于占位符"),
    ("公示如下：{名单表}", "公示中须有且只有一行单独写“{名单表}”"),
    ("公示如下：\n公示时间：{公示期}。", "（当前0处）"),
    ("{名单表}\n{名单表}", "（当前2处）"),
    ("  \n \r\n", "内容不能为空"),
])
def test_malformed_templates_refused_in_chinese(text, message):
    assert any(message in e for e in check_template(SECOND, text))


def test_length_limit_exactly_passes_one_more_refused():
    base = "{名单表}\n"
    assert check_template(SECOND, base + "字" * (5000 - len(base))) == []  # the line break counts as one
    assert check_template(SECOND, base + "字" * (5001 - len(base))) == ["内容不能超过5000个字（当前5001个字）"]


def test_fill_is_one_pass_and_runs_no_code():
    values = {"受理单位": "{联系电话}", "联系电话": "0000-1"}
    assert fill("向{受理单位}反映，电话{联系电话}", values) == "向{联系电话}反映，电话0000-1"
    assert fill("{受理单位.__class__}{0}{人数!r}", {"受理单位": "x"}) == "{受理单位.__class__}{0}{人数!r}"
    assert check_template(FIRST, "{受理单位.__class__}\n{名单表}")[0].startswith("不认识的占位符：{受理单位.__class__}")


def test_notice_text_split_at_the_table_line_blank_lines_dropped():
    text = notice_text("第一段{人数}名\r\n\r\n  第二段  \n{名单表}\n公示时间：{公示期}。", {"人数": "3", "公示期": "甲至乙"})
    assert text.before_table == ("第一段3名", "第二段")
    assert text.after_table == ("公示时间：甲至乙。",)


def test_report_text_headings_sections_and_sub_sections():
    text = report_text("开头{人数}名。\n一、情况\n第一段\n（一）细项\n细项内容\n二、名单\n{名单}。", {"人数": "2", "名单": "丁一、于洋"})
    assert text.intro == ("开头2名。",)
    assert text.sections == (("一、情况", ("第一段",), (("（一）细项", ("细项内容",)),)), ("二、名单", ("丁一、于洋。",), ()))


def test_every_notice_placeholder_has_a_value():
    assert set(notice_values(make_notice())) == set(PLACEHOLDERS[FIRST]) - {"名单表"}


@pytest.mark.parametrize("kind", [NoticeKind.first, NoticeKind.second])
def test_the_default_template_prints_the_same_document_as_no_template(kind):
    plain = make_notice(kind=kind)
    same = dataclasses.replace(plain, wording=DEFAULTS[FIRST if kind is NoticeKind.first else SECOND])
    assert paragraph_texts(open_docx(render_publicity_notice(plain))) == \
        paragraph_texts(open_docx(render_publicity_notice(same)))
    texts = paragraph_texts(open_docx(render_publicity_notice(plain)))
    assert "公示时间：2026年3月2日至3月6日（5个工作日）。" in texts
    assert "受理电话：0571-12345678；通信地址：某市某区人民路1号（邮编310000）；电子邮箱：zzb@example.gov.cn。" in texts


def test_an_edited_template_is_what_the_docx_says_with_the_table_where_marked():
    wording = ("根据工作安排，现对{选举名称}初步人选{人数}名予以公示。\n{名单表}\n"
               "公示期为{起止日期}，共{工作日数}个工作日。如有意见，请致电{联系电话}（{受理单位}）。")
    doc = open_docx(render_publicity_notice(make_notice(3, wording=wording)))
    texts = [t for t in paragraph_texts(doc) if t]
    opening = "根据工作安排，现对出席中国共产党某市第十二次代表大会代表初步人选3名予以公示。"
    closing = "公示期为2026年3月2日至3月6日，共5个工作日。如有意见，请致电0571-12345678（区委组织部）。"
    assert opening in texts and closing in texts
    assert not any(t.startswith("公示时间：") for t in texts)
    body = doc.element.body
    kinds = [el.tag.rsplit("}", 1)[1] for el in body]
    table_at = kinds.index("tbl")
    para_texts = ["".join(t.text or "" for t in el.iter()
                          if el.tag.endswith("}p") and t.tag.endswith("}t")) for el in body]
    assert para_texts.index(opening) < table_at < para_texts.index(closing)
