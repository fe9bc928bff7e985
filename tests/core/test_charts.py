"""Server-rendered SVG charts: pure functions from numbers."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from election.core import charts

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _bars(root: ET.Element, y: str = "0") -> list[int]:
    return [int(r.get("width")) for r in root.iter(f"{NS}rect") if r.get("y") == y and r.find(f"{NS}title") is not None]


def test_stacked_bar_parts_fill_the_width_exactly():
    svg = charts.render_stacked_bar([charts.Part("已提交", 9), charts.Part("未提交", 4), charts.Part("免报", 0)],
                                    "单位", width=480)
    widths = _bars(_parse(svg))
    assert sum(widths) == 480
    assert widths == [332, 148]          # 9/13 of 480 rounded down, the rest to the last part


def test_stacked_bar_all_zero_draws_an_empty_track():
    root = _parse(charts.render_stacked_bar([charts.Part("已提交", 0)], "空"))
    assert _bars(root) == []
    assert root.get("role") == "img" and root.find(f"{NS}title").text == "空"


def test_chart_has_title_and_aria_label_escaped():
    svg = charts.render_stacked_bar([charts.Part("<a>", 1)], "A&B <x>")
    root = _parse(svg)
    assert root.get("aria-label") == "A&B <x>"
    assert root.find(f"{NS}title").text == "A&B <x>"
    assert "style=" not in svg           # the CSP forbids inline styles


@pytest.mark.parametrize("actual, minimum, expected_colour", [(7, 7, charts.OK), (6, 7, charts.BAD)])
def test_quota_bar_exactly_at_minimum_is_green(actual, minimum, expected_colour):
    bar = charts.QuotaBar("基层一线", actual, actual, minimum, None, 16, actual >= minimum, actual >= minimum)
    root = _parse(charts.render_quota_bars([bar], "结构"))
    coloured = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert coloured[0].get("fill") == expected_colour
    lines = list(root.iter(f"{NS}line"))
    assert len(lines) == 1 and lines[0].find(f"{NS}title").text == f"至少{minimum}名"


def test_quota_bar_marks_both_bounds_and_scales_to_the_list():
    bar = charts.QuotaBar("领导干部", 9, 9, None, 9, 18, True, True)
    root = _parse(charts.render_quota_bars([bar], "结构", width=520))
    plot_w = 520 - 150 - 60
    widths = [int(r.get("width")) for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert widths == [plot_w // 2, plot_w // 2]
    (line,) = root.iter(f"{NS}line")
    assert line.get("stroke-dasharray") and int(line.get("x1")) == 150 + plot_w // 2


def test_quota_bar_worst_above_scale_is_clamped():
    bar = charts.QuotaBar("妇女", 30, 0, 5, None, 10, True, False)
    root = _parse(charts.render_quota_bars([bar], "结构", width=520))
    widths = [int(r.get("width")) for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert widths == [310, 0]


def _steps(*dues):
    return [charts.TimelineStep(f"阶段{i}", d, None, "pending") for i, d in enumerate(dues)]


def test_timeline_today_on_a_due_date_is_at_the_end_of_that_stage():
    steps = _steps(date(2019, 1, 10), date(2019, 2, 20), date(2019, 3, 1))
    root = _parse(charts.render_stage_timeline(steps, date(2019, 2, 20), "进度", width=900))
    (line,) = [ln for ln in root.iter(f"{NS}line")]
    assert int(line.get("x1")) == 2 * 300       # the end of the second block


def test_timeline_today_halfway_between_due_dates():
    steps = _steps(date(2019, 1, 1), date(2019, 1, 21))
    root = _parse(charts.render_stage_timeline(steps, date(2019, 1, 11), "进度", width=600))
    (line,) = root.iter(f"{NS}line")
    assert int(line.get("x1")) == 300 + 150


def test_timeline_after_every_due_date_marks_the_end_and_without_dates_no_marker():
    steps = _steps(date(2019, 1, 1), date(2019, 1, 21))
    root = _parse(charts.render_stage_timeline(steps, date(2019, 5, 1), "进度", width=600))
    assert int(next(root.iter(f"{NS}line")).get("x1")) == 598
    root = _parse(charts.render_stage_timeline(_steps(None, None), date(2019, 5, 1), "进度"))
    assert list(root.iter(f"{NS}line")) == []


def test_timeline_late_stage_is_outlined_and_says_how_late():
    steps = [charts.TimelineStep("推荐提名", date(2019, 2, 20), date(2019, 2, 22), "done", 2)]
    svg = charts.render_stage_timeline(steps, date(2019, 3, 1), "进度")
    assert f'stroke="{charts.BAD}"' in svg and "晚2天" in svg and "计划2.20" in svg and "实际2.22" in svg


@pytest.mark.parametrize("pct, width", [(-5, 0), (0, 0), (50, 150), (100, 300), (120, 300)])
def test_progress_clamped_to_0_100(pct, width):
    root = _parse(charts.render_progress(pct, "进度"))
    assert int(list(root.iter(f"{NS}rect"))[1].get("width")) == width
