"""Date ranges as résumés write them, in English and Korean: "2001 – 2024", "06/1998 – 03/2024",
"Jan 2010 to Current", "from 1993 until 2021", "since 2019", "2012년 3월 - 2024년 2월", "2009.04 ~ 2024.06",
"2018.03 ~ 현재". Only the years are kept; a range split over lines ("01/2010" / "to" / "Current", as
résumé builders' PDFs read) is joined first."""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = r"(?:19|20)\d{2}"
_MONTH_NAME = (
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|winter)\.?"
)


def _date(name: str = "") -> str:
    """One date: a year, with a month written before it (English) or after it (Korean, ISO-like)."""
    year = f"(?P<{name}>{_YEAR})" if name else _YEAR
    return (
        rf"(?:(?:{_MONTH_NAME})\s+|\d{{1,2}}\s*[/.-]\s*)?{year}"
        rf"(?:\s*년(?:\s*\d{{1,2}}\s*월)?|\s*[./-]\s*\d{{1,2}}(?!\d)\.?)?"
    )


_ONGOING = r"present|current(?:ly)?|now|today|date|현재|재직\s*중|근무\s*중"
_TO = r"\s*(?:-|–|—|~|～|〜|to|until|till|through|thru)\s*"
RANGE = re.compile(
    rf"(?:\bfrom\s+)?{_date('start')}{_TO}(?:{_date('end')}|(?P<ongoing>{_ONGOING})\b)",
    re.IGNORECASE,
)
SINCE = re.compile(rf"(?:\bsince\s+){_date('start')}|{_date('start2')}\s*부터", re.I)
# A line holding only pieces of a date range ("01/2010", "to", "Current"): joined with its neighbours.
_PIECE = rf"(?:{_date()}|{_ONGOING}|-|–|—|~|to|until|through)"
DATE_PIECES = re.compile(rf"^\(?\s*{_PIECE}(?:\s+{_PIECE})*\s*\)?$", re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    start_year: int
    end_year: int | None  # None: ongoing or not written
    start: int  # where in the line the range is
    end: int


def date_range(line: str) -> DateRange | None:
    """The first date range in a line, or None (a lone year such as an award's is no range)."""
    match = RANGE.search(line)
    if match:
        end = match.group("end")
        return DateRange(int(match.group("start")), int(end) if end else None, match.start(), match.end())
    match = SINCE.search(line)
    if match:
        start = match.group("start") or match.group("start2")
        return DateRange(int(start), None, match.start(), match.end())
    return None


def joined_date_lines(lines: list[str]) -> list[str]:
    """Lines with a range written over several lines joined into one ("01/2010 to Current")."""
    out: list[str] = []
    for line in lines:
        if out and DATE_PIECES.match(line) and DATE_PIECES.match(out[-1]) and not date_range(out[-1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out
