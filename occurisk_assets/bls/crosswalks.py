"""The BLS crosswalk workbooks → rows of the `bls` crosswalk tables.

- O*NET-SOC → National Employment Matrix (NEM) code (`nem_onet_to_soc_crosswalk.xlsx`): several O*NET
  occupations can share one NEM code (e.g. 31-1121 and 31-1122 are both in NEM 31-1120). NEM codes
  are the codes OEWS publishes.
- NEM occupational coverage (`nem_occupational_coverage.xlsx`): every NEM code of a projection period,
  its type (line item / summary / exclude) and level.
- SOC 2010 → SOC 2018 (`soc_2010_to_2018_crosswalk.xlsx`): many-to-many; only for codes of the old
  taxonomy (O*NET releases since 25.1 use SOC 2018).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from occurisk_assets.bls.sources import ProjectionPeriod
from occurisk_assets.bls.workbook import BlsFileError, Sheet, find_header, read_sheet, text_value
from occurisk_assets.lib.codes import ONETSOC_CODE, SOC_CODE

COVERAGE_TYPES = {"line item": "line_item", "summary": "summary", "exclude": "exclude"}


def _data_rows(sheet: Sheet, header_index: int, key_column: int):
    """(row index, row) under the header until the first row without a key; nothing may follow it."""
    index = header_index + 1
    while index < len(sheet.rows) and text_value(sheet.rows[index][key_column]):
        yield index, sheet.rows[index]
        index += 1
    for tail in range(index + 1, len(sheet.rows)):
        if text_value(sheet.rows[tail][key_column]):
            raise BlsFileError(f"{sheet.where(tail)}: a code after the blank row {index + 1}")


def _code(sheet: Sheet, index: int, header: str, cell: Any, pattern: re.Pattern) -> str:
    code = text_value(cell)
    if not pattern.fullmatch(code):
        raise BlsFileError(f"{sheet.where(index, header)}: {code!r} is not a code like {pattern.pattern}")
    return code


def parse_nem_onet_crosswalk(sheet: Sheet, period: ProjectionPeriod) -> list[dict[str, Any]]:
    names = ("O*NET-SOC code", "O*NET-SOC title", "NEM Code", "NEM title")
    header_index, col = find_header(sheet, names)
    rows: dict[str, dict[str, Any]] = {}
    for index, raw in _data_rows(sheet, header_index, col["O*NET-SOC code"]):
        onetsoc = _code(sheet, index, "O*NET-SOC code", raw[col["O*NET-SOC code"]], ONETSOC_CODE)
        if onetsoc in rows:
            raise BlsFileError(f"{sheet.where(index)}: {onetsoc} already on row {rows[onetsoc]['sheet_row']}")
        rows[onetsoc] = {
            "projection_period": period.period,
            "onetsoc_code": onetsoc,
            "onetsoc_title": text_value(raw[col["O*NET-SOC title"]]),
            "nem_code": _code(sheet, index, "NEM Code", raw[col["NEM Code"]], SOC_CODE),
            "nem_title": text_value(raw[col["NEM title"]]),
            "sheet_row": index + 1,
        }
    return list(rows.values())


def coverage_sheet_name(period: ProjectionPeriod) -> str:
    return f"{period.short} Occupational Directory"


def parse_nem_coverage(sheet: Sheet, period: ProjectionPeriod) -> list[dict[str, Any]]:
    names = (
        "National Employment Matrix code",
        "National Employment Matrix title",
        "Occupation type",
        "Level",
    )
    header_index, col = find_header(sheet, names)
    rows: dict[str, dict[str, Any]] = {}
    for index, raw in _data_rows(sheet, header_index, col["National Employment Matrix code"]):
        code = _code(sheet, index, names[0], raw[col[names[0]]], SOC_CODE)
        kind = text_value(raw[col["Occupation type"]]).casefold()
        level = raw[col["Level"]]
        if kind not in COVERAGE_TYPES:
            raise BlsFileError(
                f"{sheet.where(index, 'Occupation type')}: {kind!r} is not one of Line item, Summary, Exclude"
            )
        if not isinstance(level, float) or not level.is_integer():
            raise BlsFileError(f"{sheet.where(index, 'Level')}: {level!r} is not a whole number")
        if code in rows:
            raise BlsFileError(f"{sheet.where(index)}: {code} already on row {rows[code]['sheet_row']}")
        rows[code] = {
            "projection_period": period.period,
            "nem_code": code,
            "title": text_value(raw[col["National Employment Matrix title"]]),
            "occupation_type": COVERAGE_TYPES[kind],
            "level": int(level),
            "sheet_row": index + 1,
        }
    return list(rows.values())


def parse_soc_2010_2018(sheet: Sheet) -> list[dict[str, Any]]:
    names = ("2010 SOC Code", "2010 SOC Title", "2018 SOC Code", "2018 SOC Title")
    header_index, col = find_header(sheet, names)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for index, raw in _data_rows(sheet, header_index, col["2010 SOC Code"]):
        pair = (
            _code(sheet, index, "2010 SOC Code", raw[col["2010 SOC Code"]], SOC_CODE),
            _code(sheet, index, "2018 SOC Code", raw[col["2018 SOC Code"]], SOC_CODE),
        )
        if pair in rows:
            raise BlsFileError(
                f"{sheet.where(index)}: {pair[0]} → {pair[1]} already on row {rows[pair]['sheet_row']}"
            )
        rows[pair] = {
            "soc_2010_code": pair[0],
            "soc_2010_title": text_value(raw[col["2010 SOC Title"]]),
            "soc_2018_code": pair[1],
            "soc_2018_title": text_value(raw[col["2018 SOC Title"]]),
            "sheet_row": index + 1,
        }
    return list(rows.values())


def read_nem_onet_crosswalk(path: Path, period: ProjectionPeriod) -> list[dict[str, Any]]:
    return parse_nem_onet_crosswalk(read_sheet(path, "ONET to SOC crosswalk"), period)


def read_nem_coverage(path: Path, period: ProjectionPeriod) -> list[dict[str, Any]]:
    return parse_nem_coverage(read_sheet(path, coverage_sheet_name(period)), period)


def read_soc_2010_2018(path: Path) -> list[dict[str, Any]]:
    return parse_soc_2010_2018(read_sheet(path, "Sorted by 2010"))
