"""The user manual: docs/manual/*.md rendered to HTML on the server, one chapter per role."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, render_template, send_from_directory, url_for
from markupsafe import Markup

from election.core.config import PROJECT_DIR

bp = Blueprint("help", __name__, url_prefix="/help")

MANUAL_DIR = PROJECT_DIR / "docs" / "manual"
SLUG = re.compile(r"^[0-9a-z][0-9a-z-]*$")
_MD_LINK = re.compile(r'href="(?!https?:|/|#)([0-9a-z-]+)\.md(#[^"]*)?"')
_IMG = re.compile(r'src="images/([0-9A-Za-z_.-]+)"')


def chapters() -> list[tuple[str, str]]:
    """(slug, title) of every chapter, in file-name order; the title is the file's first heading."""
    out = []
    for path in sorted(MANUAL_DIR.glob("*.md")):
        if path.stem == "index":
            continue
        out.append((path.stem, _title(path)))
    return out


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


@lru_cache(maxsize=64)
def _render(path: Path, mtime: float) -> str:
    import markdown

    html = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables", "fenced_code", "toc", "sane_lists"],
                             output_format="html")
    html = _MD_LINK.sub(lambda m: f'href="{url_for("help.chapter", slug=m.group(1))}{m.group(2) or ""}"', html)
    return _IMG.sub(lambda m: f'src="{url_for("help.image", name=m.group(1))}" loading="lazy"', html)


def render_chapter(slug: str) -> tuple[str, Markup]:
    if not SLUG.match(slug):
        abort(404)
    path = MANUAL_DIR / f"{slug}.md"
    if not path.is_file():
        abort(404)
    return _title(path), Markup(_render(path, path.stat().st_mtime))


@bp.get("/")
def index():
    title, body = render_chapter("index")
    return render_template("help/page.html", title=title, body=body, chapters=chapters(), slug="index")


@bp.get("/<slug>")
def chapter(slug: str):
    title, body = render_chapter(slug)
    return render_template("help/page.html", title=title, body=body, chapters=chapters(), slug=slug)


@bp.get("/images/<name>")
def image(name: str):
    if not re.fullmatch(r"[0-9A-Za-z_.-]+\.png", name):
        abort(404)
    return send_from_directory(MANUAL_DIR / "images", name, max_age=3600)
