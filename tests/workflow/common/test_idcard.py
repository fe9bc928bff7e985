"""Resident ID numbers: check character, birth date, gender, masking (workflow.common.idcard)."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.common.idcard import (
    check_character,
    check_id_number,
    inspect_id_number,
    make_id,
    mask_id,
    normalise_id,
    parse_id_number,
)
from workflow.common.results import DomainError
from workflow.common.vocab import Gender

TODAY = date(2026, 2, 15)


def codes(number: str, today: date = TODAY) -> list[str]:
    return [b.code for b in check_id_number(number, today)]


# GB 11643—1999's worked example and another widely published specimen
@pytest.mark.parametrize(("number", "birth", "gender"), [
    ("11010519491231002X", date(1949, 12, 31), Gender.female),
    ("440524188001010014", date(1880, 1, 1), None),  # valid checksum, but born before 1900
])
def test_check_character_published_examples(number, birth, gender):
    assert check_character(number[:17]) == number[17]
    if gender is None:
        assert codes(number) == ["id.birth_too_early"]
    else:
        info = parse_id_number(number, TODAY)
        assert (info.birth_date, info.gender, info.region) == (birth, gender, "110105")


def test_check_character_wrong_last_character_rejected():
    assert codes("110105194912310021") == ["id.checksum"]
    assert "校验位" in check_id_number("110105194912310021", TODAY)[0].message


def test_normalise_lower_case_x_and_full_width_accepted():
    assert parse_id_number("11010519491231002x", TODAY).number == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ", TODAY).number == "11010519491231002X"
    assert normalise_id(" 110105 19491231 002x ") == "11010519491231002X"
    assert normalise_id("'11010519491231002X") == "11010519491231002X"


@pytest.mark.parametrize(("number", "code", "fragment"), [
    ("", "id.empty", "为空"),
    ("11010519491231002", "id.length", "当前为17位"),
    ("110105194912310020X", "id.length", "当前为19位"),
    ("110105491231002", "id.length", "15位旧号码"),
    ("1101051949123100XX", "id.chars", "前17位应为数字"),
    ("11010519491231002Y", "id.chars", "第18位为数字或X"),
    ("11010519O91231002X", "id.chars", "混入了字母"),
])
def test_shape_reasons(number, code, fragment):
    blockers = check_id_number(number, TODAY)
    assert [b.code for b in blockers] == [code]
    assert fragment in blockers[0].message


def test_birth_date_impossible_day_rejected():
    body = "11010519750230012"  # 30 February
    assert codes(body + check_character(body)) == ["id.birth_invalid"]


def test_birth_date_leap_day_accepted_only_in_leap_years():
    leap = make_id("110105", date(1976, 2, 29), 1, True)
    assert parse_id_number(leap, TODAY).birth_date == date(1976, 2, 29)
    body = "11010519000229012"  # 1900 was not a leap year
    assert codes(body + check_character(body)) == ["id.birth_invalid"]


def test_birth_date_today_accepted_tomorrow_rejected():
    assert check_id_number(make_id("110105", TODAY, 3, False), TODAY) == []
    tomorrow = make_id("110105", TODAY + timedelta(days=1), 3, False)
    assert codes(tomorrow) == ["id.birth_future"]


def test_region_unknown_province_rejected_but_every_real_prefix_accepted():
    body = "00010519750302012"
    assert codes(body + check_character(body)) == ["id.region"]
    for prefix in ("11", "46", "65", "71", "81", "82", "83"):
        assert check_id_number(make_id(prefix + "0101", date(1980, 1, 1), 5, True), TODAY) == []


def test_several_reasons_reported_together():
    body = "00010520300302012"
    assert codes(body + ("0" if check_character(body) != "0" else "1")) == [
        "id.region", "id.birth_future", "id.checksum"]


def test_gender_from_seventeenth_digit_odd_male_even_female():
    assert parse_id_number(make_id("110105", date(1980, 1, 1), 7, True), TODAY).gender is Gender.male
    assert parse_id_number(make_id("110105", date(1980, 1, 1), 7, False), TODAY).gender is Gender.female
    assert int(make_id("110105", date(1980, 1, 1), 7, True)[16]) % 2 == 1


def test_parse_id_number_raises_first_reason():
    with pytest.raises(DomainError) as caught:
        parse_id_number("123", TODAY)
    assert caught.value.code == "id.length"
    assert caught.value.message == "身份证号应为18位，当前为3位"


def test_inspect_keeps_normalised_number_even_when_invalid():
    result = inspect_id_number("１１０１０５", TODAY)
    assert (result.number, result.valid, result.info) == ("110105", False, None)


@pytest.mark.parametrize(("number", "masked"), [
    ("110105194912311234", "110***********1234"),
    ("11010519491231002x", "110***********002X"),
    ("1234567", "*******"),
    ("12345678", "123*5678"),
    ("", ""),
])
def test_mask_id_keeps_first_three_and_last_four(number, masked):
    assert mask_id(number) == masked


def test_make_id_rejects_bad_arguments():
    with pytest.raises(ValueError):
        make_id("11010", date(1980, 1, 1), 0, True)
    with pytest.raises(ValueError):
        make_id("110105", date(1980, 1, 1), 500, True)


regions = st.sampled_from(["110101", "310115", "440305", "650102", "540102", "810000"])
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@settings(max_examples=300, deadline=None)
@given(regions, births, st.integers(0, 499), st.booleans())
def test_make_id_always_valid_and_round_trips(region, birth, seq, male):
    info = parse_id_number(make_id(region, birth, seq, male), TODAY)
    assert (info.region, info.birth_date, info.gender) == (region, birth, Gender.male if male else Gender.female)


@settings(max_examples=300, deadline=None)
@given(regions, births, st.integers(0, 499), st.booleans(), st.integers(0, 17), st.integers(1, 9))
def test_check_character_catches_every_single_digit_error(region, birth, seq, male, position, shift):
    number = make_id(region, birth, seq, male)
    if position == 17:
        wrong = "0123456789X"[("0123456789X".index(number[17]) + shift) % 11]
    else:
        wrong = str((int(number[position]) + shift) % 10)
    changed = number[:position] + wrong + number[position + 1:]
    assert check_id_number(changed, TODAY) != []


@settings(max_examples=300, deadline=None)
@given(regions, births, st.integers(0, 499), st.booleans(), st.integers(0, 15))
def test_check_character_catches_adjacent_transpositions(region, birth, seq, male, position):
    number = make_id(region, birth, seq, male)
    a, b = number[position], number[position + 1]
    if a != b:
        swapped = number[:position] + b + a + number[position + 2:]
        assert check_id_number(swapped, TODAY) != []
