"""Overload protection on a real `occurisk serve`: past the cap, an expensive request is refused at once with
503 and Retry-After (JSON for the API, a page in English or Korean), while /api/v1/health answers."""

from __future__ import annotations

import socket
import time

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.serving import occurisk_serve

WAIT_S = 60


def metric(base: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(httpx.get(f"{base}/metrics").text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def wait_for(base: str, value: float, name: str, **labels: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while metric(base, name, **labels) != value:
        assert time.monotonic() < deadline, f"{name}{labels} never reached {value}"
        time.sleep(0.2)


def test_a_transcription_past_the_cap_is_refused_and_health_answers(fresh_database):
    env = {"OCCURISK_HEAVY_JOBS_PER_KIND": "1", "OCCURISK_BUSY_RETRY_AFTER_S": "7"}
    with occurisk_serve(fresh_database, env=env) as served:
        base = served.url
        # A recording still being uploaded holds the one transcription slot: its body never finishes.
        slow = socket.create_connection(("127.0.0.1", served.port))
        slow.sendall(
            b"POST /api/v1/transcribe HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n"
        )
        try:
            wait_for(base, 1, "occurisk_heavy_jobs_in_flight", kind="transcribe")
            refused = httpx.post(f"{base}/api/v1/transcribe", files={"audio": ("a.wav", b"RIFF")})
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "7"
            assert "try again in 7 seconds" in refused.json()["detail"]
            page = httpx.post(f"{base}/my-work/abc/jobs/1/tasks", headers={"accept-language": "en"})
            assert page.status_code == 503 and page.headers["retry-after"] == "7"
            assert "Busy — try again" in page.text and "in 7 seconds" in page.text
            korean = httpx.post(f"{base}/my-work/abc/jobs/1/tasks", headers={"accept-language": "ko"})
            assert korean.status_code == 503 and "7초 뒤에" in korean.text
            assert httpx.get(f"{base}/api/v1/health").status_code == 200
        finally:
            slow.close()
        wait_for(base, 0, "occurisk_heavy_jobs_in_flight", kind="transcribe")
        # The slot is free again: the next recording is read (and this one is not audio: 4xx, not busy).
        answered = httpx.post(f"{base}/api/v1/transcribe", files={"audio": ("a.wav", b"RIFF")})
        assert 400 <= answered.status_code < 500
        assert metric(base, "occurisk_overload_rejections_total", kind="transcribe") == 3
