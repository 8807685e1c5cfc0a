"""Employment Projections `occupation.xlsx`, Table 1.2 → rows of `bls.bls_proj_metrics`.

The sheet: a title row ('… 2024–2034 … (Employment in thousands)'), the header on row 2, one row per
2024 National Employment Matrix occupation (summary rows and line items, titles indented by level), then
footnotes. Counts of people (employment, change, openings) are in thousands with one decimal and become
persons (× 1000, exact). '—' ("data unavailable") and '>=$239,200' (wage top-code) become NULL with a
flag, like OEWS's '*' and '#'. The headers carry the years, so a workbook of another period is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from occurisk_assets.bls.sources import ProjectionPeriod
from occurisk_assets.bls.workbook import (
    BlsFileError,
    Flag,
    Measure,
    Sheet,
    find_header,
    measure_value,
    normalise_header,
    read_sheet,
    text_value,
)
from occurisk_assets.lib.codes import SOC_CODE

SHEET = "Table 1.2"

TOP_CODED_WAGE = re.compile(r"^>=\s*\$[0-9,]+$")
UNAVAILABLE = "\u2014"  # '—'
OCCUPATION_TYPES = {"line item": "line_item", "summary": "summary"}


def proj_flag(marker: str) -> Flag | None:
    if marker == UNAVAILABLE:
        return "suppressed"
    if TOP_CODED_WAGE.match(marker):
        return "top_coded"
    return None


# (table column, sheet header template, kind, scale); {base}, {projected}, {span} = 2024, 2034, '2024-34'.
MEASURE_TEMPLATES = (
    ("employment_base", "Employment, {base}", "integer", 1000),
    ("employment_projected", "Employment, {projected}", "integer", 1000),
    ("employment_share_base", "Employment distribution, percent, {base}", "numeric", 1),
    ("employment_share_projected", "Employment distribution, percent, {projected}", "numeric", 1),
    ("employment_change", "Employment change, numeric, {span}", "integer", 1000),
    ("growth_pct", "Employment change, percent, {span}", "numeric", 1),
    ("self_employed_pct", "Percent self employed, {base}", "numeric", 1),
    ("annual_openings", "Occupational openings, {span} annual average", "integer", 1000),
    ("median_annual_wage", "Median annual wage, dollars, {base}", "integer", 1),
)


def measures(period: ProjectionPeriod) -> tuple[Measure, ...]:
    years = {"base": period.base_year, "projected": period.projected_year, "span": period.short}
    return tuple(
        Measure(column, header.format(**years), kind, scale)
        for column, header, kind, scale in MEASURE_TEMPLATES
    )


def headers(period: ProjectionPeriod) -> dict[str, str]:
    """Sheet header of each non-measure column, by table column."""
    b = period.base_year
    return {
        "title": f"{b} National Employment Matrix title",
        "soc_code": f"{b} National Employment Matrix code",
        "occupation_type": "Occupation type",
        "typical_education": "Typical education needed for entry",
        "work_experience": "Work experience in a related occupation",
        "on_the_job_training": "Typical on-the-job training needed to attain competency in the occupation",
    }


TEXT_COLUMNS = ("typical_education", "work_experience", "on_the_job_training")


@dataclass
class ProjectionsSheet:
    period: ProjectionPeriod
    path: Path
    rows: list[dict[str, Any]]


def check_title(sheet: Sheet, header_index: int, period: ProjectionPeriod) -> None:
    """The title above the header states the period and the unit; both are what the conversion assumes."""
    title = " ".join(text_value(c) for row in sheet.rows[:header_index] for c in row)
    normalised = normalise_header(title)
    if normalise_header(f"{period.base_year}-{period.projected_year}") not in normalised:
        raise BlsFileError(f"{sheet.where(0)}: title {title!r} is not the {period.period} projections")
    if "employment in thousands" not in normalised:
        raise BlsFileError(f"{sheet.where(0)}: title {title!r} does not say '(Employment in thousands)'")


def parse_projections_sheet(sheet: Sheet, period: ProjectionPeriod) -> ProjectionsSheet:
    plain, numeric = headers(period), measures(period)
    header_index, col = find_header(sheet, [*plain.values(), *(m.header for m in numeric)])
    check_title(sheet, header_index, period)
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    index = header_index + 1
    for index in range(header_index + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        code = text_value(raw[col[plain["soc_code"]]])
        if not code:
            break  # the footnotes start
        rows.append(parse_row(sheet, index, col, plain, numeric, period))
        if code in seen:
            raise BlsFileError(f"{sheet.where(index)}: code {code} already on row {seen[code] + 1}")
        seen[code] = index
    for tail in range(index + 1, len(sheet.rows)):
        stray = text_value(sheet.rows[tail][col[plain["soc_code"]]])
        if stray:
            raise BlsFileError(f"{sheet.where(tail)}: occupation {stray!r} after a row without a code")
    if not rows:
        raise BlsFileError(f"{sheet.where()}: no occupation rows under the header")
    return ProjectionsSheet(period=period, path=sheet.path, rows=rows)


def parse_row(
    sheet: Sheet,
    index: int,
    col: dict[str, int],
    plain: dict[str, str],
    numeric: tuple[Measure, ...],
    period: ProjectionPeriod,
) -> dict[str, Any]:
    raw = sheet.rows[index]
    code = text_value(raw[col[plain["soc_code"]]])
    if not SOC_CODE.fullmatch(code):
        raise BlsFileError(f"{sheet.where(index, plain['soc_code'])}: {code!r} is not a code NN-NNNN")
    kind = text_value(raw[col[plain["occupation_type"]]])
    if kind.casefold() not in OCCUPATION_TYPES:
        raise BlsFileError(
            f"{sheet.where(index, plain['occupation_type'])}: {kind!r} is neither 'Line item' nor 'Summary'"
        )
    title = text_value(raw[col[plain["title"]]])
    if not title:
        raise BlsFileError(f"{sheet.where(index, plain['title'])}: empty title")
    row: dict[str, Any] = {
        "projection_period": period.period,
        "soc_code": code,
        "title": title,
        "occupation_type": OCCUPATION_TYPES[kind.casefold()],
        "sheet_row": index + 1,
    }
    for m in numeric:
        row[m.column], row[m.flag_column] = measure_value(
            raw[col[m.header]], m.kind, m.scale, proj_flag, sheet.where(index, m.header)
        )
    for name in TEXT_COLUMNS:
        value = text_value(raw[col[plain[name]]])
        row[name] = None if value in ("", UNAVAILABLE) else value
    return row


def read_projections(path: Path, period: ProjectionPeriod) -> ProjectionsSheet:
    return parse_projections_sheet(read_sheet(path, SHEET), period)
