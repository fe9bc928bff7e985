"""Text that is not what it looks like: invisible direction controls and zero-width characters, and how a write-in
name is compared with the candidates.

A name with a right-to-left override (U+202E) prints its characters in another order than they are stored; a name
with a zero-width space looks identical to the real one but is a different string, so a write-in "张\u200b三" would be
counted apart from the candidate 张三. Such characters have no place in a name, a unit or any other text a clerk types:
``hidden_characters`` finds them so forms, spreadsheet readers and the API refuse them with a message naming the
field. A write-in on a ballot is compared after ``normalize_name``: Unicode NFKC (full-width letters and digits,
compatibility forms), hidden characters and every kind of space removed.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Unicode bidirectional formatting characters (UAX #9): embeddings, overrides, isolates, marks
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"]
)
# zero-width space, non-joiner, joiner, word joiner, byte-order mark (zero-width no-break space)
ZERO_WIDTH = frozenset(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
HIDDEN = BIDI_CONTROLS | ZERO_WIDTH


def hidden_characters(text: str) -> list[str]:
    """The invisible direction controls and zero-width characters in TEXT, each once, in order of appearance."""
    if HIDDEN.isdisjoint(text):  # the usual case, decided in one pass in C
        return []
    seen: list[str] = []
    for ch in text:
        if ch in HIDDEN and ch not in seen:
            seen.append(ch)
    return seen


def describe_hidden(chars: list[str]) -> str:
    """"U+202E、U+200B": the code points, as a clerk can look them up."""
    return "、".join(f"U+{ord(c):04X}" for c in chars)


def hidden_message(field: str, text: str) -> str | None:
    """The Chinese refusal for FIELD when TEXT holds hidden characters, else None."""
    chars = hidden_characters(text)
    if not chars:
        return None
    return (f"{field}含有看不见的控制字符（{describe_hidden(chars)}），会使文字显示顺序颠倒或与看上去相同的文字不一致，"
            "请删除后重新输入（可先粘贴到记事本中再复制）")


def strip_hidden(text: str) -> str:
    if HIDDEN.isdisjoint(text):
        return text
    return "".join(ch for ch in text if ch not in HIDDEN)


@lru_cache(maxsize=16384)  # the same names come again and again (a ballot's candidates, a roll)
def normalize_name(text: str) -> str:
    """A name as it is compared: NFKC, without hidden characters and without any space (a name written
    "张　三", "张 三" or "Ｚｈａｎｇ" matches "张三" / "Zhang")."""
    folded = unicodedata.normalize("NFKC", strip_hidden(text))
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) not in ("Zs", "Cf"))
