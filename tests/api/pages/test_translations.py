"""The interface text catalogs (api/pages/locale): every message has a current Korean translation, every key the
pages name exists, and the catalogs stay in the shape translators' tools read and write."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from api.pages.i18n import ERRORS, LANGUAGES, LOCALE_DIR, TEXT, MessageCatalog, translator
from occurisk_assets.assistant.resume import NOTES

PAGES = Path(__file__).resolve().parents[3] / "api" / "pages"
CATALOGS = (TEXT, ERRORS)
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]

# t("key"), page.t("key"), self.t("key") in templates and page code: the keys named literally, and the
# prefixes of keys put together (t("level_" ~ level)).
KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""")
PREFIX_CALL = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[~+]""")


def _entries(path: Path):
    with path.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda c: c.domain)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_has_a_current_translation(catalog: MessageCatalog, lang: str):
    template = {m.context: m for m in _entries(LOCALE_DIR / f"{catalog.domain}.pot")}
    translated = {m.context: m for m in _entries(catalog.po_path(lang))}
    assert template, f"{catalog.domain}.pot has no messages"
    assert all(key for key in template), "every message has a key (msgctxt)"

    missing = sorted(set(template) - set(translated))
    extra = sorted(set(translated) - set(template))
    stale = sorted(k for k in set(template) & set(translated) if translated[k].id != template[k].id)
    fuzzy = sorted(k for k, m in translated.items() if m.fuzzy)
    empty = sorted(k for k, m in translated.items() if not m.string.strip())
    placeholders = sorted(
        k
        for k in set(template) & set(translated)
        if _placeholders(template[k].id) != _placeholders(translated[k].string)
    )
    assert (missing, extra, stale, fuzzy, empty, placeholders) == ([], [], [], [], [], []), (
        f"{catalog.po_path(lang)}: missing {missing}, not in the template {extra}, English changed since "
        f"translated {stale}, fuzzy {fuzzy}, empty {empty}, placeholders differ {placeholders} "
        "(docs/architecture.md 'Interface text' says how to update a catalog)"
    )


def test_a_stale_translation_shows_the_english(tmp_path, monkeypatch):
    """A translation whose English has changed since is not shown (the check above fails meanwhile)."""
    pot = (LOCALE_DIR / "errors.pot").read_text()
    po = (LOCALE_DIR / "ko" / "LC_MESSAGES" / "errors.po").read_text()
    (tmp_path / "ko" / "LC_MESSAGES").mkdir(parents=True)
    english = 'msgid "The order must be “asc” or “desc”."'
    assert english in pot and english in po
    (tmp_path / "errors.pot").write_text(pot.replace(english, 'msgid "Choose “asc” or “desc”."'))
    (tmp_path / "ko" / "LC_MESSAGES" / "errors.po").write_text(po)
    monkeypatch.setattr("api.pages.i18n.LOCALE_DIR", tmp_path)
    catalog = MessageCatalog("errors")
    assert translator("ko", catalog)("order") == "Choose “asc” or “desc”."
    assert translator("ko", catalog)("lang") == translator("ko", ERRORS)("lang")


def test_every_key_the_pages_name_exists():
    named, prefixes = set(), set()
    for path in [*PAGES.glob("templates/**/*.html"), *PAGES.glob("**/*.py")]:
        text, where = path.read_text(), path.relative_to(PAGES).as_posix()
        named |= {(key, where) for key in KEY_CALL.findall(text)}
        prefixes |= {(prefix, where) for prefix in PREFIX_CALL.findall(text)}
    assert len(named) > 300 and prefixes, "the scan finds the pages' keys"
    unknown = sorted((where, key) for key, where in named if key not in TEXT)
    unknown += sorted(
        (where, prefix + "…")
        for prefix, where in prefixes
        if not any(k.startswith(prefix) for k in TEXT.english)
    )
    assert unknown == []


def test_resume_notes_are_translated_from_the_english_the_api_returns():
    """The API returns a résumé draft's notes in English (resume.py NOTES); the pages translate the same text."""
    for key, english in NOTES.items():
        assert TEXT.english[f"note_{key}"] == english, f"note_{key}: NOTES changed, update messages.pot"
