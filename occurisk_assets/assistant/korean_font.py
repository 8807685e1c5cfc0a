"""Noto Sans CJK KR cut down to the letters Korean documents use, made once per OCCURISK_HOME.

fpdf2 parses the font file whole for each PDF and subsets it again on output: for the Noto Sans CJK
collection (65,535 glyphs, 19 MB) that took seconds per document. Its Korean face reduced to Hangul, Latin,
digits and punctuation (about 12,000 glyphs, under 2 MB) parses and subsets about three times faster. The file
is written under a temporary name and renamed, so a crash half-way leaves nothing a later call would trust;
its name carries a digest of the source font and of the ranges, so an upgraded font makes a new one. It is
made in a background thread on the first Korean PDF, which (like text with any other letter, a name in
Hanja) uses the whole collection meanwhile.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from pathlib import Path

from occurisk_assets.lib.settings import get_settings

# Noto Sans CJK (fonts-noto-cjk): face 1 of the collection is the Korean one (Noto Sans CJK KR).
CJK_FONT = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 1)
# Basic Latin, Latin-1 and Latin Extended-A, Hangul Jamo, general punctuation, arrows, enclosed numbers,
# geometric shapes, CJK symbols, compatibility Jamo, enclosed CJK letters, Hangul syllables, full- and
# half-width forms.
KOREAN_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x17F),
    (0x1100, 0x11FF),
    (0x2000, 0x206F),
    (0x2190, 0x21FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x25FF),
    (0x3000, 0x303F),
    (0x3130, 0x318F),
    (0x3200, 0x32FF),
    (0xAC00, 0xD7A3),
    (0xFF00, 0xFFEF),
)
OUTSIDE_RANGES = re.compile(
    "[^\t\n\r" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in KOREAN_RANGES) + "]"
)
_starting = threading.Lock()
_started: set[Path] = set()  # reduced fonts this process has begun to make
_making = threading.Lock()  # one making at a time: a second caller waits for the first's file


def korean_font(text: str) -> tuple[str, int]:
    """(file, face number) of the Korean font for `text`: the reduced one when it has every letter of it and
    is made; until then the whole collection, while a background thread makes it (a request never waits
    the tens of seconds that takes)."""
    if OUTSIDE_RANGES.search(text):
        return CJK_FONT
    reduced = reduced_font_file(*CJK_FONT)
    if reduced.exists():
        return str(reduced), 0
    with _starting:
        if reduced not in _started:
            _started.add(reduced)
            threading.Thread(target=make_reduced_font, args=CJK_FONT, daemon=True).start()
    return CJK_FONT


def reduced_font_file(source: str, face: int) -> Path:
    """OCCURISK_HOME/fonts/NotoSansCJKkr-<digest>.otf: where face `face` of `source`, reduced to
    KOREAN_RANGES, is kept; the digest changes with the source font and the ranges."""
    stat = Path(source).stat()
    key = repr((source, face, stat.st_size, stat.st_mtime_ns, KOREAN_RANGES))
    return (
        get_settings().home / "fonts" / f"NotoSansCJKkr-{hashlib.sha256(key.encode()).hexdigest()[:16]}.otf"
    )


def make_reduced_font(source: str, face: int) -> Path:
    """The reduced font, made when it is not there yet: written under a temporary name and renamed, so a
    crash half-way leaves no file that a later call would trust."""
    target = reduced_font_file(source, face)
    with _making:
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, staging = tempfile.mkstemp(prefix=".NotoSansCJKkr-", suffix=".otf", dir=target.parent)
        try:
            with os.fdopen(descriptor, "wb") as out:
                _subset(source, face).save(out)
            os.replace(staging, target)
        finally:
            Path(staging).unlink(missing_ok=True)
    return target


def _subset(source: str, face: int):
    from fontTools import subset, ttLib

    font = ttLib.TTFont(source, fontNumber=face, recalcTimestamp=False, lazy=True)
    options = subset.Options(notdef_outline=True, recommended_glyphs=True, layout_features=[])
    # fpdf2 lays text out horizontally without shaping and drops these tables itself.
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in KOREAN_RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    return font
