"""Rendering pages: the Jinja2 environment, what every page knows about its request (language, contrast,
the served data version) and the error pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.config import onet_attribution
from api.pages import charts, csrf
from api.pages.i18n import ERRORS, LANGUAGE_NAMES, LANGUAGES, TEXT, choose_language, cookies_of, translator

TEMPLATES = Path(__file__).parent / "templates"
CONTRASTS = ("normal", "high")
PROVIDER_NAMES = {"openai": "OpenAI", "anthropic": "Anthropic"}
COOKIE_AGE = 365 * 24 * 3600

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def vary(scope: dict) -> tuple:
    """What a page's answer depends on besides its URL (for the response cache): language and contrast."""
    if scope["path"].startswith("/api/"):
        # The CORS headers of an answer depend on the asking origin.
        return (next((v for k, v in scope.get("headers", []) if k == b"origin"), None),)
    query = dict(_query_pairs(scope.get("query_string", b"")))
    cookies = cookies_of(scope)
    accept = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept-language"), None)
    lang = choose_language(query.get("lang"), cookies.get("lang"), accept)
    contrast = query.get("contrast") if query.get("contrast") in CONTRASTS else cookies.get("contrast")
    return (lang, contrast if contrast in CONTRASTS else "normal")


def _query_pairs(query_string: bytes) -> list[tuple[str, str]]:
    return parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)


class PageError(Exception):
    """A page that cannot be shown as asked: `problems` are (parameter, translated message) pairs."""

    def __init__(self, status: int, problems: list[tuple[str, str, str]] | None = None):
        self.status = status
        self.problems = problems or []  # (parameter, ERRORS key, value)


@dataclass
class Page:
    request: Request
    lang: str
    contrast: str
    set_cookies: dict[str, str] = field(default_factory=dict)
    private: bool = False  # shows a form token or personal data: never kept by any cache

    def csrf_token(self) -> str:
        """The token the `csrf_field` macro puts in a form (api/pages/csrf.py)."""
        self.private = True
        return csrf.token_for(self.request, self.set_cookies)

    @property
    def t(self):
        return translator(self.lang)

    def error_text(self, name: str, key: str, value: object) -> str:
        return translator(self.lang, ERRORS)(key if key in ERRORS else "bad_value", name=name, value=value)

    def url(self, path: str, **params) -> str:
        """A link within the site; the language and contrast ride along in cookies, not in the URL.
        A trailing underscore lets a parameter be a Python keyword (`from_` → `from`)."""
        pairs = []
        for name, value in params.items():
            key = name.removesuffix("_")
            if isinstance(value, list | tuple):
                pairs.extend((key, v) for v in value)
            elif value is not None and value != "":
                pairs.append((key, value))
        return path + ("?" + urlencode(pairs) if pairs else "")

    def switch_url(self, **change) -> str:
        """This page's URL with one setting changed (the language or contrast switches)."""
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k not in change]
        params.extend(change.items())
        return quote(self.request.url.path) + "?" + urlencode(params)  # the path as it was sent: %00 stays so

    def render(self, template: str, status: int = 200, **context) -> HTMLResponse:
        version = context.get("data_version")
        html = environment.get_template(template).render(
            page=self,
            t=self.t,
            lang=self.lang,
            languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            charts=charts,
            attribution=onet_attribution(version),
            fmt=Formatter(self.lang),
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        for name, value in self.set_cookies.items():
            response.set_cookie(name, value, max_age=COOKIE_AGE, httponly=True, samesite="lax")
        if self.private:
            response.headers["cache-control"] = "no-store"
        return response


def page_context(request: Request) -> Page:
    query_lang = request.query_params.get("lang")
    query_contrast = request.query_params.get("contrast")
    lang = choose_language(query_lang, request.cookies.get("lang"), request.headers.get("accept-language"))
    contrast = query_contrast if query_contrast in CONTRASTS else request.cookies.get("contrast")
    page = Page(request, lang, contrast if contrast in CONTRASTS else "normal")
    if query_lang in LANGUAGES:
        page.set_cookies["lang"] = query_lang
    if query_contrast in CONTRASTS:
        page.set_cookies["contrast"] = query_contrast
    problems = []
    if query_lang is not None and query_lang not in LANGUAGES:
        problems.append(("lang", "lang", query_lang))
    if problems:
        raise PageError(400, problems)
    return page


PageDep = Annotated[Page, Depends(page_context)]


class Formatter:
    """Numbers, money and percentages, written the way each language writes them."""

    def __init__(self, lang: str):
        self.lang = lang
        self.t = translator(lang)

    def pct(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return self.t("not_scored")
        return f"{value * 100:.{digits}f}%"

    def observed(self, value: float | None) -> str:
        """Observed use (Anthropic Economic Index): a share, "under 1%" rather than a rounded 0% that would
        read as none, and "no observations" where the index has none (which is not 0%)."""
        if value is None:
            return self.t("no_observations")
        if 0 < value < 0.005:
            return self.t("under_one_pct")
        return f"{value * 100:.0f}%"

    def release(self, key: str) -> str:
        """An AEI release key as words: 'labor_market_impacts' → 'labor market impacts', '2025_03_27' →
        '2025-03-27' (a long key with underscores cannot wrap on a phone)."""
        return key.replace("_", "-" if re.fullmatch(r"\d{4}_\d\d_\d\d", key) else " ")

    def number(self, value: int | float | None) -> str:
        return self.t("unknown") if value is None else f"{value:,.0f}"

    def money(self, value: int | float | None, flag: str | None = None, digits: int = 0) -> str:
        if value is None:
            return self.t(flag) if flag in ("suppressed", "top_coded") else self.t("unknown")
        return f"${value:,.{digits}f}"

    def signed_pct(self, value: float | None) -> str:
        return self.t("unknown") if value is None else f"{value:+.1f}%"

    def rater(self, model: str) -> str:
        """A rater's id (`published:gpt4_exposure`, `openai:gpt-4.1-mini`) as a person would say it."""
        provider, _, name = model.partition(":")
        if provider == "published":
            key = f"rater_published_{name}"
            return self.t(key) if key in TEXT else self.t("rater_published", name=name)
        return self.t("rater_llm", provider=PROVIDER_NAMES.get(provider, provider), model=name)

    def level(self, score: float | None) -> str:
        if score is None:
            return "none"
        return "high" if score >= 0.6 else "medium" if score >= 0.3 else "low"


def page_for_error(request: Request) -> Page:
    """The request's language and contrast, ignoring (not rejecting) a bad ?lang=."""
    lang = choose_language(
        request.query_params.get("lang"), request.cookies.get("lang"), request.headers.get("accept-language")
    )
    contrast = request.cookies.get("contrast")
    return Page(request, lang, contrast if contrast in CONTRASTS else "normal")


def error_page(
    request: Request, status: int, problems: list[tuple[str, str, str]] | None = None
) -> HTMLResponse:
    """The 404 / 400 / 409 / 503 page, in the request's language, without raising again on a bad ?lang=."""
    page = page_for_error(request)
    messages = [(name, page.error_text(name, key, value)) for name, key, value in problems or []]
    template = {404: "not_found.html", 400: "bad_request.html", 409: "bad_request.html"}.get(
        status, "unavailable.html"
    )
    return page.render(template, status=status, problems=messages, data_version=None)
