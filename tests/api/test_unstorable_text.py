"""A NUL character or an unpaired surrogate (\\ud800: valid JSON, but no Unicode text) in any text a request
carries: every parameter and body field of every operation of the OpenAPI schema, and every parameter and
form field of every page, sent on purpose (not left to a random draw). Never a 5xx; the API's 422 names the
parameter or field without echoing the value; a page says what to fix; nothing of the text reaches the log."""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.config import ApiSettings
from api.main import create_app
from api.pages import csrf
from api.pages.app import PAGE_MODULES
from tests.api.conftest import make_profile
from tests.built_platform import platform_database

OPENAPI = create_app().openapi()
OPERATIONS = sorted((path, method.upper()) for path, ops in OPENAPI["paths"].items() for method in ops)
# How each character travels in a URL: a surrogate as the bytes a lenient encoder would write for it.
URL_FORMS = {"\x00": "%00", "\ud800": "%ED%A0%80"}
BAD = list(URL_FORMS)
BAD_IDS = ["nul", "surrogate"]
# The value of each path parameter when another one is under test ({profile_id} is a real profile's).
PATH_VALUES = {
    "soc_code": "43-4051",
    "soc": "43-4051",
    "data_version": "30.1",
    "task_id": "8823",
    "posting_id": "1",
    "fmt": "txt",
    "index": "0",
}
# A valid body for each operation that takes JSON; each of its text leaves is spoiled in turn.
BODIES = {
    ("/api/v1/postings/code", "POST"): {
        "title": "Warehouse associate",
        "description": "Pick and pack orders. Load trucks at the dock.",
    },
    ("/api/v1/profiles", "POST"): {
        "jobs": [
            {
                "soc_code": "43-4051",
                "title": "Call centre agent",
                "employer": "Acme",
                "duties": ["Took calls"],
            }
        ]
    },
    ("/api/v1/profiles/{profile_id}", "PUT"): {
        "jobs": [
            {
                "soc_code": "43-4051",
                "title": "Call centre agent",
                "employer": "Acme",
                "duties": ["Took calls"],
            }
        ]
    },
    ("/api/v1/profiles/{profile_id}/resume", "POST"): {"text": "My own résumé, as I edited it."},
    ("/api/v1/profiles/{profile_id}/cover-letter", "POST"): {
        "posting": "We need someone patient to answer customer calls and fix billing problems."
    },
    ("/api/v1/profiles/{profile_id}/postings/{posting_id}/outcome", "PUT"): {"outcome": "applied"},
    ("/api/v1/profiles/{profile_id}/resume/review", "POST"): {
        "postings": ["We need someone patient to answer customer calls and fix billing problems."]
    },
    ("/api/v1/profiles/{profile_id}/resume/review/accept", "POST"): {"id": "0123456789ab"},
    ("/api/v1/resumes/parse", "POST"): {"text": "I was a customer service rep for 25 years."},
}


def url_parameters() -> list[tuple[str, str, str, str]]:
    return [
        (path, method, parameter["in"], parameter["name"])
        for path, method in OPERATIONS
        for parameter in OPENAPI["paths"][path][method.lower()].get("parameters", [])
    ]


def text_leaves(value, where=()):
    """(path, text) of every string in a JSON body."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from text_leaves(item, (*where, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from text_leaves(item, (*where, i))


def spoiled(body, where, bad: str):
    """`body` with the text at `where` given `bad` in its middle."""
    if not where:
        return body[: len(body) // 2] + bad + body[len(body) // 2 :]
    copy = list(body) if isinstance(body, list) else dict(body)
    copy[where[0]] = spoiled(body[where[0]], where[1:], bad)
    return copy


def body_fields() -> list[tuple[str, str, tuple, str]]:
    return [
        (path, method, where, text)
        for (path, method), body in BODIES.items()
        for where, text in text_leaves(body)
    ]


@pytest.fixture(scope="module")
def site(built_database, db_conn):
    """The app without raising its exceptions into the test: a 5xx is seen as the server would answer it.
    A long statement timeout: a 503 of a slow search on a busy test machine is not what is tested here."""
    with platform_database(built_database):
        app = create_app(built_database, ApiSettings(api_statement_timeout_ms=120_000))
        profile_id = make_profile(app, db_conn)  # before: its own client closes the app's pools at its end
        with TestClient(app, raise_server_exceptions=False) as client:
            client.profile_id = profile_id
            yield client


def server_log(caplog) -> str:
    """What the app logged (the test client's own log of its requests left out), tracebacks included."""
    formatter = logging.Formatter()
    return "\n".join(formatter.format(r) for r in caplog.records if not r.name.startswith("httpx"))


def url_of(template: str, profile_id: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: values.get(m[1]) or PATH_VALUES.get(m[1]) or profile_id, template)


def names_the_parameter(response, where: str, name: str) -> bool:
    return any(error["loc"] == [where, name] for error in response.json()["detail"])


def test_every_operation_with_a_json_body_has_a_body_here():
    takes_json = {
        (path, method)
        for path, method in OPERATIONS
        if "application/json"
        in OPENAPI["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
    }
    assert takes_json == set(BODIES)


@pytest.mark.parametrize("bad", BAD, ids=BAD_IDS)
@pytest.mark.parametrize(("path", "method", "where", "name"), url_parameters())
def test_every_parameter_of_every_operation_refuses_it(site, caplog, path, method, where, name, bad):
    caplog.set_level(logging.DEBUG)
    value = "abc" + URL_FORMS[bad] + "def"
    url = url_of(path, site.profile_id, {name: value} if where == "path" else {})
    params = f"?{name}={value}" if where == "query" else ""
    body = BODIES.get((path, method))
    response = site.request(method, url + params, json=body)
    assert response.status_code < 500, response.text
    if bad == "\x00":  # a surrogate's bytes arrive as U+FFFD, a character like any other
        assert response.status_code == 422 and names_the_parameter(response, where, name), response.text
        assert "abc" not in response.text and "abc" not in server_log(caplog)


@pytest.mark.parametrize("bad", BAD, ids=BAD_IDS)
@pytest.mark.parametrize(("path", "method", "where", "text"), body_fields())
def test_every_text_field_of_every_body_refuses_it(site, caplog, path, method, where, text, bad):
    caplog.set_level(logging.DEBUG)
    body = spoiled(BODIES[(path, method)], where, bad)
    response = site.request(
        method,
        url_of(path, site.profile_id, {}),
        content=json.dumps(body),  # \ud800 as JSON writes it: an escape
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    if isinstance(detail, str):  # /resumes/parse reads its body by hand
        assert detail.startswith(f"{where[-1]}:")
    else:
        assert [error["loc"] for error in detail] == [["body", *where]]
        assert all(set(error) == {"type", "loc", "msg"} for error in detail)
    sent = spoiled(text, (), bad)
    assert json.dumps(sent)[1:-1] not in response.text and sent not in server_log(caplog)


def test_the_422_never_echoes_the_input(site):
    """Any invalid field, not only text: FastAPI's own answer would quote each error's `input`."""
    response = site.post("/api/v1/profiles", json={"jobs": [{"soc_code": "private-note", "title": "Mine"}]})
    assert response.status_code == 422
    assert "private-note" not in response.text and "Mine" not in response.text


def test_an_uploaded_resumes_text_field_refuses_a_nul(site):
    response = site.post("/api/v1/resumes/parse", files={"text": (None, "Nurse\x00 for 10 years")})
    assert response.status_code == 422 and response.json()["detail"].startswith("text contains a NUL")
    assert "Nurse" not in response.text


def test_an_uncaught_exception_is_logged_without_its_message(caplog):
    """Its message may quote what was sent (a database error quotes the row): the server never sees the
    exception, and the log has its type and traceback only."""
    app = create_app("postgresql://nobody@127.0.0.1:9/none?connect_timeout=1")

    duty = " ".join(["Cared", "for", "my", "mother"])  # not in the traceback's source lines

    @app.get("/api/v1/fails")
    async def fails():
        raise RuntimeError(f"the duty {duty!r} could not be stored")

    with TestClient(app) as client:  # raises what the app lets out, as uvicorn would log it
        response = client.get("/api/v1/fails")
    assert response.status_code == 500
    assert "uncaught RuntimeError in GET /api/v1/fails" in caplog.text
    assert duty not in caplog.text and duty not in response.text


def page_routes() -> list[tuple[str, str]]:
    return sorted(
        (route.path, method)
        for module in PAGE_MODULES
        for route in module.router.routes
        for method in route.methods
    )


# What pages read from the request by hand, besides the parameters they declare.
READ_BY_HAND = {
    "/compare": ["soc"],
    "/explore": ["major_group", "job_zone", "sort", "order"],
    "/explore.csv": ["major_group", "job_zone", "sort", "order"],
    "/check-job-ad": ["title", "description"],
    "/my-work/{profile_id}/jobs/{index}/tasks": ["duties", "task", "action"],
    "/my-work/resume": ["text", "action"],
    "/my-work/{profile_id}/resume": ["text", "action"],
    "/my-work/resume/confirm": ["title-0", "employer-0", "duties-0", "soc-0", "jobs"],
    "/my-work/{profile_id}/resume/confirm": ["title-0", "employer-0", "duties-0", "soc-0", "jobs"],
    "/my-work/{profile_id}/resume/draft": ["done"],
}


def fields_of(dependant, kind: str):
    yield from (field.alias for field in getattr(dependant, kind))
    for sub in dependant.dependencies:
        yield from fields_of(sub, kind)


def page_parameters() -> list[tuple[str, str, str, str]]:
    found = set()
    for module in PAGE_MODULES:
        for route in module.router.routes:
            for method in route.methods:
                declared = fields_of(route.dependant, "body_params" if method == "POST" else "query_params")
                where = "body" if method == "POST" else "query"
                by_hand = READ_BY_HAND.get(route.path, []) + (
                    [] if method == "POST" else ["lang", "contrast"]
                )
                found |= {(route.path, method, where, name) for name in {*declared, *by_hand}}
                found |= {(route.path, method, "path", name) for name in re.findall(r"{(\w+)}", route.path)}
    return sorted(found)


def test_every_page_parameter_is_listed():
    assert {(path, method) for path, method, _, _ in page_parameters()} >= {
        (path, method) for path, method in page_routes() if "{" in path or method == "POST"
    }


@pytest.mark.parametrize(("path", "method", "where", "name"), page_parameters())
def test_every_page_parameter_and_form_field_refuses_a_nul(site, path, method, where, name):
    token = csrf.new_token()
    site.cookies.set(csrf.COOKIE, token)
    value = "abc\x00def"
    url = url_of(path, site.profile_id, {name: quote(value)} if where == "path" else {})
    if where == "query":
        url += f"?{name}={quote(value)}"
    form = {"csrf_token": token} | ({name: value} if where == "body" else {})
    response = site.request(method, url, data=form if method == "POST" else None, follow_redirects=False)
    assert response.status_code == 400, response.text
    assert f"The {name} holds a character that is not text" in response.text
    assert value not in response.text  # (the page's own links keep the address as it was, %00 and all)
