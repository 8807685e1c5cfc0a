"""Cleaning received postings: HTML → text, required fields, exact and near duplicates, language.

Every posting with status 'new' ends as 'accepted', 'rejected' (with the reason) or 'duplicate' (with the
posting it duplicates). Duplicates are judged against every accepted posting, the earliest kept:
- exact: the same normalised title + organisation + description (sha256);
- near: MinHash (datasketch, 128 permutations) of the word 5-shingles of title + description, with a
  Jaccard estimate of at least NEAR_DUPLICATE_JACCARD (the same ad re-posted with a date or a line changed).
Language: langdetect on the description; non-English postings are kept but not coded."""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import numpy as np
import psycopg
from datasketch import MinHash, MinHashLSH
from langdetect import DetectorFactory, LangDetectException, detect

DetectorFactory.seed = 0  # langdetect is random otherwise: the same text must get the same language

NUM_PERM = 128
MINHASH_SCHEME = "affine32"  # stored signatures must be read back with the scheme that made them
SHINGLE_WORDS = 5
NEAR_DUPLICATE_JACCARD = 0.8
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "pre", "dt", "dd",
}  # fmt: skip
BULLET = re.compile(r"^\s*(?:[-*•·▪◦●]|\d{1,2}[.)])\s+(.+)$")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.items: list[str] = []
        self._skip = 0
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li" and self._item is not None:
            self.items.append(" ".join("".join(self._item).split()))
            self._item = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
            if self._item is not None:
                self._item.append(data)


def html_to_text(markup: str | None) -> tuple[str, list[str]]:
    """Plain text (paragraphs on their own lines, list items as '- …') and the list items."""
    if not markup:
        return "", []
    parser = _TextParser()
    parser.feed(html.unescape(markup) if "<" not in markup and "&lt;" in markup else markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(line for line in lines if line)
    return text, [i for i in parser.items if i]


def listed_duties(text: str, items: list[str], given: list[str] | None) -> list[str]:
    """The duties a posting lists: its own list (USAJOBS MajorDuties, JobPosting responsibilities), else the
    items of its HTML lists, else its bulleted lines; each kept when it has at least three words."""
    candidates = given or items or [m.group(1) for line in text.splitlines() if (m := BULLET.match(line))]
    return [d for d in dict.fromkeys(" ".join(c.split()) for c in candidates) if len(d.split()) >= 3]


def _normalise(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").lower()).split())


def content_hash(title: str | None, organisation: str | None, description: str) -> str:
    key = "\n".join((_normalise(title), _normalise(organisation), _normalise(description)))
    return hashlib.sha256(key.encode()).hexdigest()


def minhash(text: str) -> MinHash:
    words = _normalise(text).split()
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=MINHASH_SCHEME)
    m.update_batch([s.encode() for s in shingles])
    return m


def _from_bytes(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, seed=1, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=MINHASH_SCHEME
    )


def language_of(text: str) -> str:
    try:
        return detect(text)
    except LangDetectException:  # no letters at all
        return "und"


@dataclass
class Verdict:
    status: str
    reason: str | None = None


def required_fields(title: str | None, description: str) -> Verdict | None:
    missing = [name for name, value in (("title", title), ("description", description)) if not value]
    if missing:
        return Verdict("rejected", "missing " + " and ".join(missing))
    return None


def clean_postings(conn: psycopg.Connection) -> Counter:
    """Clean every 'new' posting (oldest first) in one transaction; counts by status and reason."""
    counts: Counter = Counter()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.postings.clean', 0))")
        lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
        exact: dict[str, int] = {}
        for posting_id, digest, signature in conn.execute(
            "SELECT posting_id, content_sha256, minhash FROM postings.posting WHERE status = 'accepted'"
        ).fetchall():
            exact.setdefault(digest, posting_id)
            if signature is not None:
                lsh.insert(str(posting_id), _from_bytes(signature))
        new = conn.execute(
            """SELECT posting_id, title, description_html, hiring_organization, duties
               FROM postings.posting WHERE status = 'new' ORDER BY posting_id"""
        ).fetchall()
        for posting_id, title, description_html, organisation, given_duties in new:
            text, items = html_to_text(description_html)
            title_text = html_to_text(title)[0].replace("\n", " ") if title else None
            duties = listed_duties(text, items, given_duties)
            verdict, duplicate_of, digest, signature, language = (
                required_fields(title_text, text),
                None,
                None,
                None,
                None,
            )
            if verdict is None:
                digest = content_hash(title_text, organisation, text)
                sketch = minhash(f"{title_text}\n{text}")
                signature = sketch.hashvalues.astype(np.uint64).tobytes()
                language = language_of(text)
                if digest in exact:
                    verdict, duplicate_of = Verdict("duplicate", "exact duplicate"), exact[digest]
                elif near := lsh.query(sketch):
                    duplicate_of = min(int(k) for k in near)
                    verdict = Verdict("duplicate", "near duplicate (MinHash Jaccard ≥ 0.8)")
                else:
                    verdict = Verdict("accepted")
                    exact[digest] = posting_id
                    lsh.insert(str(posting_id), sketch)
            conn.execute(
                """UPDATE postings.posting SET status = %s, reason = %s, duplicate_of = %s, title = %s,
                       description = %s, duties = %s, language = %s, content_sha256 = %s, minhash = %s,
                       cleaned_at = now(), coding_status = NULL, coded_at = NULL
                   WHERE posting_id = %s""",
                (
                    verdict.status,
                    verdict.reason,
                    duplicate_of,
                    title_text,
                    text or None,
                    duties or None,
                    language,
                    digest,
                    signature,
                    posting_id,
                ),
            )
            counts[verdict.status if verdict.reason is None else f"{verdict.status}: {verdict.reason}"] += 1
    return counts
