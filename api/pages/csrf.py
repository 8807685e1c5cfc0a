"""CSRF protection for every form of the pages: a signed double-submit token.

A browser gets a random nonce signed with the site's secret (HMAC-SHA256) in the `occurisk_csrf` cookie,
and the same token in a hidden field of each form it is shown (the `csrf_field` macro, _forms.html). A POST,
PUT, PATCH or DELETE to a page is accepted only when the field equals the cookie and the signature is ours:
another site can make a browser send the cookie, but it cannot read it to copy it into the form.

The secret comes from OCCURISK_CSRF_SECRET, else a 0600 file OCCURISK_HOME/secrets/csrf.key (made on
first use). It is never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from fastapi import Request

from api.body_limit import BodyTooLarge
from occurisk_assets.lib.settings import get_settings

COOKIE = "occurisk_csrf"
FIELD = "csrf_token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
NONCE_BYTES = 32
# The most one text field of a form may hold (a pasted résumé or ad is far below: at most 100,000 letters).
FIELD_MAX_BYTES = 1024 * 1024


class CsrfRejected(Exception):
    """The form came without our token: the page says to reload it and send again (403)."""


def secret_file() -> Path:
    return get_settings().home / "secrets" / "csrf.key"


@lru_cache
def site_secret() -> bytes:
    from_env = os.environ.get("OCCURISK_CSRF_SECRET")
    if from_env:
        return from_env.encode()
    path = secret_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip().encode()


def _signature(nonce: str) -> str:
    digest = hmac.new(site_secret(), nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_token() -> str:
    nonce = secrets.token_urlsafe(NONCE_BYTES)
    return f"{nonce}.{_signature(nonce)}"


def is_signed(token: str | None) -> bool:
    if not token or token.count(".") != 1:
        return False
    nonce, signature = token.split(".")
    return hmac.compare_digest(signature, _signature(nonce))


def token_for(request: Request, set_cookies: dict[str, str]) -> str:
    """The browser's token (from its cookie); a new one, to be set as the cookie, when it has none."""
    token = request.cookies.get(COOKIE)
    if not is_signed(token):
        token = set_cookies.get(COOKIE) or new_token()
        set_cookies[COOKIE] = token
    return token


async def require_token(request: Request) -> None:
    """Every page route depends on this (api/pages/app.py): unsafe methods need the form field to match."""
    if request.method not in UNSAFE_METHODS:
        return
    cookie = request.cookies.get(COOKIE)
    try:
        form = await request.form(max_part_size=FIELD_MAX_BYTES)
    except BodyTooLarge:  # over the route's body limit (api/body_limit.py): the size page, not this one
        raise
    except Exception as exc:
        # Starlette refuses a text field over max_part_size ("Field/Part exceeded maximum size of …") with
        # a 400 before any field is read: that is a size problem to name, not a missing token.
        if "exceeded maximum size" in str(getattr(exc, "detail", exc)):
            raise BodyTooLarge(FIELD_MAX_BYTES) from exc
        raise CsrfRejected() from exc  # an unreadable body is no token
    field = form.get(FIELD)
    if not isinstance(field, str) or not is_signed(cookie) or not hmac.compare_digest(field, cookie):
        raise CsrfRejected()
