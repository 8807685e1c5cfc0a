"""OEWS national estimates (`national_M{YYYY}_dl.xlsx`) → rows of `bls.bls_oews_metrics`.

Facts of the file this parser relies on (checked, not assumed):
- only the national (AREA_TYPE 1), cross-industry, all-ownership (OWN_CODE 1235) rows are kept; the
  national file holds nothing else, other OEWS files (states, industries) would be filtered to these;
- `*` / `**` mean "estimate not available" and `#` "wage at or above the top-code ($115.00/h, $239,200/yr
  in 2024)": the value is NULL and `<column>_flag` says 'suppressed' or 'top_coded' — never zero;
- "Occupations that OEWS has aggregated to the SOC broad occupation level will appear in the file twice,
  once with the 'broad' and once with the 'detailed' designation" (the file's Field Descriptions). Those
  pairs must be identical; they become one row, `o_group` 'detailed', `aggregated_to_broad` true, so
  `(ref_year_month, soc_code)` is a key and summing `o_group = 'detailed'` rows still covers everything once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from occurisk_assets.bls.sources import OewsRelease
from occurisk_assets.bls.workbook import (
    BlsFileError,
    Flag,
    Measure,
    Sheet,
    find_header,
    measure_value,
    read_sheet,
    text_value,
)
from occurisk_assets.lib.codes import SOC_CODE

O_GROUPS = ("total", "major", "minor", "broad", "detailed")
MARKERS: dict[str, Flag] = {"*": "suppressed", "**": "suppressed", "#": "top_coded"}

MEASURES = (
    Measure("employment", "TOT_EMP", "integer"),
    Measure("employment_prse", "EMP_PRSE", "numeric"),
    Measure("mean_hourly_wage", "H_MEAN", "numeric"),
    Measure("mean_annual_wage", "A_MEAN", "integer"),
    Measure("mean_wage_prse", "MEAN_PRSE", "numeric"),
    Measure("hourly_wage_p10", "H_PCT10", "numeric"),
    Measure("hourly_wage_p25", "H_PCT25", "numeric"),
    Measure("median_hourly_wage", "H_MEDIAN", "numeric"),
    Measure("hourly_wage_p75", "H_PCT75", "numeric"),
    Measure("hourly_wage_p90", "H_PCT90", "numeric"),
    Measure("annual_wage_p10", "A_PCT10", "integer"),
    Measure("annual_wage_p25", "A_PCT25", "integer"),
    Measure("median_annual_wage", "A_MEDIAN", "integer"),
    Measure("annual_wage_p75", "A_PCT75", "integer"),
    Measure("annual_wage_p90", "A_PCT90", "integer"),
)
HEADERS = (
    "AREA_TYPE",
    "I_GROUP",
    "OWN_CODE",
    "OCC_CODE",
    "OCC_TITLE",
    "O_GROUP",
    "ANNUAL",
    "HOURLY",
    *(m.header for m in MEASURES),
)
PERIOD_TITLE = re.compile(r"^(\w+) ([0-9]{4}) OEWS Estimates")


@dataclass
class OewsSheet:
    release: OewsRelease
    path: Path
    sheet_rows: int  # data rows of the sheet, before any filtering or merging
    rows: list[dict[str, Any]]
    other_rows_skipped: int  # rows for another area, industry or ownership
    aggregated_to_broad: list[str] = field(default_factory=list)


def oews_flag(marker: str) -> Flag | None:
    return MARKERS.get(marker)


def check_period(path: Path, release: OewsRelease) -> None:
    """The 'Field Descriptions' sheet starts 'May 2024 OEWS Estimates': it must be the release asked for."""
    try:
        first = read_sheet(path, "Field Descriptions").rows[0][0]
    except (BlsFileError, IndexError):
        return  # an older layout without that sheet: the data sheet's name already carries the year
    match = PERIOD_TITLE.match(str(first))
    if match and (match.group(1) != "May" or int(match.group(2)) != release.year):
        raise BlsFileError(
            f"{path}: holds the {match.group(1)} {match.group(2)} estimates, "
            f"not OEWS {release.ref_year_month}"
        )


def parse_oews_sheet(sheet: Sheet, release: OewsRelease) -> OewsSheet:
    header_index, col = find_header(sheet, HEADERS, search_rows=5)
    kept: dict[str, dict[str, Any]] = {}
    sheet_rows = skipped = 0
    aggregated: list[str] = []
    for index in range(header_index + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        code = text_value(raw[col["OCC_CODE"]])
        if not code and not any(text_value(c) for c in raw):
            continue
        sheet_rows += 1
        if not is_national_cross_industry(raw, col):
            skipped += 1
            continue
        row = parse_row(sheet, index, col, release)
        previous = kept.get(code)
        if previous is None:
            kept[code] = row
            continue
        kept[code] = merge_broad_and_detailed(sheet, previous, row)
        aggregated.append(code)
    if not kept:
        raise BlsFileError(f"{sheet.where()}: no national cross-industry rows")
    return OewsSheet(
        release=release,
        path=sheet.path,
        sheet_rows=sheet_rows,
        rows=list(kept.values()),
        other_rows_skipped=skipped,
        aggregated_to_broad=aggregated,
    )


def is_national_cross_industry(raw: list, col: dict[str, int]) -> bool:
    """U.S. (area type 1), all industries, all ownerships (federal, state, local, private: 1235)."""
    return (
        text_value(raw[col["AREA_TYPE"]]),
        text_value(raw[col["I_GROUP"]]).casefold(),
        text_value(raw[col["OWN_CODE"]]),
    ) == ("1", "cross-industry", "1235")


def parse_row(sheet: Sheet, index: int, col: dict[str, int], release: OewsRelease) -> dict[str, Any]:
    raw = sheet.rows[index]
    code = text_value(raw[col["OCC_CODE"]])
    if not SOC_CODE.fullmatch(code):
        raise BlsFileError(f"{sheet.where(index, 'OCC_CODE')}: {code!r} is not a SOC code NN-NNNN")
    o_group = text_value(raw[col["O_GROUP"]]).casefold()
    if o_group not in O_GROUPS:
        raise BlsFileError(
            f"{sheet.where(index, 'O_GROUP')}: {o_group!r} is not one of {', '.join(O_GROUPS)}"
        )
    title = text_value(raw[col["OCC_TITLE"]])
    if not title:
        raise BlsFileError(f"{sheet.where(index, 'OCC_TITLE')}: empty title")
    row: dict[str, Any] = {
        "ref_year_month": release.ref_year_month,
        "soc_code": code,
        "o_group": o_group,
        "aggregated_to_broad": False,
        "title": title,
        "annual_only": yes_no(sheet, index, "ANNUAL", raw[col["ANNUAL"]]),
        "hourly_only": yes_no(sheet, index, "HOURLY", raw[col["HOURLY"]]),
        "sheet_row": index + 1,
    }
    for m in MEASURES:
        row[m.column], row[m.flag_column] = measure_value(
            raw[col[m.header]], m.kind, m.scale, oews_flag, sheet.where(index, m.header)
        )
    return row


def yes_no(sheet: Sheet, index: int, header: str, cell: Any) -> bool:
    value = text_value(cell).upper()
    if value not in ("", "TRUE"):
        raise BlsFileError(f"{sheet.where(index, header)}: {cell!r} (expected 'TRUE' or empty)")
    return value == "TRUE"


def merge_broad_and_detailed(sheet: Sheet, first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    code = first["soc_code"]
    where = f"{sheet.where()}: OCC_CODE {code} on rows {first['sheet_row']} and {second['sheet_row']}"
    if first["aggregated_to_broad"]:
        raise BlsFileError(f"{where}: listed more than twice")
    if {first["o_group"], second["o_group"]} != {"broad", "detailed"}:
        raise BlsFileError(
            f"{where} with o_group {first['o_group']!r} and {second['o_group']!r} "
            "(only a broad + detailed pair may repeat a code)"
        )
    differing = [k for k in first if k not in ("o_group", "sheet_row") and first[k] != second[k]]
    if differing:
        raise BlsFileError(f"{where}: the broad and detailed rows differ in {', '.join(differing)}")
    detailed = first if first["o_group"] == "detailed" else second
    return {**detailed, "aggregated_to_broad": True}


def read_oews(path: Path, release: OewsRelease) -> OewsSheet:
    check_period(path, release)
    return parse_oews_sheet(read_sheet(path, release.sheet_name), release)
