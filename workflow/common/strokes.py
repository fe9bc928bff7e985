"""姓氏笔画 order: the sort key for lists of candidates and delegates.

来源: docs/rules.md §3.4 (GF 3003—1999). Names are compared character by character. For each character:
fewer strokes first; equal counts → the stroke shapes in writing order, 横(提) 1 < 竖(竖钩) 2 < 撇 3 <
点(捺) 4 < 折 5; identical characters compare equal and the next character decides; a name that is a
prefix of another comes first. A compound surname is not summed (欧阳少东 before 洪少东).

Two different characters with the same sequence (己 已 巳) are put in the order of 《通用规范汉字表》, whose
numbering follows the standard's further rules, so the result never depends on input order.

Data: ``workflow/data/strokes.tsv`` (8,105 characters of 《通用规范汉字表》, built by
tools/build_stroke_data.py, provenance in its header). A character without data never raises: it sorts
after every known character at its position (among themselves by code point) and is listed by
:func:`unknown_characters` so that the office can enter its strokes as an override.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

from workflow.common.results import DomainError

T = TypeVar("T")

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "strokes.tsv"

# Ignored for comparison, kept in output: 间隔号 of minority and foreign names (买买提·艾力) and its
# look-alikes, hyphens, and any whitespace (including the full-width space of "王　宁").
SEPARATORS = frozenset("·•‧・･.．-－‐‑—")

_EMPTY_SLOT = -1  # the padding slot of a two-character name sorts before any character
_UNKNOWN_BASE = 10**7  # unknown characters: after every known one, among themselves by code point
_UNLISTED = 10**6  # table number given to override characters outside the table
_STROKE_DIGITS = frozenset("12345")


@cache
def _table() -> dict[str, tuple[int, str, int]]:
    """char -> (count, sequence, table number), read once."""
    table: dict[str, tuple[int, str, int]] = {}
    with DATA_FILE.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith(("#", "char\t")):
                continue
            char, _cp, count, seq, tgh, *_ = line.rstrip("\n").split("\t")
            table[char] = (int(count), seq, int(tgh))
    return table


def _rank(entries: dict[str, tuple[int, str, int]]) -> dict[str, int]:
    """Each character's place in the total order (count, sequence, table number): one int per character,
    so that comparing two names compares small ints instead of nested tuples."""
    ordered = sorted(entries, key=entries.__getitem__)
    return {char: place for place, char in enumerate(ordered)}


@cache
def _known_keys() -> dict[str, int]:
    return _rank(_table())


@lru_cache(maxsize=32)
def _ranks_with(overrides: tuple[tuple[str, str], ...]) -> dict[str, int]:
    table = _table()
    entries = dict(table)
    for char, seq in overrides:
        number = table[char][2] if char in table else _UNLISTED + ord(char)
        entries[char] = (len(seq), seq, number)
    return _rank(entries)


def stroke_sequence(char: str) -> str | None:
    """The stroke shapes of one character as digits 1–5 in writing order, or None without data."""
    entry = _table().get(char)
    return entry[1] if entry else None


def stroke_count(char: str) -> int | None:
    """The number of strokes of one character, or None without data."""
    entry = _table().get(char)
    return entry[0] if entry else None


def _checked(overrides: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    if not overrides:
        return ()
    for char, seq in overrides.items():
        if not isinstance(char, str) or len(char) != 1:
            raise DomainError(f"笔画补录的字“{char}”应为单个汉字", code="strokes.override.char")
        if not isinstance(seq, str) or not seq or not set(seq) <= _STROKE_DIGITS:
            raise DomainError(
                f"“{char}”的笔顺“{seq}”无效：请按书写顺序用数字填写，1横（提）2竖（竖钩）3撇 4点（捺）5折，如“达”为134454",
                code="strokes.override.sequence",
            )
    return tuple(sorted(overrides.items()))


def _is_separator(ch: str) -> bool:
    return ch in SEPARATORS or ch.isspace()


def _characters(name: str) -> list[str]:
    if not unicodedata.is_normalized("NFC", name):
        name = unicodedata.normalize("NFC", name)  # compatibility ideographs -> unified ones
    return [ch for ch in name if not _is_separator(ch)]


class _Places(dict):
    """character → its place in the order; a character without data is placed (after every known one, by code
    point) the first time it is seen, a separator maps to None, so keys are one C-level lookup per character."""

    def __missing__(self, ch: str) -> int | None:
        place = None if _is_separator(ch) else _UNKNOWN_BASE + ord(ch)
        self[ch] = place
        return place


def _key_function(pad_single_given_name: bool, overrides: Mapping[str, str] | None) -> Callable[[str], tuple]:
    return _key_for(pad_single_given_name, _checked(overrides))


@lru_cache(maxsize=32)
def _key_for(pad_single_given_name: bool, checked: tuple[tuple[str, str], ...]) -> Callable[[str], tuple]:
    places = _Places(_ranks_with(checked) if checked else _known_keys())
    lookup = places.__getitem__
    normalized = unicodedata.is_normalized

    def key(name: str) -> tuple[int, ...]:
        if not normalized("NFC", name):
            name = unicodedata.normalize("NFC", name)
        parts = tuple(map(lookup, name))
        if None in parts:  # separators skipped
            parts = tuple(p for p in parts if p is not None)
        # 来源: docs/rules.md §3.4 [待定] — optional empty slot between surname and a one-character given name
        if pad_single_given_name and len(parts) == 2:
            parts = (parts[0], _EMPTY_SLOT, parts[1])
        return parts

    return key


def stroke_key_function(*, pad_single_given_name: bool = False,
                        overrides: Mapping[str, str] | None = None) -> Callable[[str], tuple]:
    """``stroke_key`` with its settings bound, for keying many names (a district's delegates)."""
    return _key_function(pad_single_given_name, overrides)


def stroke_key(name: str, *, pad_single_given_name: bool = False, overrides: Mapping[str, str] | None = None) -> tuple:
    """Sort key of one name in 姓氏笔画 order: one int per character (separators skipped), its place in the
    order of (stroke count, stroke sequence, table number); -1 for the padding slot; unknown characters
    after all known ones. Keys are comparable only when built with the same overrides."""
    return _key_function(pad_single_given_name, overrides)(name)


def sort_names(
    names: Iterable[str], *, pad_single_given_name: bool = False, overrides: Mapping[str, str] | None = None
) -> list[str]:
    """The names in 姓氏笔画 order; equal keys keep their input order."""
    return sorted(names, key=_key_function(pad_single_given_name, overrides))


def sort_by_name(
    items: Iterable[T],
    key: Callable[[T], str],
    *,
    pad_single_given_name: bool = False,
    overrides: Mapping[str, str] | None = None,
) -> list[T]:
    """Records in 姓氏笔画 order of ``key(item)``; equal names keep their input order."""
    name_key = _key_function(pad_single_given_name, overrides)
    return sorted(items, key=lambda item: name_key(key(item)))


def unknown_characters(names: Iterable[str], overrides: Mapping[str, str] | None = None) -> list[str]:
    """Characters of the names that have neither data nor an override, unique, by code point."""
    known = _known_keys()
    extra = overrides or {}
    missing = {ch for name in names for ch in _characters(name) if ch not in known and ch not in extra}
    return sorted(missing)
