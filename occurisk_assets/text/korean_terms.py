"""The project's Korean words for occupations: a Korean name for every O*NET-SOC occupation and the everyday
words Korean people use for their work (경리, 요양보호사, 택시 기사 …), kept in korean_occupations.tsv beside
this module (translated and reviewed by the project, like the interface strings), loaded per data_version
into core.occupation_korean_term, and matched against Korean queries.

The file: one row per O*NET-SOC code, tab-separated — `onetsoc_code`, `korean_name`, `everyday_words`
(separated by `;`). Raise TRANSLATION_VERSION whenever it changes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import psycopg

TERMS_FILE = Path(__file__).with_name("korean_occupations.tsv")
TRANSLATION_VERSION = "ko-2026.12.1"
PROVENANCE = "translated and reviewed by the occurisk project (occurisk_assets/text/korean_occupations.tsv)"
COLUMNS = ("onetsoc_code", "korean_name", "everyday_words")
ONETSOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_NOT_WORD = re.compile(r"[^\w]+")


class TermsFileError(ValueError):
    """A row of the terms file that cannot be read (names the file and the line)."""


@dataclass(frozen=True)
class KoreanTerm:
    onetsoc_code: str
    term: str
    kind: str  # "name" (one per occupation) or "everyday"

    @property
    def soc_code(self) -> str:
        return self.onetsoc_code[:7]


def has_hangul(text: str) -> bool:
    return HANGUL.search(text) is not None


def compact(text: str) -> str:
    """'택시  기사!' → '택시기사': NFKC, lower case, without spaces or punctuation — Korean spacing varies
    ("택시기사", "택시 기사"), so words are compared without it."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower()).replace("_", "")


def read_terms(path: Path = TERMS_FILE) -> list[KoreanTerm]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise TermsFileError(f"{path}:1: the header must be {' / '.join(COLUMNS)} (tab-separated)")
    terms: list[KoreanTerm] = []
    seen: set[str] = set()
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != len(COLUMNS):
            raise TermsFileError(f"{path}:{line_no}: expected {len(COLUMNS)} tab-separated columns")
        code, name, everyday = (p.strip() for p in parts)
        if not ONETSOC_CODE.match(code):
            raise TermsFileError(f"{path}:{line_no}: onetsoc_code must look like 29-1141.00")
        if code in seen:
            raise TermsFileError(f"{path}:{line_no}: {code} is listed twice")
        if not has_hangul(name):
            raise TermsFileError(f"{path}:{line_no}: korean_name must be Korean")
        seen.add(code)
        terms.append(KoreanTerm(code, name, "name"))
        words = {w.strip() for w in everyday.split(";") if w.strip()} - {name}
        terms += [KoreanTerm(code, w, "everyday") for w in sorted(words)]
    return terms


def load_terms(conn: psycopg.Connection, data_version: str, terms: list[KoreanTerm]) -> dict:
    """Replace the version's Korean terms (one transaction: a failure leaves the previous ones) with those
    of its occupations; codes the release lacks are left out and counted."""
    occupations = {
        r[0]
        for r in conn.execute(
            "SELECT onetsoc_code FROM onet_raw.occupation_data WHERE data_version = %s", [data_version]
        )
    }
    if not occupations:
        raise ValueError(f"O*NET {data_version} has no occupations loaded (onet_raw.occupation_data)")
    kept = [t for t in terms if t.onetsoc_code in occupations]
    named = {t.onetsoc_code for t in kept if t.kind == "name"}
    with conn.transaction():
        conn.execute("DELETE FROM core.occupation_korean_term WHERE data_version = %s", [data_version])
        with conn.cursor().copy(
            "COPY core.occupation_korean_term (data_version, onetsoc_code, soc_code, term, term_kind, "
            "translation_version, provenance) FROM STDIN"
        ) as copy:
            for t in kept:
                copy.write_row(
                    (
                        data_version,
                        t.onetsoc_code,
                        t.soc_code,
                        t.term,
                        t.kind,
                        TRANSLATION_VERSION,
                        PROVENANCE,
                    )
                )
    return {
        "terms": len(kept),
        "occupations_named": len(named),
        "occupations_without_name": sorted(occupations - named),
        "codes_not_in_release": sorted({t.onetsoc_code for t in terms} - occupations),
    }


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


@dataclass(frozen=True)
class KoreanMatch:
    soc_code: str
    score: float
    n_terms: int
    term: str
    kind: str


class KoreanIndex:
    """Korean query → occupations, over the version's terms (a few thousand: matched in memory).

    A term scores 1.0 when it is the query (spacing aside), 0.6–0.95 when it contains the query ("트럭 운전"
    in "트럭 운전사") or the query contains it ("요양보호사 모집"), and its character-bigram overlap (Dice)
    when that is at least 0.5 (a typo: "요양보호시"). Names get +0.05. An occupation takes its best term."""

    MIN_DICE = 0.5

    def __init__(self, rows: Iterable[tuple[str, str, str]]):
        self.terms = [(soc, term, kind, compact(term)) for soc, term, kind in rows]
        self.terms = [t for t in self.terms if t[3]]

    def _score(self, query: str, term: str) -> float:
        if term == query:
            return 1.0
        if query in term:
            return 0.6 + 0.35 * len(query) / len(term)
        if len(term) >= 2 and term in query:
            return 0.5 + 0.35 * len(term) / len(query)
        q, t = _bigrams(query), _bigrams(term)
        dice = 2 * len(q & t) / (len(q) + len(t))
        return 0.7 * dice if dice >= self.MIN_DICE else 0.0

    def search(self, query: str) -> list[KoreanMatch]:
        """Every matching occupation, best first (score, then more matching terms)."""
        q = compact(query)
        if not q:
            return []
        best: dict[str, KoreanMatch] = {}
        for soc, term, kind, term_compact in self.terms:
            score = self._score(q, term_compact)
            if score <= 0:
                continue
            score += 0.05 if kind == "name" else 0.0
            found = best.get(soc)
            if found is None:
                best[soc] = KoreanMatch(soc, score, 1, term, kind)
            else:
                top = max((found.score, found.term, found.kind), (score, term, kind), key=lambda s: s[0])
                best[soc] = KoreanMatch(soc, top[0], found.n_terms + 1, top[1], top[2])
        return sorted(best.values(), key=lambda m: (-m.score - 0.05 * math.log1p(m.n_terms), m.soc_code))
