"""The chart helpers: the squarified layout's geometry and the palette's bins."""

import math
import re

import pytest

from api.pages import charts


def test_squarify_fills_the_box_with_areas_proportional_to_the_values():
    values = [500.0, 433.0, 78.0, 25.0, 25.0, 7.0]
    box = charts.Rect(0, 0, 600, 400)
    rects = charts.squarify(values, box)
    assert len(rects) == len(values)
    scale = box.w * box.h / sum(values)
    for value, r in zip(values, rects, strict=True):
        assert r.w * r.h == pytest.approx(value * scale)
        assert r.x >= -1e-9 and r.y >= -1e-9
        assert r.x + r.w <= box.w + 1e-6 and r.y + r.h <= box.h + 1e-6
    # No two rectangles overlap.
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            overlap_w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
            overlap_h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
            assert overlap_w <= 1e-6 or overlap_h <= 1e-6


def test_squarify_keeps_equal_values_square():
    rects = charts.squarify([1.0] * 16, charts.Rect(0, 0, 400, 400))
    assert all(math.isclose(r.w, r.h, rel_tol=1e-6) for r in rects)


def test_squarify_of_nothing_is_nothing():
    assert charts.squarify([], charts.Rect(0, 0, 10, 10)) == []


@pytest.mark.parametrize(
    ("score", "expected"), [(0.0, 0), (0.199, 0), (0.2, 1), (0.59, 2), (0.8, 4), (1.0, 4)]
)
def test_scores_fall_into_the_legend_bins(score, expected):
    assert charts.bin_of(score) == expected
    assert charts.colour(score) == charts.PALETTE[expected]
    assert [label for _, _, label in charts.legend_bins()] == [
        "0–20%",
        "20–40%",
        "40–60%",
        "60–80%",
        "80–100%",
    ]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_treemap_labels_keep_aa_contrast_on_their_tile():
    for fill, ink in zip(charts.PALETTE, charts.TEXT_ON, strict=True):
        light, dark = sorted([_luminance(fill), _luminance(ink)], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, fill


def test_treemap_draws_one_tile_per_item_with_a_title_and_description():
    items = [charts.TreemapItem("11-0000", f"Job {i}", 1000 + i, i / 10) for i in range(10)]
    items.append(charts.TreemapItem("15-0000", "No workers counted", 0, 0.5))
    svg = str(charts.treemap(items, "Jobs", "Ten jobs"))
    assert svg.count('class="tile"') == 10
    assert re.search(r"<title id=\"[^\"]+\">Jobs</title><desc id=\"[^\"]+\">Ten jobs</desc>", svg)
    assert 'role="img"' in svg


def test_treemap_hatches_the_tiles_without_a_value_and_labels_none_of_them():
    items = [charts.TreemapItem("11-0000", f"Job {i}", 1000, 0.5) for i in range(3)]
    items.append(charts.TreemapItem("11-0000", "Never observed", 5000, None))
    svg = str(charts.treemap(items, "Jobs", "Four jobs"))
    assert svg.count('fill="url(#no-value)"') == 1 and svg.count('<pattern id="no-value"') == 1
    assert "Never observed" not in svg and svg.count('class="tile-label"') == 3
    assert "no-value" not in str(charts.treemap(items[:3], "Jobs", "Three jobs"))


def test_scatter_places_each_job_by_its_two_values_and_names_it():
    points = [charts.ScatterPoint("A: 0%, 0%", 0, 0), charts.ScatterPoint("B & C: 100%, 50%", 1, 0.5)]
    svg = str(charts.scatter(points, "Could do", "Used for", "Jobs", "Two jobs"))
    circles = re.findall(
        r'<circle class="scatter-point" cx="([\d.]+)" cy="([\d.]+)" r="5"><title>(.*?)</title>', svg
    )
    (x0, y0, a), (x1, y1, b) = circles
    assert (a, b) == ("A: 0%, 0%", "B &amp; C: 100%, 50%")
    assert float(x1) > float(x0) and float(y1) < float(y0)  # right of, and above, the origin
    assert "Could do" in svg and "Used for" in svg and 'role="img"' in svg
    assert re.search(r"<title id=\"[^\"]+\">Jobs</title><desc id=\"[^\"]+\">Two jobs</desc>", svg)
