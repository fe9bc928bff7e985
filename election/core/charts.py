"""Server-rendered SVG charts: pure functions from numbers to an SVG string.

No JavaScript and no CDN: the pages work on networks without internet. Every chart carries a <title> and
an aria-label, and the page shows the same numbers in a table beside it. Only presentation attributes
are used (no style="…"), because the CSP forbids inline styles. Widths are whole numbers computed with
integer arithmetic, so the same numbers always give the same SVG.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

OK = "#1a7f37"
BAD = "#b3261e"
WARN = "#9a6700"
NEUTRAL = "#8c959f"
TRACK = "#eaeef2"
INK = "#1f2328"
FONT = 'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif"'


def _svg(width: int, height: int, title: str, body: str) -> str:
    t = escape(title)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{t}">'
            f"<title>{t}</title>{body}</svg>")


def _scale(value: int, maximum: int, width: int) -> int:
    """VALUE out of MAXIMUM as a whole number of pixels out of WIDTH (clamped to 0..WIDTH)."""
    if maximum <= 0:
        return 0
    return max(0, min(width, value * width // maximum))


# --------------------------------------------------------------------------------------- share of a whole
@dataclass(frozen=True)
class Part:
    label: str
    value: int
    color: str = NEUTRAL


def render_stacked_bar(parts: Sequence[Part], title: str, width: int = 480) -> str:
    """One horizontal bar split into PARTS (e.g. units submitted / draft / exempted), with a legend."""
    total = sum(max(p.value, 0) for p in parts)
    bar_h, legend_y = 24, 44
    body, x, acc = [], 0, 0
    for p in parts:
        acc += max(p.value, 0)
        end = _scale(acc, total, width)
        if end > x:
            body.append(f'<rect x="{x}" y="0" width="{end - x}" height="{bar_h}" fill="{p.color}">'
                        f"<title>{escape(p.label)}：{p.value}</title></rect>")
        x = end
    if total == 0:
        body.append(f'<rect x="0" y="0" width="{width}" height="{bar_h}" fill="{TRACK}"/>')
    lx = 0
    for p in parts:
        text = f"{p.label} {p.value}"
        body.append(f'<rect x="{lx}" y="{legend_y - 10}" width="10" height="10" fill="{p.color}"/>'
                    f'<text x="{lx + 14}" y="{legend_y}" font-size="12" fill="{INK}" {FONT}>{escape(text)}</text>')
        lx += 14 + 13 * len(text) + 16
    return _svg(max(width, lx), legend_y + 6, title, "".join(body))


# --------------------------------------------------------------------------------------- quota bars
@dataclass(frozen=True)
class QuotaBar:
    """One quota rule: the count as the list stands and in the worst election outcome, against its bounds."""

    label: str
    actual: int
    worst: int
    minimum: int | None
    maximum: int | None
    scale: int          # the full width stands for this many people (the list length or the seats)
    ok: bool
    worst_ok: bool


def render_quota_bars(bars: Sequence[QuotaBar], title: str, width: int = 520) -> str:
    """Per rule two bars (现有 above, 最不利 below) with the minimum (▲ solid line) and maximum (dashed) marked."""
    label_w, row_h, bar_h = 150, 46, 14
    plot_w = width - label_w - 60
    body = []
    for i, b in enumerate(bars):
        y = i * row_h + 4
        scale = max(b.scale, b.actual, b.worst, b.maximum or 0, b.minimum or 0, 1)
        body.append(f'<text x="0" y="{y + 20}" font-size="13" fill="{INK}" {FONT}>{escape(b.label)}</text>')
        for j, (value, good, name) in enumerate(((b.actual, b.ok, "现有"), (b.worst, b.worst_ok, "最不利"))):
            by = y + j * (bar_h + 4)
            w = _scale(value, scale, plot_w)
            color = (OK if good else BAD) if j == 0 else (OK if good else WARN)
            body.append(f'<rect x="{label_w}" y="{by}" width="{plot_w}" height="{bar_h}" fill="{TRACK}"/>'
                        f'<rect x="{label_w}" y="{by}" width="{w}" height="{bar_h}" fill="{color}">'
                        f"<title>{escape(b.label)}{name}{value}名</title></rect>"
                        f'<text x="{label_w + plot_w + 6}" y="{by + 12}" font-size="12" fill="{INK}" {FONT}>'
                        f"{name}{value}</text>")
        for bound, dash, word in ((b.minimum, "", "至少"), (b.maximum, ' stroke-dasharray="3 2"', "最多")):
            if bound is None:
                continue
            bx = label_w + _scale(bound, scale, plot_w)
            body.append(f'<line x1="{bx}" y1="{y - 2}" x2="{bx}" y2="{y + 2 * bar_h + 6}" stroke="{INK}" '
                        f'stroke-width="2"{dash}><title>{word}{bound}名</title></line>')
    return _svg(width, max(len(bars), 1) * row_h + 4, title, "".join(body))


# --------------------------------------------------------------------------------------- stage timeline
@dataclass(frozen=True)
class TimelineStep:
    label: str
    due: date | None            # plan
    finished: date | None       # actual
    state: str                  # done / current / pending / aborted
    late_days: int | None = None


STATE_COLORS = {"done": OK, "current": "#0969da", "pending": TRACK, "aborted": BAD}


def render_stage_timeline(steps: Sequence[TimelineStep], today: date, title: str, width: int = 900) -> str:
    """The pipeline as a row of blocks (done / current / pending), plan dates below, actual finish and
    lateness, and a marker for TODAY placed between the due dates around it."""
    n = max(len(steps), 1)
    cell = width // n
    body = []
    for i, s in enumerate(steps):
        x = i * cell
        fill = STATE_COLORS.get(s.state, TRACK)
        text_fill = "#fff" if s.state in ("done", "current", "aborted") else INK
        late = s.late_days is not None and s.late_days > 0
        stroke = f' stroke="{BAD}" stroke-width="2"' if late else ""
        body.append(f'<rect x="{x + 1}" y="20" width="{cell - 2}" height="28" rx="3" fill="{fill}"{stroke}>'
                    f"<title>{escape(s.label)}</title></rect>"
                    f'<text x="{x + cell // 2}" y="39" font-size="12" text-anchor="middle" fill="{text_fill}" {FONT}>'
                    f"{escape(s.label[:6])}</text>")
        plan = f"计划{s.due.month}.{s.due.day}" if s.due else "未定"
        body.append(f'<text x="{x + cell // 2}" y="64" font-size="11" text-anchor="middle" fill="{INK}" {FONT}>'
                    f"{plan}</text>")
        if s.finished:
            actual = f"实际{s.finished.month}.{s.finished.day}" + (f" 晚{s.late_days}天" if late else "")
            body.append(f'<text x="{x + cell // 2}" y="78" font-size="11" text-anchor="middle" '
                        f'fill="{BAD if late else OK}" {FONT}>{actual}</text>')
    tx = _today_x(steps, today, cell)
    if tx is not None:
        label_x = max(14, min(width - 14, tx))
        body.append(f'<line x1="{tx}" y1="4" x2="{tx}" y2="54" stroke="{BAD}" stroke-width="2"/>'
                    f'<text x="{label_x}" y="13" font-size="11" text-anchor="middle" fill="{BAD}" {FONT}>'
                    f"今天</text>")
    return _svg(width, 84, title, "".join(body))


def _today_x(steps: Sequence[TimelineStep], today: date, cell: int) -> int | None:
    """Where TODAY falls: inside the first stage whose due date has not passed, proportionally between the
    previous due date and its own; after the last block when every due date is past; None without dates."""
    prev: date | None = None
    any_due = False
    for i, s in enumerate(steps):
        if s.due is None:
            continue
        any_due = True
        if today <= s.due:
            start = prev or s.due
            span = (s.due - start).days
            frac_px = cell if span <= 0 else (today - start).days * cell // span if today >= start else 0
            return i * cell + max(0, min(cell, frac_px))
        prev = s.due
    if not any_due:
        return None
    return len(steps) * cell - 2


# --------------------------------------------------------------------------------------- progress
def render_progress(percent: int, title: str, width: int = 300) -> str:
    """A plain progress bar (0–100), e.g. for a print view of a background task."""
    pct = max(0, min(100, int(percent)))
    w = _scale(pct, 100, width)
    body = (f'<rect x="0" y="0" width="{width}" height="16" fill="{TRACK}"/>'
            f'<rect x="0" y="0" width="{w}" height="16" fill="{OK if pct == 100 else "#0969da"}"/>')
    return _svg(width, 16, f"{title}：{pct}%", body)
