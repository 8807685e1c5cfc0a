"""`occurisk serve` logs JSON lines; every record of a request carries the request id its answer says in
`X-Request-ID`, and no line holds a profile id or what a person typed."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import httpx

from api.request_log import request_id_from
from tests.serving import free_port, log_records, occurisk_serve


def test_a_safe_request_id_is_kept_anything_else_replaced():
    assert request_id_from(b"trace-42.a_b") == "trace-42.a_b"
    for unsafe in (None, b"", b"has space", b"x" * 65, b"-leading-dash", b"caf\xe9", b'{"json":1}'):
        made = request_id_from(unsafe)
        assert len(made) == 32 and int(made, 16) >= 0, unsafe


def test_every_log_line_is_json_with_the_answers_request_id_and_nothing_personal(fresh_database, tmp_path):
    profile_id = uuid.uuid4().hex
    typed = "nurse who hates night shifts"
    log = tmp_path / "serve.log"
    # The database's URL with nothing listening at its port: each request that reads it logs a warning while
    # it is answered (soon: a pooled connection is waited for one second).
    database = urlsplit(fresh_database)
    unreachable = database._replace(netloc=f"{database.netloc.rsplit(':', 1)[0]}:{free_port()}").geturl()
    env = {"OCCURISK_API_POOL_TIMEOUT_S": "1"}
    with occurisk_serve(unreachable, "--workers", "2", env=env, log=log) as served:
        sent = httpx.get(
            f"{served.url}/api/v1/profiles/{profile_id}?q={typed}", headers={"X-Request-ID": "trace-42"}
        )
        assert sent.headers["x-request-id"] == "trace-42"
        answers = {
            path: httpx.get(served.url + path, headers={"X-Request-ID": "not a token"})
            for path in (
                f"/api/v1/profiles/{profile_id}/exposure",
                f"/my-work/{profile_id}/exposure?lang=ko",
                f"/my-work/{profile_id}",
                f"/my-work/{profile_id}/no-such-page",
                f"/api/v1/occupations?q={typed}",
            )
        }
    records = log_records(log)
    text = log.read_text()
    assert profile_id not in text and typed not in text and typed.replace(" ", "%20") not in text
    assert "not a token" not in text
    requests = {r["request_id"]: r for r in records if r["logger"] == "api.requests"}
    first = requests["trace-42"]
    assert (first["method"], first["route"], first["status"]) == (
        "GET",
        "/api/v1/profiles/{profile_id}",
        sent.status_code,
    )
    assert first["duration_ms"] >= 0
    expected = {
        f"/api/v1/profiles/{profile_id}/exposure": "/api/v1/profiles/{profile_id}/exposure",
        f"/my-work/{profile_id}/exposure?lang=ko": "/my-work/{profile_id}/exposure",
        f"/my-work/{profile_id}": "/my-work/{profile_id}",
        f"/my-work/{profile_id}/no-such-page": "(no route)",
        f"/api/v1/occupations?q={typed}": "/api/v1/occupations",
    }
    for path, answer in answers.items():
        request_id = answer.headers["x-request-id"]
        assert request_id != "not a token" and request_id in requests, path
        line = requests[request_id]
        assert (line["route"], line["status"]) == (expected[path], answer.status_code), path
    # Records logged while answering ("database unavailable for <route>") carry their request's id.
    unavailable = [r for r in records if r["message"].startswith("database unavailable for")]
    assert {r["request_id"] for r in unavailable} >= {
        requests[answers[f"/api/v1/occupations?q={typed}"].headers["x-request-id"]]["request_id"],
        "trace-42",
    }, records
