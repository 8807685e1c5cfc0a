"""Facts a résumé or letter may state: only those the person gave (or derived from them, like a count of
years). A rewrite is checked against them: a year, number, employer, name or credential that was not in
the input is an invented fact, and the rewrite is rejected."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Latin-script letters (accented ones too) and digits. Not \w, which would glue a Korean particle to the name
# before it ("Telecom에서": a word the person never wrote) and hide a number after Hangul ("하루80건").
LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
NUMBER = re.compile(rf"(?<![{LATIN}_.])\d+(?:[.,]\d+)*%?")  # not inside a word ("A4", "v2")
LATIN_REST = rf"[{LATIN}&'-]*"
WORD = re.compile(r"[A-Za-z]" + LATIN_REST)
# Capitalised words not at a sentence start: names, employers, places, credentials (e.g. "CPA", "Acme").
CAPITALISED = re.compile(rf"(?<=[a-z,;:] )[A-Z]{LATIN_REST}(?: [A-Z]{LATIN_REST})*")
ACRONYM = re.compile(r"\b[A-Z]{2,}[A-Za-z]*\b")
NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "thousand",
    "million",
]
NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)


def _norm_number(text: str) -> str:
    """The number's value as ASCII digits: "1,000", "1000" and "１０００" are one fact."""
    digits = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    return digits.replace(",", "").rstrip("%")


@dataclass
class Facts:
    numbers: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # lower-cased words of names/employers/credentials
    number_words: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, *texts: str) -> Facts:
        facts = cls()
        for text in texts:
            facts.add(text)
        return facts

    def add(self, text: str) -> None:
        self.numbers |= {_norm_number(n) for n in NUMBER.findall(text)}
        self.number_words |= {w.lower() for w in NUMBER_WORD.findall(text)}
        for match in [*CAPITALISED.findall(text), *ACRONYM.findall(text)]:
            self.names |= {w.lower() for w in match.split()}
        # Every word the person wrote may reappear capitalised (a sentence start, a heading).
        self.names |= {w.lower() for w in WORD.findall(text)}


@dataclass(frozen=True)
class AddedFacts:
    numbers: list[str]
    names: list[str]

    def __bool__(self) -> bool:
        return bool(self.numbers or self.names)

    def describe(self) -> str:
        """The added numbers and names as they were written ("40, Google"): no words of any language."""
        return ", ".join([*self.numbers, *self.names])


def added_facts(allowed: Facts, output: str) -> AddedFacts:
    """What `output` states that `allowed` does not: numbers (digits or words) and capitalised names."""
    out = Facts.of(output)
    numbers = sorted(out.numbers - allowed.numbers)
    numbers += sorted(
        w for w in out.number_words - allowed.number_words if _norm_number(w) not in allowed.numbers
    )
    names = set()
    for match in [*CAPITALISED.findall(output), *ACRONYM.findall(output)]:
        words = [w for w in match.split() if w.lower() not in allowed.names]
        if words:
            names.add(match)
    return AddedFacts(numbers, sorted(names))
