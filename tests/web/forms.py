"""Sending a page's form from a TestClient as a browser does: with the form's CSRF token (web/csrf.py)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post_form(client: TestClient, form_page: str, action: str, data: dict, **kwargs):
    """GET the page that shows the form (it sets the token cookie), then POST `data` with its token."""
    token = form_token(client.get(form_page).text)
    return client.post(action, data={**data, "csrf_token": token}, **kwargs)
