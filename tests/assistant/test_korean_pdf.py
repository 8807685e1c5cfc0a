"""A Korean PDF in the reduced Noto Sans CJK KR made once under OCCURISK_HOME (no leftovers), its Korean text
read back; until it is made, and for a letter outside its ranges, the whole collection. The time each takes
is measured in bench/korean_pdf.py, not here."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from occurisk_assets.assistant.documents import text_pdf
from occurisk_assets.assistant.korean_font import CJK_FONT, korean_font, make_reduced_font, reduced_font_file
from occurisk_assets.lib.settings import get_settings

LETTER = (
    "자기소개서\n\n[지원 동기]\n고객 상담원으로 일하고 싶어 지원합니다.\n· Resolve customer complaints.\n"
)


def _text_and_fonts(pdf: bytes) -> tuple[str, set[str]]:
    """The PDF's text without spacing (pypdf reads a CJK font's two-byte glyph ids with NULs and spaces
    between the letters) and the names of its embedded fonts."""
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"[\s\x00]+", "", " ".join(page.extract_text() for page in reader.pages))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    return text, fonts


def test_a_korean_pdf_embeds_the_reduced_korean_font_once_it_is_made():
    folder = get_settings().home / "fonts"
    if not reduced_font_file(*CJK_FONT).exists():
        assert korean_font(LETTER) == CJK_FONT  # not made yet: the whole collection (a thread makes it)
    made = make_reduced_font(*CJK_FONT)
    assert made.parent == folder and made.name.startswith("NotoSansCJKkr-") and made.suffix == ".otf"
    assert korean_font(LETTER) == (str(made), 0)
    text, fonts = _text_and_fonts(text_pdf(LETTER))
    assert "자기소개서" in text and "[지원동기]" in text and "Resolvecustomercomplaints." in text
    assert [name for name in fonts if "NotoSansCJKKR" in name], fonts
    assert make_reduced_font(*CJK_FONT) == made
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no staging file left


def test_a_letter_outside_the_reduced_font_uses_the_whole_collection():
    hanja = "이력서\n성명: 金民俊\n"
    assert korean_font(hanja) == CJK_FONT
    text, fonts = _text_and_fonts(text_pdf(hanja))
    assert "金民俊" in text and [name for name in fonts if "NotoSansCJKKR" in name], fonts
