"""Invisible direction controls and zero-width characters are found; names are compared as normalised."""
from __future__ import annotations

import pytest

from workflow.common.text import (
    BIDI_CONTROLS,
    ZERO_WIDTH,
    hidden_characters,
    hidden_message,
    normalize_name,
    strip_hidden,
)


@pytest.mark.parametrize("code", [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                                  0x200E, 0x200F, 0x061C, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])
def test_every_listed_character_is_hidden(code):
    assert hidden_characters(f"张{chr(code)}三") == [chr(code)]


@pytest.mark.parametrize("code", [0x2029, 0x202F, 0x2065, 0x206A, 0x200A, 0x2061, 0x00B7, 0x3000, 0x0020])
def test_the_neighbours_of_the_ranges_are_not(code):
    # U+2029 and U+202F sit just outside U+202A–202E, U+2065/206A outside U+2066–2069, U+200A before U+200B,
    # U+2061 after U+2060; the middle dot of 买买提·艾力 and ordinary spaces are fine
    assert hidden_characters(f"张{chr(code)}三") == []


def test_the_sets_are_exactly_the_rule():
    assert len(BIDI_CONTROLS) == 12 and len(ZERO_WIDTH) == 5


def test_hidden_message_names_the_field_and_the_code_points():
    assert hidden_message("姓名", "张三") is None
    message = hidden_message("姓名", "\u202e张三\u200b\u202e")
    assert message.startswith("姓名含有看不见的控制字符（U+202E、U+200B）")


def test_strip_hidden_keeps_everything_else():
    assert strip_hidden("\ufeff买买提·艾力\u200d") == "买买提·艾力"


@pytest.mark.parametrize("written", ["张三", "张\u200b三", "张 三", "张　三", " 张三\t", "\u202e张三\u202c", "张\ufeff三"])
def test_written_forms_of_one_name_normalise_alike(written):
    assert normalize_name(written) == "张三"


def test_nfkc_folds_full_width_letters_and_digits():
    assert normalize_name("Ｚｈａｎｇ　Ｓａｎ１") == "ZhangSan1"


def test_different_names_stay_different():
    assert normalize_name("张三") != normalize_name("张叁")
    assert normalize_name("欧阳明") == normalize_name("欧阳 明")
