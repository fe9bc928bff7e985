"""The manual quotes the interface exactly: every label in 「…」 in docs/manual must be on a page.

Convention (docs/manual/index.md): text in 「」 is a menu item, page title, button, link, section or field label as
the app shows it. Inside a quote "…" stands for a part the page fills in (「进入“…”阶段」 ← 进入“工作部署”阶段).

A label counts as shown when it is in the text of a template under templates/ (or a string literal in one of its
expressions), in a WTForms field label (election/forms), or in the few Python tables that hold labels the templates
print (the navigation, stage names, decision kinds, duty links, task result links). A ``{{ … }}`` in a template
stands for what the page fills in: a stage name, a list's name (推荐人选, 考察对象, 初步人选) or a number, so
「进入“工作部署”阶段」 matches ``进入“{{ m.target.label }}”阶段`` and 「保存第1次录入」 ``保存第{{ entry_no }}次录入``.
Renaming a button the manual mentions therefore fails this test until the manual is updated too.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflow.pipeline.stages import PIPELINE, Stage

FILLS = sorted({s.label for s in Stage} | {"推荐人选", "考察对象", "初步人选", "预备人选"}, key=len, reverse=True)

ROOT = Path(__file__).resolve().parents[2]
MANUAL = ROOT / "docs" / "manual"
LABEL = re.compile(r"「([^「」\n]+)」")
ELLIPSIS = "…"
# Python sources whose strings are labels the templates show (navigation, stage names, decision kinds, form labels)
LABEL_SOURCES = ("election/core/web.py", "election/*/forms.py", "election/core/fields.py", "election/dashboard/views.py",
                 "election/tasks/views.py", "election/tasks/models.py", "election/elections/services.py",
                 "election/elections/decisions.py",
                 "workflow/pipeline/stages.py")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
TAG = re.compile(r"<[^>]*>")


def manual_labels() -> dict[str, list[str]]:
    """label -> the chapters quoting it."""
    found: dict[str, list[str]] = {}
    for path in sorted(MANUAL.glob("*.md")):
        for label in LABEL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(label.strip(), []).append(path.name)
    return found


def _template_text(source: str) -> str:
    """A template's visible text: tags dropped (attributes hold aria-labels and confirmations too), expressions → …"""
    attributes = " ".join(re.findall(r'(?:aria-label|data-confirm|placeholder|title)="([^"]*)"', source))
    literals = " ".join(lit for expr in JINJA.findall(source) for lit in re.findall(r"'([^'\n]*)'", expr))
    text = JINJA.sub(ELLIPSIS, source)
    text = TAG.sub(" ", text)
    return " ".join(text.split()) + " " + JINJA.sub(ELLIPSIS, attributes) + " " + literals


def _python_strings(source: str) -> str:
    return " ".join(re.findall(r'"([^"\n]*)"', source))


def interface_text(templates: dict[str, str] | None = None) -> str:
    if templates is None:
        templates = {str(p): p.read_text(encoding="utf-8") for p in (ROOT / "templates").rglob("*.html")}
    parts = [_template_text(src) for src in templates.values()]
    for pattern in LABEL_SOURCES:
        for file in sorted(ROOT.glob(pattern)):
            parts.append(_python_strings(file.read_text(encoding="utf-8")))
    return "\n".join(parts)


def label_pattern(label: str) -> re.Pattern:
    """The label as a pattern: literal text, with "…" (in the manual or a template) matching what a page fills in."""
    pieces = [re.escape(p) for p in label.split(ELLIPSIS)]
    return re.compile(f"(?:{re.escape(ELLIPSIS)}|[^\\n]{{0,40}}?)".join(pieces))


def generalisations(label: str) -> list[str]:
    """The label itself, then with one filled-in part (a stage or list name, a number) replaced by "…"."""
    out = [label]
    for fill in FILLS:
        start = label.find(fill)
        while start != -1:
            out.append(label[:start] + ELLIPSIS + label[start + len(fill):])
            start = label.find(fill, start + 1)
    out += [label[:m.start()] + ELLIPSIS + label[m.end():] for m in re.finditer(r"\d+", label)]
    return out


def shown(label: str, text: str) -> bool:
    return any(label_pattern(g).search(text) for g in generalisations(label))


def missing(labels, text: str) -> list[str]:
    return [label for label in labels if not shown(label, text)]


@pytest.fixture(scope="module")
def text():
    return interface_text()


def test_the_manual_quotes_the_interface(text):
    labels = manual_labels()
    assert len(labels) >= 100, "the manual should name what to click in 「」"
    bad = {label: labels[label] for label in missing(labels, text)}
    assert not bad, "labels quoted in the manual that no page shows (rename them in the manual or the template): " \
                    + "; ".join(f"「{k}」 in {', '.join(sorted(set(v)))}" for k, v in bad.items())


def test_a_renamed_button_is_caught():
    """The check is not vacuous: rename a button the manual names and it is reported."""
    templates = {str(p): p.read_text(encoding="utf-8") for p in (ROOT / "templates").rglob("*.html")}
    key = next(k for k, v in templates.items() if ">保存时间安排</button>" in v)
    assert "保存时间安排" in manual_labels()
    assert missing(["保存时间安排"], interface_text(templates)) == []
    templates[key] = templates[key].replace(">保存时间安排</button>", ">保存</button>")
    assert missing(["保存时间安排"], interface_text(templates)) == ["保存时间安排"]


def test_the_office_chapter_walks_every_stage_in_order():
    """The office chapter goes from 制定工作方案 to 结果上报, one section per stage, in the pipeline's order."""
    chapter = (MANUAL / "02-office.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### \d+\. (.+)$", chapter, re.MULTILINE)
    assert [h.split("（")[0] for h in headings] == [s.label for s in PIPELINE]
    buttons = [f"进入“{s.label}”阶段" for s in (*PIPELINE[1:], Stage.completed)]
    positions = [chapter.find(f"「{b}」") for b in buttons]
    assert -1 not in positions, dict(zip(buttons, positions, strict=True))
    assert positions == sorted(positions)


def test_every_chapter_quotes_labels_and_the_quick_start_points_to_each_role():
    for path in MANUAL.glob("0*.md"):
        assert LABEL.search(path.read_text(encoding="utf-8")), path.name
    quick = (MANUAL / "01-quickstart.md").read_text(encoding="utf-8")
    for chapter in ("02-office.md", "03-unit.md", "04-vetting.md", "05-tellers.md"):
        assert f"({chapter})" in quick, chapter
