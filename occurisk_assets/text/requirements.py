"""Requirements by meaning: a job ad split into single demands, each judged *shown*, *partly shown* or *not
shown* by a person's own lines (ticked tasks, duties in their words, résumé bullets), with the line that
shows it quoted; and a person's duties matched to an occupation's tasks.

Meaning is the cosine of the sentence encoder's vectors (`occurisk_assets.text.encoder`), so paraphrases
count ("Answered policyholder calls" shows "Answer member questions by phone") in Korean and English alike.
What a paraphrase cannot show — a language, a licence or certificate, a named product — must literally
appear in the quoted line. The thresholds were set on the labelled pairs in
tests/fixtures/text/requirement_pairs.tsv (precision and recall: docs/methodology.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import snowballstemmer

from occurisk_assets.defs.assistant.pasttense import IRREGULAR, past
from occurisk_assets.text.encoder import encode

SHOWN = "shown"
PARTLY_SHOWN = "partly_shown"
NOT_SHOWN = "not_shown"
# A demand's score against a line: the cosine of their vectors + WORD_WEIGHT × the share of the demand's
# content words (Snowball stems) the line uses. Set on the labelled pairs (see the module docstring):
# the shared words lift exact wording ("Process payroll" / "Ran biweekly payroll") the encoder scores low.
WORD_WEIGHT = 0.3
SHOWN_AT = 0.56
PARTLY_AT = 0.28
MAX_DEMANDS = 15

BULLET = re.compile(r"^\s*(?:[-*•·▪●◦‣–]|\d+[.)])\s+")
# A sentence of an ad's prose is a demand when it asks for something.
CUES = re.compile(
    r"\b(experience|experienced|ability|able to|skill|skills|knowledge|required|requirements|must|should|"
    r"responsib|you will|you'll|proficien|familiar|degree|certif|license|licence|years|bilingual|fluent)\w*"
    r"|우대|필수|가능|경험|자격|면허|담당|업무",
    re.IGNORECASE,
)
# How an ad words a demand rather than what it demands: left out of what is compared.
LEAD_IN = re.compile(
    r"^(?:(?:must|should)\s+(?:be\s+able\s+to|have|be)\s+|(?:you\s+will|you'll|will)\s+|"
    r"(?:proven\s+|strong\s+|demonstrated\s+|prior\s+)?(?:\d+\+?\s+years?\s+(?:of\s+)?)?"
    r"(?:experience|ability|skills?|knowledge)\s+(?:in|with|of|to)?\s*|able\s+to\s+|responsible\s+for\s+)",
    re.IGNORECASE,
)
# Verbs that start a duty: a comma, "and" or "or" before one of them starts a new demand.
_VERB_STEMS = """answer assist build care check clean collect communicate complete conduct coordinate create
deliver design develop direct drive ensure establish evaluate file fix follow greet guide handle help hire
identify inspect install keep lead lift load maintain make manage monitor move operate order organize pack
perform plan prepare process provide record repair report resolve respond review schedule sell serve set
sort stock supervise support take teach test track train transport troubleshoot type update use verify
write wash cook bathe feed dress assemble measure calculate negotiate present explain analyze advise
administer prescribe treat document enter collaborate cooperate escalate greet welcome""".split()  # noqa: SIM905
# Credentials: a line shows one only by naming it.
CREDENTIAL = re.compile(r"licen[cs]\w*|certif\w*|credential\w*|자격증|면허", re.IGNORECASE)
# A language is shown by its name in either language of the product.
LANGUAGES = {
    "english": ("english", "영어"), "spanish": ("spanish", "스페인어", "español"), "korean": ("korean", "한국어"),
    "chinese": ("chinese", "중국어"), "mandarin": ("mandarin", "중국어"), "cantonese": ("cantonese", "광둥어"),
    "japanese": ("japanese", "일본어"), "vietnamese": ("vietnamese", "베트남어"), "tagalog": ("tagalog",),
    "french": ("french", "프랑스어"), "german": ("german", "독일어"), "russian": ("russian", "러시아어"),
    "arabic": ("arabic", "아랍어"), "portuguese": ("portuguese",), "italian": ("italian",), "hindi": ("hindi",),
    "polish": ("polish",), "asl": ("asl", "sign language", "수어"),
}  # fmt: skip
LANGUAGES.update({alias: names for names in list(LANGUAGES.values()) for alias in names})
# Products an ad names at the start of a line or in a Title Case line, where capitals say nothing.
PRODUCTS = {
    "excel", "outlook", "powerpoint", "salesforce", "sap", "epic", "cerner", "photoshop", "autocad",
    "python", "java", "tableau", "oracle", "workday", "zendesk", "shopify", "quickbooks", "sql", "kronos",
}  # fmt: skip
# Words around a credential's name that do not name it.
CREDENTIAL_FILLER = {
    "valid", "current", "active", "state", "class", "required", "preferred", "must", "have", "hold", "with",
    "and", "the", "card", "license", "licence", "certification", "certificate", "certified", "a", "an", "or",
    "in", "of", "clean", "driving", "record", "plus", "is",
}  # fmt: skip


STEMMER = snowballstemmer.stemmer("english")
STOP = set(
    """a an the and or of to in on for with by at from as is are be will you your our we this that these those
    able ability experience experienced skills skill knowledge required must should strong good excellent work
    working job role including such other etc years year plus preferred""".split()  # noqa: SIM905
)


def content_stems(text: str) -> set[str]:
    """Content words reduced to their Snowball stems, so "customers" in an ad meets "customer" in a line."""
    return set(
        STEMMER.stemWords([w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP and len(w) > 2])
    )


def _verb_forms() -> set[str]:
    forms = set()
    for verb in [*_VERB_STEMS, *IRREGULAR]:
        stem = verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb
        forms |= {
            verb,
            past(verb),
            verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s"),
            stem + "ing",
        }
    forms |= set(IRREGULAR.values())
    return forms


VERB_FORMS = _verb_forms()
CLAUSE_BREAK = re.compile(r"\s*(?:[,;]\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)", re.IGNORECASE)


@dataclass(frozen=True)
class Judgement:
    requirement: str
    status: str  # SHOWN, PARTLY_SHOWN or NOT_SHOWN
    evidence: str | None  # the person's line (or clause of it) that shows it, quoted as they wrote it
    similarity: float

    @property
    def met(self) -> bool:
        return self.status == SHOWN


def clauses(text: str) -> list[str]:
    """One line cut into single demands: a comma, "and" or "or" followed by a verb starts a new one, when
    both sides keep at least two words ("answer questions by phone and chat, resolve billing issues and keep
    records" is three; "Excel, Word and Outlook" and "plan, direct, or coordinate work" stay one)."""
    text = text.strip().rstrip(".;:")
    parts: list[str] = []
    start = previous = 0
    for m in CLAUSE_BREAK.finditer(text):
        following = text[m.end() :].split(maxsplit=1)
        head, before = text[start : m.start()], text[previous : m.start()].strip()
        after = re.split(CLAUSE_BREAK, text[m.end() :], maxsplit=1)[0]
        verb_list = " " not in before and before.lower() in VERB_FORMS  # "plan, direct, or coordinate …"
        new_duty = bool(following) and following[0].lower() in VERB_FORMS and not verb_list
        if new_duty and len(head.split()) >= 2 and len(after.split()) >= 2:
            parts.append(head.strip())
            start = m.end()
        previous = m.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def split_demands(ad: str, limit: int = MAX_DEMANDS) -> list[str]:
    """The ad's single demands in order, without repeats: each bullet, and each sentence of prose that asks
    for something, cut into clauses."""
    found: list[str] = []
    for line in ad.splitlines():
        line = line.strip()
        if not line:
            continue
        if BULLET.match(line):
            found += clauses(BULLET.sub("", line))
            continue
        for sentence in re.split(r"(?<=[.!?;])\s+", line):
            if CUES.search(sentence) and len(sentence.split()) >= 2:
                found += clauses(sentence)
    unique: list[str] = []
    for item in found:
        if len(item) > 2 and item.lower() not in {u.lower() for u in unique}:
            unique.append(item)
    return unique[:limit]


def literal_terms(demand: str) -> list[str]:
    """What a line must literally say to show `demand`: languages, acronyms (CDL, CPR, SQL), named products
    (QuickBooks, Excel), and for a licence or certificate its name."""
    words = re.findall(r"[\w'’+#]+", demand)
    terms = [w for w in words if w.lower() in LANGUAGES]
    title_case = sum(w[:1].isupper() for w in words if len(w) > 3) > len([w for w in words if len(w) > 3]) / 2
    for i, w in enumerate(words):
        if w in terms or w.lower() in LANGUAGES:
            continue
        acronym = len(w) >= 2 and sum(c.isupper() for c in w) >= 2 and not w.isdigit()
        camel = re.search(r"[a-z][A-Z]", w) is not None
        product = w.lower() in PRODUCTS or (
            i > 0 and w[:1].isupper() and not title_case and w.lower() not in CREDENTIAL_FILLER
        )
        if acronym or camel or product:
            terms.append(w)
    if CREDENTIAL.search(demand) and not terms:
        named = [w for w in words if w.lower() not in CREDENTIAL_FILLER and not CREDENTIAL.fullmatch(w)]
        cue = CREDENTIAL.search(demand).group(0).lower()
        terms += [cue[:5] if cue.startswith("licen") else cue[:6], *named[:1]]
    return terms


def says(line: str, term: str) -> bool:
    """The line contains the term as a word, or a word it starts ("certif" meets "certified"), or the name
    of the same language in the other language ("영어" meets "English")."""
    for name in LANGUAGES.get(term.lower(), (term,)):
        pattern = re.escape(name) + (r"\w*" if len(name) >= 4 or not name.isascii() else r"\b")
        if re.search(r"(?<!\w)" + pattern, line, re.IGNORECASE):
            return True
    return False


def _compared(text: str) -> str:
    return LEAD_IN.sub("", text.strip()) or text.strip()


def meaning_scores(demands: Sequence[str], lines: Sequence[str]) -> np.ndarray:
    """demands × lines: the cosine of their vectors + WORD_WEIGHT × the share of the demand's content words
    that the line uses."""
    vectors = encode([_compared(d) for d in demands] + [_compared(line) for line in lines])
    cosine = vectors[: len(demands)] @ vectors[len(demands) :].T
    line_stems = [content_stems(line) for line in lines]
    for d, demand in enumerate(demands):
        if wanted := content_stems(_compared(demand)):
            cosine[d] += WORD_WEIGHT * np.array([len(wanted & s) / len(wanted) for s in line_stems])
    return cosine


def judge(demands: Sequence[str], lines: Sequence[str]) -> list[Judgement]:
    """Each demand judged against the person's lines (and the clauses of each line): the closest line by
    meaning, among those that say the demand's literal terms."""
    if not demands:
        return []
    pieces = [[line.strip()] + (parts if len(parts := clauses(line)) > 1 else []) for line in lines]
    candidates = list(dict.fromkeys(c for piece in pieces for c in piece if c))
    if not candidates:
        return [Judgement(d, NOT_SHOWN, None, 0.0) for d in demands]
    scores = meaning_scores(demands, candidates)
    result = []
    for d, demand in enumerate(demands):
        terms = literal_terms(demand)
        allowed = np.array([all(says(c, t) for t in terms) for c in candidates])
        row = np.where(allowed, scores[d], -1.0)
        best = int(row.argmax())
        score = float(row[best])
        status = SHOWN if score >= SHOWN_AT else PARTLY_SHOWN if score >= PARTLY_AT else NOT_SHOWN
        evidence = candidates[best] if status != NOT_SHOWN else None
        result.append(Judgement(demand, status, evidence, round(max(score, 0.0), 4)))
    return result


def check_ad(ad: str, lines: Sequence[str]) -> list[Judgement]:
    """The ad's demands, each judged against the person's lines."""
    return judge(split_demands(ad), lines)


def propose_tasks(
    duties: Sequence[str], tasks: Sequence[str], limit: int, min_score: float = PARTLY_AT
) -> list[tuple[int, float]]:
    """The tasks (indexes into `tasks`) that a person's duties in their own words show at least partly, best
    shown first, each with its score against its closest duty."""
    if not duties or not tasks:
        return []
    pieces = [(t, piece) for t, task in enumerate(tasks) for piece in dict.fromkeys([task, *clauses(task)])]
    scores = meaning_scores([piece for _, piece in pieces], duties).max(axis=1)
    best = np.full(len(tasks), -1.0)
    np.maximum.at(best, [t for t, _ in pieces], scores)  # a task is as well shown as its best-shown clause
    order = np.argsort(-best, kind="stable")[:limit]
    return [(int(i), round(float(best[i]), 4)) for i in order if best[i] >= min_score]
