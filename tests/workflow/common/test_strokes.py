"""姓氏笔画 order (docs/rules.md §3.4, GF 3003) and the stroke data behind it."""
from __future__ import annotations

import bz2
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.common import strokes
from workflow.common.results import DomainError
from workflow.common.strokes import (
    DATA_FILE,
    sort_by_name,
    sort_names,
    stroke_count,
    stroke_key,
    stroke_sequence,
    unknown_characters,
)

# the expected 姓氏笔画 order of a reference test list (docs/rules.md §3.4)
TOOLING_ORDER = ["丁一", "于洋", "万里", "上官云", "马力", "王芳", "司马光", "乔丹", "刘伟", "李娜", "张伟", "陈静", "欧阳明"]
UNIHAN = Path("/usr/share/unicode")
UNKNOWN = "\U000f0001"  # a private-use character: never in the data


def read_rows() -> list[list[str]]:
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if not line.startswith("#") and not line.startswith("char\t")]


def header_section(title: str) -> list[str]:
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"# {title}") + 1
    out = []
    for line in lines[start:]:
        if not line.startswith("#   "):
            break
        out.append(line[4:])
    return out


# --- the order ---------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_order_tooling_list_from_shuffled_input(seed):
    names = TOOLING_ORDER[:]
    random.Random(seed).shuffle(names)
    assert sort_names(names) == TOOLING_ORDER


def test_order_same_count_first_stroke_decides_wang_before_wen():
    assert stroke_count("王") == stroke_count("文") == 4
    assert sort_names(["文静", "王静"]) == ["王静", "文静"]  # 横 1121 before 点 4134


def test_order_same_count_later_stroke_decides_lin_before_ou():
    assert stroke_sequence("林") == "12341234" and stroke_sequence("欧") == "13453534"
    assert sort_names(["欧娜", "林娜"]) == ["林娜", "欧娜"]  # second stroke 竖 before 撇


def test_order_fewer_strokes_first_regardless_of_shapes():
    assert sort_names(["王一", "马一"]) == ["马一", "王一"]  # 马 3 strokes (折…) before 王 4 (横…)


def test_data_da_has_six_strokes():
    assert stroke_count("达") == 6
    assert stroke_sequence("达") == "134454"


@pytest.mark.parametrize("char, seq", [
    ("虽", "251251214"), ("辔", "5511512551251"), ("陑", "52132522"),  # wrong in another package
    ("丁", "12"), ("小", "234"), ("子", "521"),  # 竖钩 counts as 竖
    ("扎", "1215"), ("冲", "412512"), ("场", "121533"),  # 提 counts as 横
    ("人", "34"), ("大", "134"), ("心", "4544"),  # 捺 counts as 点, 卧钩 as 折
    ("车", "1512"), ("轨", "152135"),  # 车 alone vs 车 as a left part
])
def test_data_gf_shape_classes(char, seq):
    assert stroke_sequence(char) == seq


def test_order_compound_surname_not_summed():
    # 欧 (8) is compared with 洪 (9) first; 欧阳 is not 8+6=14 strokes
    assert sort_names(["洪少东", "欧阳少东"]) == ["欧阳少东", "洪少东"]


def test_order_compound_surname_second_character_decides():
    # 司马光 vs 司徒: same first character, 马 (3) before 徒 (10)
    assert sort_names(["司徒", "司马光"]) == ["司马光", "司徒"]
    assert sort_names(["司徒雷", "司马光", "司空"]) == ["司马光", "司空", "司徒雷"]


def test_order_identical_characters_then_next_character():
    assert sort_names(["王芳", "王一", "王大"]) == ["王一", "王大", "王芳"]


def test_order_prefix_sorts_first():
    assert sort_names(["王芳芳", "王芳"]) == ["王芳", "王芳芳"]


def test_order_separator_ignored_and_kept():
    names = ["买买提·艾力", "买买提艾", "马力"]
    assert sort_names(names) == ["马力", "买买提艾", "买买提·艾力"]  # "·" neither sorts nor vanishes
    assert stroke_key("买买提·艾力") == stroke_key("买买提艾力") == stroke_key("买买提•艾力")
    assert stroke_key("王　宁") == stroke_key("王 宁") == stroke_key("王宁")


def test_order_minority_names_compared_by_first_character():
    names = ["阿依古丽·买买提", "买买提·艾力", "艾力·买买提"]
    # 阿 7, 买 6, 艾 5 strokes
    assert sort_names(names) == ["艾力·买买提", "买买提·艾力", "阿依古丽·买买提"]


def test_order_same_sequence_different_characters_by_table_not_input():
    assert stroke_sequence("己") == stroke_sequence("已") == stroke_sequence("巳") == "515"
    assert sort_names(["巳一", "已一", "己一"]) == sort_names(["己一", "已一", "巳一"]) == ["己一", "已一", "巳一"]


def test_order_equal_names_keep_input_order():
    people = [("王芳", 1), ("丁一", 2), ("王芳", 3)]
    assert sort_by_name(people, key=lambda p: p[0]) == [("丁一", 2), ("王芳", 1), ("王芳", 3)]


# --- two-character names (docs/rules.md §3.4 [待定]) --------------------------------------------------

def test_padding_off_compares_plainly():
    assert sort_names(["田富", "田大利"]) == ["田大利", "田富"]  # 大 (3) before 富 (12)


def test_padding_on_single_given_name_first():
    assert sort_names(["田大利", "田富"], pad_single_given_name=True) == ["田富", "田大利"]


def test_padding_only_touches_two_character_names():
    assert sort_names(["王一丁", "王二"], pad_single_given_name=True) == ["王二", "王一丁"]
    assert sort_names(["王一丁", "王二"]) == ["王一丁", "王二"]
    assert sort_names(["欧阳明", "欧阳"], pad_single_given_name=True) == ["欧阳", "欧阳明"]


def test_padding_surname_still_decides_first():
    assert sort_names(["丁大利", "田富"], pad_single_given_name=True) == ["丁大利", "田富"]


def test_padding_counts_characters_without_separators():
    assert sort_names(["田大利", "田　富"], pad_single_given_name=True) == ["田　富", "田大利"]


# --- unknown characters and overrides -------------------------------------------------------------

def test_unknown_character_sorts_after_known_at_its_position():
    names = [f"{UNKNOWN}一", "龘一", "丁一", f"王{UNKNOWN}", "王龘"]
    assert sort_names(names) == ["丁一", "王龘", f"王{UNKNOWN}", "龘一", f"{UNKNOWN}一"]


def test_unknown_character_reported_once_sorted():
    names = [f"王{UNKNOWN}", "A张", f"{UNKNOWN}一", "丁一"]
    assert unknown_characters(names) == ["A", UNKNOWN]
    assert unknown_characters(["丁一", "买买提·艾力"]) == []


def test_unknown_characters_tie_by_code_point():
    a, b = "\U000f0001", "\U000f0002"
    assert sort_names([f"{b}一", f"{a}一"]) == [f"{a}一", f"{b}一"]


def test_unknown_character_has_no_data():
    assert stroke_sequence(UNKNOWN) is None and stroke_count(UNKNOWN) is None


def test_override_gives_unknown_character_a_place():
    overrides = {UNKNOWN: "134"}  # 3 strokes, like 大
    assert sort_names(["王一", f"{UNKNOWN}一", "丁一"], overrides=overrides) == ["丁一", f"{UNKNOWN}一", "王一"]
    assert unknown_characters([f"{UNKNOWN}一"], overrides=overrides) == []


def test_override_wins_over_file():
    assert sort_names(["王一", "丁一"], overrides={"王": "1"}) == ["王一", "丁一"]
    assert stroke_sequence("王") == "1121"  # the file itself is unchanged


@pytest.mark.parametrize("bad", [{"王": ""}, {"王": "1206"}, {"王王": "11"}, {"王": "heng"}])
def test_override_invalid_raises_domain_error(bad):
    with pytest.raises(DomainError) as err:
        sort_names(["王一"], overrides=bad)
    assert "笔顺" in err.value.message or "单个汉字" in err.value.message


# --- properties ---------------------------------------------------------------------------------

COMMON = "".join(row[0] for row in read_rows()[:3500])
names_strategy = st.lists(st.text(alphabet=COMMON + "·" + UNKNOWN, min_size=1, max_size=4), max_size=20)


@settings(max_examples=200, deadline=None)
@given(names_strategy, st.booleans())
def test_sort_is_a_stable_idempotent_permutation(names, pad):
    once = sort_names(names, pad_single_given_name=pad)
    assert sorted(once) == sorted(names)
    assert sort_names(once, pad_single_given_name=pad) == once
    keys = [stroke_key(n, pad_single_given_name=pad) for n in once]
    assert keys == sorted(keys)
    indexed = sort_by_name(list(enumerate(names)), key=lambda p: p[1], pad_single_given_name=pad)
    for (i, a), (j, b) in itertools.pairwise(indexed):
        if stroke_key(a, pad_single_given_name=pad) == stroke_key(b, pad_single_given_name=pad):
            assert i < j  # equal keys keep their input order


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=COMMON, min_size=1, max_size=3), st.text(alphabet=COMMON, min_size=1, max_size=3))
def test_first_differing_character_decides(a, b):
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), None)
    if i is None:
        expected = sorted([a, b], key=len)
    else:
        x, y = a[i], b[i]
        kx = (stroke_count(x), stroke_sequence(x))
        ky = (stroke_count(y), stroke_sequence(y))
        if kx == ky:
            return
        expected = [a, b] if kx < ky else [b, a]
    assert sort_names([a, b]) == expected == sort_names([b, a])


# --- the data file ------------------------------------------------------------------------------

def test_data_rows_well_formed():
    rows = read_rows()
    assert len(rows) == 8105
    for char, cp, count, seq, tgh, source, _note in rows:
        assert len(char) == 1 and cp == f"U+{ord(char):04X}"
        assert seq and set(seq) <= set("12345"), char
        assert int(count) == len(seq), char
        assert source in {"rime-aux", "rime-main", "rime-main:2of2", "corrected", "derived"}, char
    assert [int(r[4]) for r in rows] == list(range(1, 8106))


def test_data_header_records_sources_and_licences():
    head = DATA_FILE.read_text(encoding="utf-8")[:3000]
    for needle in ("rime-stroke", "LGPL-3", "CNS 11643", "Unihan", "Unicode License", "build_stroke_data.py"):
        assert needle in head


def test_data_follows_table_order_within_each_level():
    """《通用规范汉字表》 is sorted by count, then sequence, within each level (1–3500, 3501–6500, 6501–)."""
    rows = read_rows()
    accepted = {tuple(line.split(":")[0].split(" before ")) for line in header_section("Accepted table-order exceptions:")}
    level = lambda n: 1 if n <= 3500 else 2 if n <= 6500 else 3
    bad = []
    for a, b in itertools.pairwise(rows):
        decreasing = level(int(a[4])) == level(int(b[4])) and (len(a[3]), a[3]) > (len(b[3]), b[3])
        if decreasing and (a[0], b[0]) not in accepted:
            bad.append(f"{a[0]} {a[3]} > {b[0]} {b[3]}")
    assert bad == []
    assert len(accepted) <= 2


def test_data_corrections_listed_in_header_match_rows():
    rows = {r[0]: r for r in read_rows()}
    corrections = header_section("Corrections (char: sequence, reason):")
    assert corrections
    for line in corrections:
        char, seq, *_ = line.split()
        assert rows[char][3] == seq and rows[char][5] == "corrected"


def _unihan(field: str, fname: str) -> dict[str, str]:
    out = {}
    with bz2.open(UNIHAN / f"Unihan_{fname}.txt.bz2", "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("U+") and f"\t{field}\t" in line:
                cp, _key, value = line.rstrip("\n").split("\t")
                out[chr(int(cp[2:], 16))] = value  # noqa: FURB166
    return out


@pytest.mark.skipif(not (UNIHAN / "Unihan_OtherMappings.txt.bz2").exists(), reason="apt package unicode-data")
def test_data_against_unihan_table_and_counts():
    rows = {r[0]: r for r in read_rows()}
    tgh = {c: int(v.split(":")[1]) for c, v in _unihan("kTGH", "OtherMappings").items()}
    total = {c: int(v.split()[0]) for c, v in _unihan("kTotalStrokes", "IRGSources").items()}
    assert len(tgh) == 8105
    assert set(rows) == set(tgh)  # every character of the table present, nothing else
    differ = []
    for char, row in rows.items():
        assert int(row[4]) == tgh[char]
        assert len(row[3]) == int(row[2])
        if int(row[2]) != total[char]:
            assert f"kTotalStrokes {total[char]}" in row[6], char  # a documented correction
            differ.append(char)
    assert 0 < len(differ) < 60


def test_data_loaded_once():
    strokes._table.cache_clear()
    strokes._known_keys.cache_clear()
    strokes._key_for.cache_clear()  # the key functions hold their tables
    sort_names(["王一"])
    sort_names(["丁一"], overrides={"丁": "12"})
    assert strokes._table.cache_info().misses == 1
    assert strokes._known_keys.cache_info().misses == 1


@dataclass(frozen=True)
class Person:
    name: str
    unit: str


def test_sort_by_name_records():
    people = [Person("欧阳明", "甲"), Person("丁一", "乙"), Person("田富", "丙"), Person("田大利", "丁")]
    assert [p.name for p in sort_by_name(people, key=lambda p: p.name)] == ["丁一", "田大利", "田富", "欧阳明"]
    assert [p.name for p in sort_by_name(people, key=lambda p: p.name, pad_single_given_name=True)] == [
        "丁一", "田富", "田大利", "欧阳明"]
