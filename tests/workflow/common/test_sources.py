"""The rule sources users read: Chinese citations of the governing texts, each traced to docs/rules.md."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflow.common import sources

CONSTANTS = {name: value for name, value in vars(sources).items() if name.isupper()}
SOURCE_FILE = Path(sources.__file__).read_text(encoding="utf-8").splitlines()


def test_there_are_sources():
    assert len(CONSTANTS) >= 10


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_source_is_a_chinese_citation_without_file_or_ticket(name):
    value = CONSTANTS[name]
    assert isinstance(value, str) and re.search(r"[\u4e00-\u9fff]", value)
    assert not re.search(r"(?i)domain|issue|style|tooling|rules|§|#\d|\.(md|py|html)\b", value), \
        f"{name} = {value!r} names a file, a section or a ticket"


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_source_comment_gives_its_rules_section(name):
    index = next(i for i, line in enumerate(SOURCE_FILE) if line.startswith(f"{name} = "))
    assert re.match(r"# docs/rules\.md §\d", SOURCE_FILE[index - 1]), f"{name} has no docs/rules.md § above it"
