"""Sending a page's form from a TestClient as a browser does: with the form's CSRF token (api/pages/csrf.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post_form(client: TestClient, form_page: str, action: str, data: dict, **kwargs):
    """GET the page that shows the form (it sets the token cookie), then POST `data` with its token."""
    token = form_token(client.get(form_page).text)
    return client.post(action, data={**data, "csrf_token": token}, **kwargs)


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, list[str]]:
    """What a browser would send for the page's form as it stands: hidden and typed values, the ticked
    boxes and the chosen radio buttons (name → values, in page order)."""
    parser = _FormFields()
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields
