"""Interface text in English and Korean, and which of the two a request gets.

O*NET content (titles, task statements, rationales) stays in English: only the words of the interface are
translated. The language comes from `?lang=`, else the `lang` cookie (set by the visible switch), else the
browser's Accept-Language, else English.
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most ('ko-KR,ko;q=0.9,en;q=0.8' → 'ko')."""
    if not header:
        return None
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def choose_language(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE


def cookies_of(scope: dict) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is no cookie
                return {}
            return {key: morsel.value for key, morsel in jar.items()}
    return {}


LOCALE_DIR = Path(__file__).parent / "locale"


def _read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)  # a broken entry (e.g. a msgstr a merge dropped) is an error


class MessageCatalog:
    """One gettext domain of interface text: the English in its template (`locale/<domain>.pot`), each other
    language in `locale/<lang>/LC_MESSAGES/<domain>.po`, in the format translators' tools (Poedit, Weblate,
    `pybabel update`) work with. Code and templates name a message by its key, the entry's msgctxt; a
    translation is used while its msgid is the template's English and it is not marked fuzzy, else the
    English shows (tests/api/pages/test_translations.py fails on both in `make test`)."""

    def __init__(self, domain: str):
        self.domain = domain
        self.english = {m.context: m.id for m in _read_catalog(LOCALE_DIR / f"{domain}.pot") if m.id}
        self.translated = {
            lang: {
                m.context: m.string
                for m in _read_catalog(self.po_path(lang))
                if m.id and m.string and not m.fuzzy and self.english.get(m.context) == m.id
            }
            for lang in LANGUAGES
            if lang != DEFAULT_LANGUAGE
        }

    def po_path(self, lang: str) -> Path:
        return LOCALE_DIR / lang / "LC_MESSAGES" / f"{self.domain}.po"

    def __contains__(self, key: str) -> bool:
        return key in self.english

    def text(self, lang: str, key: str) -> str:
        if lang == DEFAULT_LANGUAGE:
            return self.english[key]
        return self.translated[lang].get(key) or self.english[key]


# The pages' words, and the messages of the error summaries (a key per parameter or problem).
TEXT = MessageCatalog("messages")
ERRORS = MessageCatalog("errors")

Translate = Callable[..., str]


def translator(lang: str, catalog: MessageCatalog = TEXT) -> Translate:
    def t(key: str, **values: object) -> str:
        return catalog.text(lang, key).format(**values)

    return t
