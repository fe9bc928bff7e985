"""Document titles: one builder for every title, so no word is said twice where an election's name meets the
document's name — 「出席区第十次党代会代表选举」 + 「选举选票」 is 「出席区第十次党代会代表选举选票」, not
「…代表选举选举选票」, while 「出席区第十次党代会代表」 + 「选举选票」 keeps both parts whole."""
from __future__ import annotations

import re

_MIN_SEAM = 2  # a one-character overlap (「会」+「会议」) is ordinary Chinese, not a doubled word
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")


def join_title(*parts: str) -> str:
    """The parts as one title; where the end of what is built so far repeats the start of the next part (two
    characters or more), the repeat is written once."""
    title = ""
    for part in parts:
        if not part:
            continue
        title += part[_seam(title, part):]
    return title


def _seam(left: str, right: str) -> int:
    for size in range(min(len(left), len(right)), _MIN_SEAM - 1, -1):
        if left.endswith(right[:size]):
            return size
    return 0


def doubled_words(text: str) -> list[str]:
    """The words said twice in a row in TEXT (「选举选举」 → ["选举"]): two or more Chinese characters, repeated."""
    return [m.group(1) for m in _DOUBLED.finditer(text or "")]
