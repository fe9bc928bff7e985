"""join_title: no word doubled at a seam, nothing else changed; doubled_words finds what a title must not say."""
from __future__ import annotations

import pytest

from workflow.common.titles import doubled_words, join_title


@pytest.mark.parametrize("parts, title", [
    (("出席区第十次党代会代表选举", "选举选票"), "出席区第十次党代会代表选举选票"),
    (("出席区第十次党代会代表", "选举选票"), "出席区第十次党代会代表选举选票"),
    (("关于", "出席区第十次党代会代表选举", "选举情况的报告"), "关于出席区第十次党代会代表选举情况的报告"),
    (("关于", "出席区第十次党代会代表", "选举情况的报告"), "关于出席区第十次党代会代表选举情况的报告"),
    (("区第十次党代会代表选举", "选举结果"), "区第十次党代会代表选举结果"),
    (("区第十次党代会代表选举", "预备人选名册"), "区第十次党代会代表选举预备人选名册"),
    # a one-character overlap is not a doubled word: both characters stay
    (("某区党代会", "会议纪要"), "某区党代会会议纪要"),
    # empty parts are skipped; a part wholly inside the seam is written once
    (("", "选举选票", ""), "选举选票"),
    (("代表选举", "选举"), "代表选举"),
])
def test_join_title(parts, title):
    assert join_title(*parts) == title


def test_longest_seam_wins():
    assert join_title("党代会代表选举", "代表选举选票") == "党代会代表选举选票"


@pytest.mark.parametrize("text, doubled", [
    ("出席区第十次党代会代表选举选举选票", ["选举"]),
    ("关于区党代会代表选举选举情况的报告", ["选举"]),
    ("出席区第十次党代会代表选举选票", []),
    ("某区党代会会议纪要", []),  # 会会: one character, ordinary
    ("名册名册", ["名册"]),
    ("", []),
])
def test_doubled_words(text, doubled):
    assert doubled_words(text) == doubled
