"""Which words of a job line are the title and which the employer, decided by meaning, not by position:
"St. Vincent Regional Hospital, Staff Nurse" and "Staff Nurse, St. Vincent Regional Hospital" give the same
job. An employer is told by organisation cues (Inc., Co., Hospital, FoodMart, 주식회사, 상사, 요양원 …); a title
by occupation words (Nurse, Machinist, 요양보호사, 경리 과장 …) and by how close the words are to an occupation
title of the occupation coder (`title_likeness`). Places ("Dallas, TX") are neither."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from occurisk_assets.assistant.resume_lines import ABBREVIATION, is_place

TitleLikeness = Callable[[Sequence[str]], Sequence[float]]

_ORG_WORDS = (
    r"inc|incorporated|llc|llp|ltd|limited|co|corp|corporation|company|companies|group|holdings|partners|"
    r"associates|enterprises|industries|international|hospital|clinic|medical center|health system|healthcare|"
    r"school|schools|academy|university|college|institute|bank|credit union|market|supermarket|mart|store|"
    r"stores|shop|restaurant|cafe|café|diner|bakery|hotel|inn|resort|motors|airlines|logistics|freight|"
    r"trucking|transport|foods|farms?|factory|plant|mills?|manufacturing|systems|technologies|solutions|"
    r"services|agency|department|county|city|state|district|ministry|office of|church|foundation|"
    r"association|society|club|center|centre|home|homes|care home|nursing home|warehouse|depot|station|"
    r"library|museum|bros|and sons|& sons|gmbh|s\.a"
)
ORGANISATION = re.compile(
    rf"(?:\b(?:{_ORG_WORDS})\.?$|^(?:the|city of|county of|state of|department of|university of)\s|"
    r"(?-i:\b[A-Z][a-z]+[A-Z][a-z]+\b)|&|"  # "FoodMart", "Smith & Sons"
    r"주식회사|\(주\)|㈜|유한회사|(?:상사|회사|요양원|병원|의원|한의원|센터|은행|마트|학교|학원|공사|공단|산업|물산|"
    r"전자|건설|식품|유통|호텔|식당|그룹|재단|협회|시청|구청|군청|복지관|어린이집|유치원|편의점|백화점|제약|"
    r"약국|운수|택시|물류|공업|상회|농협|수협|조합)(?:\s|$))",
    re.IGNORECASE,
)
_TITLE_WORDS = (
    r"manager|supervisor|director|assistant|associate|nurse|aide|clerk|driver|representative|rep|technician|"
    r"machinist|operator|cashier|cook|chef|worker|engineer|teacher|agent|specialist|analyst|officer|"
    r"coordinator|administrator|accountant|bookkeeper|mechanic|electrician|carpenter|laborer|labourer|guard|"
    r"attendant|server|waiter|waitress|bartender|housekeeper|janitor|custodian|receptionist|secretary|"
    r"caregiver|therapist|counselor|counsellor|consultant|designer|developer|programmer|writer|editor|"
    r"salesperson|sales|merchandiser|stocker|packer|loader|handler|welder|plumber|painter|installer|"
    r"inspector|dispatcher|planner|buyer|cleaner|nanny|tutor|instructor|trainer|lead|foreman|"
    r"superintendent|owner|president|liaison|courier|butcher|baker|barista|stylist|pharmacist|physician|"
    r"paralegal|auditor|teller|collector|porter|valet|hostess|host|crew|staff|intern|apprentice|helper"
)
TITLE = re.compile(
    rf"\b(?:{_TITLE_WORDS})s?\b|"
    r"(?:보호사|간호사|조무사|복지사|치료사|요리사|조리사|미용사|기사|기술자|운전사|운전원|사무원|경비원|미화원|"
    r"판매원|상담원|배달원|관리원|생산직|사무직|경리|회계|과장|대리|주임|사원|팀장|부장|차장|실장|이사|대표|교사|강사|"
    r"직원|보조|알바|아르바이트|점장|매니저|엔지니어|디자이너|개발자|운전|정비사|용접공|목수|요양보호사)(?:\s|$)",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(
    r"\s+(?:at|@|with|for)\s+|\s*[|,;/]\s*|\s+[-–—]\s+|\s*[–—]\s*|\s{2,}|\s*[()\[\]]\s*|\s+(?:에서)\s+"
)
_LEAD_IN = re.compile(
    r"^(?:and\s+|then\s+|before that,?\s+|after that,?\s+)?(?:i\s+)?(?:was|worked|have worked|'ve worked|"
    r"am|'m|served|started|spent \w+ years?)?\s*(?:as an?|as|an?)\s+",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"\b(?:for\s+)?(?:about\s+|over\s+|almost\s+|nearly\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|\w+teen|twenty|thirty)(?:[\s-]\w+)?\s+(?:years?|months?)\b|\d+\s*(?:년간|개월)",
    re.IGNORECASE,
)
_PROSE_ARTICLE = re.compile(r"^the\s+(?=[A-Z])")  # "at the Blue Plate Diner"; "The Home Depot" keeps it
_SUFFIX_ONLY = re.compile(r"^(?:inc|llc|ltd|co|corp|l\.?p|gmbh|plc)\.?$", re.IGNORECASE)
_KOREAN_ORG_SPLIT = re.compile(
    r"^(\S*(?:주식회사|㈜|상사|회사|요양원|병원|의원|센터|은행|마트|학교|학원|공사|산업|물산|전자|건설|식품|유통|호텔|"
    r"식당|복지관|어린이집|편의점|물류|운수|택시|공업|상회))\s+(\S.*)$"
)


@dataclass(frozen=True)
class JobFields:
    title: str
    employer: str | None


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:-–—|()[]~•*")


def fragments(text: str) -> list[str]:
    """A job line's parts: split at commas, dashes, "at", brackets and column gaps; places dropped;
    "Acme, Inc." kept together; "햇살요양원 요양보호사" split after the organisation word."""
    text = _LEAD_IN.sub("", text.strip())
    text = _DURATION.sub(" ", text)
    parts: list[str] = []
    for raw in _SEPARATORS.split(text):
        part = _PROSE_ARTICLE.sub("", clean(raw))
        if part.endswith(".") and not ABBREVIATION.search(part):
            part = part[:-1].rstrip()
        if not part:
            continue
        if parts and _SUFFIX_ONLY.match(part):
            parts[-1] = f"{parts[-1]}, {part}"
            continue
        korean = _KOREAN_ORG_SPLIT.match(part)
        if korean and (TITLE.search(korean.group(2)) or not ORGANISATION.search(korean.group(2))):
            parts.extend([korean.group(1), korean.group(2)])
        else:
            parts.append(part)
    kept = [p for p in parts if not is_place(p)]
    if len(kept) > 2:  # "Dallas, TX" split by its comma: a lone state or city after an employer
        kept = [p for p in kept if not re.fullmatch(r"[A-Z]{2}", p)]
    return kept


def _cue(text: str) -> float:
    """> 0: looks like an occupation title; < 0: like an organisation."""
    return (1.0 if TITLE.search(text) else 0.0) - (1.0 if ORGANISATION.search(text) else 0.0)


def choose(parts: list[str], likeness: Mapping[str, float] | None = None) -> JobFields:
    """The title and the employer among a job line's parts (the rest: places, departments, dropped);
    `likeness`: each part's title likeness, computed for all of a résumé's parts in one batch."""
    if not parts:
        return JobFields("", None)
    if len(parts) == 1:
        only = parts[0]
        return JobFields("", only) if _cue(only) < 0 else JobFields(only, None)
    scores = np.array([_cue(p) for p in parts], dtype=float)
    if likeness is not None:
        scores += [likeness.get(p, 0.0) for p in parts]
    order = np.arange(len(parts))
    title_at = int(np.argmax(scores - 1e-6 * order))  # a tie: the part written first is the title
    # Of the rest, the one with an organisation cue, else the first (later parts: a department, a town).
    employer_at = min((i for i in order if i != title_at), key=lambda i: (_cue(parts[i]), i))
    return JobFields(parts[title_at], parts[employer_at])


@lru_cache(maxsize=4)
def _title_vectors(coder):
    vectors = coder.features.transform(coder.titles).tocsr()
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()) + 1e-9
    return vectors, norms


def coder_title_likeness(coder) -> TitleLikeness:
    """How close each text is to its nearest occupation title (cosine of the coder's TF-IDF features):
    "Staff Nurse" is near "Registered Nurses"; "St. Vincent Regional Hospital" is near none."""

    def likeness(texts: Sequence[str]) -> list[float]:
        titles, title_norms = _title_vectors(coder)
        x = coder.features.transform(list(texts)).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel()) + 1e-9
        cosine = (x @ titles.T).toarray() / (norms[:, None] * title_norms[None, :])
        return cosine.max(axis=1).tolist()

    return likeness
