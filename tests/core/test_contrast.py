"""Colour contrast of the stylesheet: every text colour in static/app.css against the backgrounds it is
used on reaches WCAG AA 4.5:1 (axe checks the rendered pages too: tests/e2e/test_accessibility.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "election" / "static" / "app.css").read_text(encoding="utf-8")
VARS = dict(re.findall(r"--([a-z]+):(#[0-9a-fA-F]{6})", CSS))


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# (text, background) as the stylesheet pairs them
PAIRS = [("fg", "bg"), ("fg", "#ffffff"), ("muted", "#ffffff"), ("muted", "bg"), ("brand", "#ffffff"),
         ("#ffffff", "brand"), ("ok", "#ffffff"), ("ok", "#dafbe1"), ("warn", "#ffffff"), ("warn", "#fff8c5"),
         ("fg", "#eaeef2"), ("brand", "#fff5f5"), ("fg", "#f0f3f6")]


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_contrast_at_least_4_5(text, background):
    colour = VARS.get(text, text)
    back = VARS.get(background, background)
    assert contrast(colour, back) >= 4.5, f"{text} on {background}: {contrast(colour, back):.2f}"


def test_focus_is_visible():
    assert ":focus-visible" in CSS and "outline:3px solid" in CSS
