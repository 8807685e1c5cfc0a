"""Charts drawn on the server as inline SVG: the score gauge, task bars, the compare bars, the treemap and the
scatter of modelled exposure against observed use.

Each chart is an <svg role="img"> with a <title> and a <desc> (its accessible name and description); the
page next to it always holds the same numbers as text or a table. Colours come from one colour-blind-safe
sequential palette (cividis: dark blue to yellow, readable in every common colour-vision deficiency and in
grey), in five bins, so that the legend can name each bin.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

# Cividis at 0.1, 0.3, 0.5, 0.7, 0.9, and the text colour that keeps AA contrast on each.
PALETTE = ("#00306f", "#4a5470", "#7b7b78", "#b2a46d", "#e9d355")
TEXT_ON = ("#ffffff", "#ffffff", "#000000", "#000000", "#000000")
BIN_EDGES = (0.2, 0.4, 0.6, 0.8)
# A tile without a value (a job the colouring measure has no figure for): white, hatched, not a palette colour.
NO_VALUE_FILL = "url(#no-value)"
NO_VALUE_PATTERN = (
    '<defs><pattern id="no-value" width="8" height="8" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#6f6f6f" stroke-width="3"/></pattern></defs>'
)


def bin_of(score: float) -> int:
    return sum(score >= edge for edge in BIN_EDGES)


def colour(score: float) -> str:
    return PALETTE[bin_of(score)]


def legend_bins() -> list[tuple[str, str, str]]:
    """(fill, text colour, label) per bin: '0–20%', … '80–100%'."""
    edges = (0, *(round(e * 100) for e in BIN_EDGES), 100)
    return [(PALETTE[i], TEXT_ON[i], f"{edges[i]}–{edges[i + 1]}%") for i in range(len(PALETTE))]


def _svg(width: float, height: float, title: str, desc: str, body: str, css_class: str) -> Markup:
    ident = f"c{zlib.crc32((title + desc + body).encode()):08x}"
    return Markup(
        f'<svg class="{css_class}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def _polar(cx: float, cy: float, r: float, fraction: float) -> tuple[float, float]:
    """A point on the upper half circle: fraction 0 at the left, 1 at the right."""
    angle = math.pi * (1 - fraction)
    return cx + r * math.cos(angle), cy - r * math.sin(angle)


def _arc(cx: float, cy: float, r: float, start: float, end: float) -> str:
    x0, y0 = _polar(cx, cy, r, start)
    x1, y1 = _polar(cx, cy, r, end)
    return f"M{x0:.2f},{y0:.2f} A{r},{r} 0 0 1 {x1:.2f},{y1:.2f}"


def gauge(score: float, low: float, high: float, title: str, desc: str) -> Markup:
    """A half dial 0–100%: the five palette bins as its scale, the raters' range as a band outside the
    scale, a needle, and the value written under the hub."""
    cx, cy, r = 170, 165, 120
    parts = []
    edges = (0.0, *BIN_EDGES, 1.0)
    for i in range(len(PALETTE)):
        parts.append(
            f'<path d="{_arc(cx, cy, r, edges[i], edges[i + 1])}" stroke="{PALETTE[i]}" '
            'stroke-width="28" fill="none"/>'
        )
    if high > low:
        parts.append(
            f'<path class="gauge-range" d="{_arc(cx, cy, r + 24, low, high)}" stroke-width="10" fill="none"/>'
        )
    nx, ny = _polar(cx, cy, r - 22, score)
    parts.append(
        f'<line class="gauge-needle" x1="{cx}" y1="{cy}" x2="{nx:.2f}" y2="{ny:.2f}" stroke-width="6" '
        'stroke-linecap="round"/>'
    )
    parts.append(f'<circle class="gauge-needle-hub" cx="{cx}" cy="{cy}" r="10"/>')
    parts.append(
        f'<text class="gauge-value" x="{cx}" y="{cy + 48}" text-anchor="middle">{round(score * 100)}%</text>'
    )
    parts.append(f'<text class="gauge-scale" x="{cx - r}" y="{cy + 30}" text-anchor="middle">0%</text>')
    parts.append(f'<text class="gauge-scale" x="{cx + r}" y="{cy + 30}" text-anchor="middle">100%</text>')
    return _svg(340, 225, title, desc, "".join(parts), "gauge")


def score_bar(score: float | None) -> Markup:
    """A decorative bar for one task (its number is printed beside it), hidden from screen readers."""
    if score is None:
        return Markup("")
    width = max(score * 100, 0.5)
    return Markup(
        '<svg class="bar" viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect class="bar-track" x="0" y="0" width="100" height="12"/>'
        f'<rect x="0" y="0" width="{width:.1f}" height="12" fill="{colour(score)}"/></svg>'
    )


def compare_bars(rows: list[tuple[str, float, float, float]], title: str, desc: str) -> Markup:
    """One horizontal bar per (label, score, low, high), with the range as a line."""
    row_h, label_w, bar_w = 60, 0, 640
    height = row_h * len(rows) + 40
    parts = []
    for i, (label, score, low, high) in enumerate(rows):
        y = i * row_h + 32
        text = label if len(label) <= 40 else label[:39] + "…"  # the full title is in the table below
        parts.append(
            f'<text class="chart-label" x="0" y="{y - 4}">{escape(text)} — {round(score * 100)}%</text>'
        )
        parts.append(f'<rect class="bar-track" x="{label_w}" y="{y}" width="{bar_w}" height="20"/>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{score * bar_w:.1f}" height="20" fill="{colour(score)}"/>'
        )
        if high > low:
            parts.append(
                f'<line class="range-line" x1="{label_w + low * bar_w:.1f}" x2="{label_w + high * bar_w:.1f}" '
                f'y1="{y + 10}" y2="{y + 10}" stroke-width="4"/>'
            )
    for pct in (0, 50, 100):
        x = label_w + pct / 100 * bar_w
        anchor = {0: "start", 50: "middle", 100: "end"}[pct]
        parts.append(
            f'<text class="chart-axis" x="{x}" y="{height - 4}" text-anchor="{anchor}">{pct}%</text>'
        )
    return _svg(bar_w, height, title, desc, "".join(parts), "compare-chart")


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float


def squarify(values: list[float], box: Rect) -> list[Rect]:
    """Squarified treemap layout (Bruls, Huizing, van Wijk 2000): one rectangle per value, in order, with
    areas proportional to the values and aspect ratios kept near 1. Values must be > 0, sorted descending."""
    total = sum(values)
    if not values or total <= 0:
        return []
    scale = box.w * box.h / total
    areas = [v * scale for v in values]
    rects: list[Rect] = []
    x, y, w, h = box.x, box.y, box.w, box.h
    i = 0
    while i < len(areas):
        side = min(w, h)
        row = [areas[i]]
        i += 1
        while i < len(areas) and _worst(row + [areas[i]], side) <= _worst(row, side):
            row.append(areas[i])
            i += 1
        thickness = sum(row) / side
        offset = 0.0
        for area in row:
            length = area / thickness
            if w >= h:  # a column at the left
                rects.append(Rect(x, y + offset, thickness, length))
            else:  # a row at the top
                rects.append(Rect(x + offset, y, length, thickness))
            offset += length
        if w >= h:
            x, w = x + thickness, w - thickness
        else:
            y, h = y + thickness, h - thickness
    return rects


def _worst(row: list[float], side: float) -> float:
    total = sum(row)
    return max(max(side * side * a / (total * total), total * total / (side * side * a)) for a in row)


@dataclass
class TreemapItem:
    group: str
    label: str
    value: float
    score: float | None  # None: hatched, no palette colour (the legend's "no figures")


def treemap(items: list[TreemapItem], title: str, desc: str, width: int = 1200, height: int = 720) -> Markup:
    """Groups laid out by their total, then each group's items inside it; labels where they fit."""
    groups: dict[str, list[TreemapItem]] = {}
    for item in items:
        if item.value > 0:
            groups.setdefault(item.group, []).append(item)
    ordered = sorted(groups.items(), key=lambda g: -sum(i.value for i in g[1]))
    outer = squarify([sum(i.value for i in members) for _, members in ordered], Rect(0, 0, width, height))
    parts = []
    for (_, members), area in zip(ordered, outer, strict=True):
        members = sorted(members, key=lambda i: -i.value)
        inner = squarify([m.value for m in members], Rect(area.x + 1, area.y + 1, area.w - 2, area.h - 2))
        for member, r in zip(members, inner, strict=True):
            b = None if member.score is None else bin_of(member.score)
            fill = NO_VALUE_FILL if b is None else PALETTE[b]
            parts.append(
                f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" fill="{fill}" '
                'class="tile"/>'
            )
            if r.w > 90 and r.h > 34 and b is not None:
                chars = int(r.w / 8.5)
                text = member.label if len(member.label) <= chars else member.label[: chars - 1] + "…"
                parts.append(
                    f'<text x="{r.x + 5:.1f}" y="{r.y + 18:.1f}" fill="{TEXT_ON[b]}" class="tile-label">'
                    f"{escape(text)}</text>"
                )
        parts.append(
            f'<rect x="{area.x:.1f}" y="{area.y:.1f}" width="{area.w:.1f}" height="{area.h:.1f}" '
            'class="group-outline"/>'
        )
    defs = NO_VALUE_PATTERN if any(item.score is None for item in items) else ""
    return _svg(width, height, title, desc, defs + "".join(parts), "treemap")


@dataclass
class ScatterPoint:
    label: str  # the point's own <title>: the job and both its values, in words
    x: float
    y: float


def scatter(points: list[ScatterPoint], x_label: str, y_label: str, title: str, desc: str) -> Markup:
    """Each point a job on 0–100% axes (x across, y up), one ink colour: position alone carries the values,
    and each point's <title> names the job and both its values. Gridlines every 25%."""
    width, height, left, bottom, top, right = 520, 480, 100, 90, 20, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = []
    for pct in (0, 25, 50, 75, 100):
        x, y = left + pct / 100 * plot_w, top + (1 - pct / 100) * plot_h
        parts.append(
            f'<line class="scatter-grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(f'<line class="scatter-grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}"/>')
        parts.append(
            f'<text class="scatter-axis" x="{left - 8}" y="{y + 6:.1f}" text-anchor="end">{pct}%</text>'
        )
        parts.append(
            f'<text class="scatter-axis" x="{x:.1f}" y="{top + plot_h + 32}" text-anchor="middle">{pct}%</text>'
        )
    parts.append(
        f'<text class="scatter-label" x="{left + plot_w / 2:.1f}" y="{height - 12}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
    )
    parts.append(
        f'<text class="scatter-label" transform="translate(26 {top + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    for point in points:
        cx, cy = left + point.x * plot_w, top + (1 - point.y) * plot_h
        parts.append(
            f'<circle class="scatter-point" cx="{cx:.1f}" cy="{cy:.1f}" r="5">'
            f"<title>{escape(point.label)}</title></circle>"
        )
    return _svg(width, height, title, desc, "".join(parts), "scatter")
