"""Whole numbers typed into forms and URLs."""

from __future__ import annotations


def whole_number(text: object) -> int | None:
    """`text` as a whole number when it is ASCII digits only, else None. str.isdigit() is also true for
    '²', '٣' and other Unicode digits (int() fails on some and reads others): none is a number typed here."""
    return int(text) if isinstance(text, str) and text.isascii() and text.isdigit() else None
