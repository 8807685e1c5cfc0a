"""What each line of a résumé is, before any job is read from it: repaired text (mojibake such as "â€¢"
fixed by ftfy, any bullet glyph made one), section headings (English and Korean), a person's name, address
or contact line, a place ("Dallas, TX"), an award, a duty ("Served as backup HR Liaison."), schooling, or a short
line that can name a title or an employer."""

from __future__ import annotations

import re

import ftfy

BULLET = re.compile(r"^\s*(?:[-*•·▪▫●○◦■□◆◇►▶➢➤✓✔❖→∙⁃‣o]|\d{1,2}[.)])\s+")
_BULLET_GLYPHS = re.compile(r"^\s*[•·▪▫●○◦■□◆◇►▶➢➤✓✔❖→∙⁃‣]\s*")
# Headings: the job sections, and the sections whose lines (and dates: school years) are no jobs.
JOB_SECTION = re.compile(
    r"^(?:(?:work|professional|relevant|employment|career|job)\s+)*"
    r"(?:experience|history|employment(?: history)?|work history|career history)\s*:?$"
    r"|^(?:주요\s*|직장\s*|근무\s*)?경력(?:\s*사항)?\s*:?$",
    re.IGNORECASE,
)
OTHER_SECTION = re.compile(
    r"^(?:(?:core|key|technical|professional|additional|skill|career|personal|contact|summary of)\s+)?"
    r"(?:education(?: and training)?|skills?|highlights|accomplishments|achievements|awards?(?: and honou?rs)?|"
    r"honou?rs|certifications?|licen[cs]es?(?: and certifications)?|languages?|references?|interests|summary|"
    r"profile|objective|qualifications|training|activities|affiliations|publications|information|"
    r"competencies|overview)\s*:?$"
    r"|^(?:학력|학력\s*사항|자격증?|자격\s*사항|자기\s*소개서?|보유\s*기술|기술|교육|교육\s*이수|수상|수상\s*경력|"
    r"어학|어학\s*능력|인적\s*사항|기본\s*정보|연락처|희망\s*직무|자격\s*및\s*면허|병역)\s*:?$",
    re.IGNORECASE,
)
DOCUMENT_TITLE = re.compile(
    r"^(?:r[ée]sum[ée]|curriculum vitae|cv|이력서|경력\s*기술서)\s*:?$", re.IGNORECASE
)
CONTACT = re.compile(
    r"\S+@\S+\.\w+|https?://|www\.|linkedin|\(?\b\d{2,3}\)?[\s.-]\d{3,4}[\s.-]\d{4}\b|"
    r"^\s*\d+\s+\w+(?:\s+\w+)*\s+(?:st|street|ave|avenue|rd|road|blvd|lane|ln|dr|drive|way|ct|court)\b\.?|"
    r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|^\s*(?:phone|tel|email|e-mail|address|mobile|cell)\s*:|"
    r"^\s*(?:이름|성명|주소|전화|휴대폰|연락처|이메일|생년월일)\s*:?|"
    r"(?:시|도|구|군)\s+\S+(?:로|길|동)\s*\d+",
    re.IGNORECASE,
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|"
    "OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
PLACE = re.compile(
    rf"^(?:[A-Z][a-zA-Z.'-]*(?:\s+[A-Z][a-zA-Z.'-]*){{0,2}}\s*,\s*(?:{_STATES}|[A-Z][a-z]+)"
    r"|City\s*,\s*State|(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)"
    r"(?:특별시|광역시|특별자치시|특별자치도|도)?(?:\s+\S+[시군구])?)$"
)
AWARD = re.compile(
    r"\b(?:award(?:ed)?|honou?rs?|prize|recogni[sz](?:ed|ition)|employee of the (?:month|year)|"
    r"dean's list|scholarship|winner|certificate of)\b|수상|표창|우수\s*사원|장려상|공로상",
    re.IGNORECASE,
)
# A school line outside an Education section ("B.S. Nursing, State University, 1998 - 2002").
SCHOOLING = re.compile(
    r"\b(?:b\.?s|b\.?a|m\.?s|m\.?a|mba|ph\.?d|bachelor'?s?|master'?s?|associate degree|degree|diploma|ged|"
    r"graduated|coursework)\b|졸업|학사|석사|박사|수료",
    re.IGNORECASE,
)
# Words that start a title although they look like verbs ("Registered Nurse").
_TITLE_PARTICIPLES = {"registered", "licensed", "certified", "qualified", "skilled", "retired", "advanced"}
_DUTY_VERBS = re.compile(
    r"^(?:assist|answer|help|handle|manage|lead|train|serve|work|provide|prepare|perform|maintain|ensure|"
    r"respond|resolve|process|operate|drive|deliver|load|clean|cook|supervise|coordinate|schedule|monitor|"
    r"oversee|develop|create|build|design|support|sell|greet|stock|count|file|type|keep|make|run|do|teach|"
    r"care|review|track|order|record|fix|repair|install|inspect|test|plan|organi[sz]e|conduct|direct)"
    r"(?:e?d|s|es|ing)?$|^(?:led|ran|kept|made|did|drove|taught|sold|built|oversaw)$",
    re.IGNORECASE,
)
ABBREVIATION = re.compile(r"\b(?:Co|Inc|Ltd|Corp|Jr|Sr|St|Mr|Mrs|Ms|Dr|Bros|Dept|No)\.$")
_KOREAN_SENTENCE = re.compile(r"(?:다|함|음|였음|했음|습니다)\.?$")
_WORD = re.compile(r"[^\W\d_][\w'’&.-]*")


def repaired(text: str) -> str:
    """Mojibake and odd characters repaired, one bullet glyph, no-break spaces made spaces."""
    text = ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False)
    text = (
        text.replace("(주)", "㈜")
        .replace("\u00a0", " ")
        .replace("\uf0b7", "•")
        .replace("\uf0a7", "•")
        .replace("\t", "  ")
    )
    return "\n".join(_BULLET_GLYPHS.sub("• ", line) for line in text.splitlines())


def is_contact(line: str) -> bool:
    return bool(CONTACT.search(line))


def is_place(text: str) -> bool:
    return bool(PLACE.match(text.strip(" ,")))


def is_award(line: str) -> bool:
    return bool(AWARD.search(line))


def is_schooling(line: str) -> bool:
    return bool(SCHOOLING.search(line))


def is_duty(line: str) -> bool:
    """A bullet, a sentence or a line that starts with a verb: what someone did, not what they were."""
    if BULLET.match(line):
        return True
    words = line.split()
    first = words[0].lower().strip(",.:;") if words else ""
    ends = line.rstrip()[-1:] in ".!?" and not ABBREVIATION.search(line.rstrip())
    if ends and len(words) >= 3 or _KOREAN_SENTENCE.search(line):
        return True
    if first not in _TITLE_PARTICIPLES and _DUTY_VERBS.match(first) and len(words) >= 2:
        return True
    return len(words) > 12


def is_heading_ish(line: str) -> bool:
    """A short line that can hold a title, an employer or both (not a duty, a contact or an award)."""
    if is_duty(line) or is_contact(line) or is_award(line) or DOCUMENT_TITLE.match(line):
        return False
    words = _WORD.findall(line)
    if not words or len(words) > 10:
        return False
    latin = [w for w in words if w[0].isascii()]
    small = {"of", "and", "the", "for", "at", "in", "to", "a", "an", "de", "&"}
    capitalised = [w for w in latin if w[0].isupper() or w.lower() in small]
    return not latin or len(capitalised) >= len(latin) / 2 or len(latin) <= 3


def is_name(line: str) -> bool:
    """A line that is only a person's name: two to four capitalised words, or two to four Hangul syllables."""
    text = line.strip()
    if re.fullmatch(r"[가-힣]{2,4}", text):
        return True
    words = text.split()
    return 2 <= len(words) <= 4 and all(re.fullmatch(r"[A-Z][a-z'’-]+\.?|[A-Z]\.", w) for w in words)
