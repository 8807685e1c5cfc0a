"""Reading BLS workbooks with calamine, and turning their cells into typed values.

Every error names the file, the sheet, the spreadsheet row (as Excel numbers it, 1-based) and the column,
so a person can open the workbook and look.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from python_calamine import CalamineError, CalamineWorkbook

from occurisk_assets.lib.safe_archives import PUBLIC_DATA_LIMITS, UnsafeArchive, checked_members

Flag = Literal["suppressed", "top_coded"]
Kind = Literal["integer", "numeric"]
Cell = str | float | int | bool | None

# Differences of typography between releases (en/em dashes in '2024–34', footnote marks like '[1]',
# double spaces) must not make a header unrecognisable.
_FOOTNOTE = re.compile(r"\[[0-9]+\]")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-"})


class BlsFileError(ValueError):
    """A BLS workbook we cannot load as it is; the message says where."""


@dataclass(frozen=True)
class Sheet:
    path: Path
    name: str
    rows: list[list[Cell]]  # rows[i] is spreadsheet row i + 1

    def where(self, row_index: int | None = None, column: str | None = None) -> str:
        place = f"{self.path}: sheet {self.name!r}"
        if row_index is not None:
            place += f", row {row_index + 1}"
        if column is not None:
            place += f", column {column!r}"
        return place


def read_sheet(path: Path, sheet_name: str) -> Sheet:
    try:
        with zipfile.ZipFile(path) as zf:  # an .xlsx is a zip: held to the safe-archive rules first
            checked_members(zf, str(path), PUBLIC_DATA_LIMITS)
        workbook = CalamineWorkbook.from_path(str(path))
    except (zipfile.BadZipFile, CalamineError, OSError) as exc:
        raise BlsFileError(f"{path}: not a readable workbook ({exc})") from exc
    except UnsafeArchive as exc:
        raise BlsFileError(str(exc)) from exc
    if sheet_name not in workbook.sheet_names:
        raise BlsFileError(f"{path}: no sheet {sheet_name!r} (sheets: {', '.join(workbook.sheet_names)})")
    # skip_empty_area=False keeps rows[i] aligned with spreadsheet row i + 1 even if the top rows are blank.
    rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    return Sheet(path=path, name=sheet_name, rows=rows)


def normalise_header(text: Cell) -> str:
    text = _FOOTNOTE.sub("", str(text or "")).translate(_DASHES)
    return " ".join(text.split()).casefold()


def find_header(sheet: Sheet, required: Sequence[str], search_rows: int = 15) -> tuple[int, dict[str, int]]:
    """The row holding every `required` header (compared normalised) → (row index, {header: column index})."""
    wanted = {normalise_header(h): h for h in required}
    for index, row in enumerate(sheet.rows[:search_rows]):
        positions = {normalise_header(cell): col for col, cell in enumerate(row)}
        if all(key in positions for key in wanted):
            return index, {original: positions[key] for key, original in wanted.items()}
    best = max(
        sheet.rows[:search_rows],
        default=[],
        key=lambda row: sum(normalise_header(cell) in wanted for cell in row),
    )
    found = {normalise_header(cell) for cell in best}
    missing = [original for key, original in wanted.items() if key not in found]
    raise BlsFileError(
        f"{sheet.where()}: no header row with the expected columns in the first {search_rows} "
        f"rows; missing: {', '.join(repr(m) for m in missing)}"
    )


def text_value(cell: Cell) -> str:
    """A cell as text: codes typed as numbers by Excel ('1235' → 1235.0) come back as '1235'."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def measure_value(
    cell: Cell, kind: Kind, scale: int, flag_of: Callable[[str], Flag | None], where: str
) -> tuple[int | float | None, Flag | None]:
    """A numeric cell → (value, None), or a published marker → (None, flag). Anything else is an error:
    a blank or an unknown marker must never turn into zero or into a silent NULL."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise BlsFileError(f"{where}: empty cell where a number or a BLS marker is expected")
    flag = flag_of(cell.strip()) if isinstance(cell, str) else None
    if flag is not None:
        return None, flag
    if isinstance(cell, (str, bool)) or not isinstance(cell, (int, float)):  # text, TRUE/FALSE, dates
        raise BlsFileError(f"{where}: unexpected value {cell!r} (not a number nor a known BLS marker)")
    value = float(cell) * scale
    if kind == "numeric":
        return value, None
    rounded = round(value)
    if abs(value - rounded) > 1e-6:  # float noise of x.y × 1000 is ~1e-8; a fraction of a person is not
        raise BlsFileError(f"{where}: {cell!r} × {scale} is not a whole number")
    return rounded, None


@dataclass(frozen=True)
class Measure:
    """A numeric sheet column → a table column plus `<column>_flag` (why the value is NULL)."""

    column: str
    header: str
    kind: Kind
    scale: int = 1  # e.g. 1000: the sheet is in thousands, the table in persons

    @property
    def flag_column(self) -> str:
        return f"{self.column}_flag"


def measure_columns(measures: Sequence[Measure]) -> list[str]:
    return [name for m in measures for name in (m.column, m.flag_column)]
