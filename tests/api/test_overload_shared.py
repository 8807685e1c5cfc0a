"""Overload limits shared by two replicas through a real Redis (Debian's redis-server): the cap on expensive
requests in flight and each client's rate limit hold across both; a slot is freed when its request ends,
and expires when its replica crashes; with Redis unreachable each replica falls back to its own limits."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import redis

from tests.api.test_overload import metric, wait_for
from tests.serving import free_port, log_records, occurisk_serve

WAIT_S = 60
LEASE_S = 6
PER_MINUTE = 5  # the cap test sends 4 transcriptions that are not refused as busy


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """redis-server on a free port in a temporary folder, nothing persisted."""
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
        + ["--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, "redis-server did not start"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def limits_env(redis_url: str) -> dict[str, str]:
    return {
        "OCCURISK_REDIS_URL": redis_url,
        "OCCURISK_HEAVY_JOBS_PER_KIND": "1",
        "OCCURISK_HEAVY_REQUESTS_PER_CLIENT_PER_MINUTE": str(PER_MINUTE),
        "OCCURISK_HEAVY_LEASE_S": str(LEASE_S),
        "OCCURISK_BUSY_RETRY_AFTER_S": "7",
    }


@pytest.fixture(scope="module")
def replicas(module_database, redis_url):
    """Two `occurisk serve` processes sharing one Redis (the last test crashes the first)."""
    with (
        occurisk_serve(module_database, env=limits_env(redis_url)) as a,
        occurisk_serve(module_database, env=limits_env(redis_url)) as b,
    ):
        yield a, b


@contextmanager
def uploading(port: int) -> Iterator[socket.socket]:
    """A recording still being uploaded: it holds a transcription slot until the connection closes."""
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(
        b"POST /api/v1/transcribe HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n"
    )
    try:
        yield slow
    finally:
        slow.close()


def transcribe(base: str) -> httpx.Response:
    return httpx.post(f"{base}/api/v1/transcribe", files={"audio": ("a.wav", b"RIFF")}, timeout=30)


def test_a_clients_rate_limit_holds_across_replicas(replicas, redis_url):
    a, b = replicas
    profile_id = uuid.uuid4().hex
    letter = f"/api/v1/profiles/{profile_id}/cover-letter"
    # PER_MINUTE letters a minute for this client and profile, wherever they are sent.
    for base in [a.url, b.url] * (PER_MINUTE // 2) + [a.url] * (PER_MINUTE % 2):
        assert httpx.post(base + letter, json={}).status_code not in (429, 503)
    refused = httpx.post(b.url + letter, json={})
    assert refused.status_code == 429
    seconds = int(refused.headers["retry-after"])
    assert 1 <= seconds <= 60 / PER_MINUTE + 1
    assert refused.json()["detail"].startswith("rate limited: too many letter requests from this client")
    assert f"try again in {seconds} seconds" in refused.json()["detail"]
    # The pages' letters count for the same client and profile; the page says when to come back.
    page = httpx.post(f"{a.url}/profile/{profile_id}/cover-letter", headers={"accept-language": "en"})
    assert page.status_code == 429 and "Too many in a short while" in page.text
    assert f"in {page.headers['retry-after']} seconds" in page.text
    korean = httpx.post(f"{b.url}/profile/{profile_id}/cover-letter", headers={"accept-language": "ko"})
    assert korean.status_code == 429 and f"{korean.headers['retry-after']}초 뒤에" in korean.text
    # Another profile from the same address has its own bucket; no profile id is kept in Redis.
    other = f"/api/v1/profiles/{uuid.uuid4().hex}/cover-letter"
    assert httpx.post(a.url + other, json={}).status_code not in (429, 503)
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("*")]
    assert keys and not any(profile_id in key for key in keys)
    assert metric(a.url, "occurisk_rate_limited_total", kind="letter") >= 1
    assert metric(b.url, "occurisk_rate_limited_total", kind="letter") >= 1


def test_the_cap_holds_across_replicas_and_a_crashed_replicas_slot_expires(replicas):
    a, b = replicas
    with uploading(a.port):
        wait_for(a.url, 1, "occurisk_heavy_jobs_in_flight", kind="transcribe")
        busy = transcribe(b.url)
        assert busy.status_code == 503 and busy.headers["retry-after"] == "7"
        assert busy.json()["detail"].startswith("busy: too many transcribe requests")
        page = httpx.post(f"{b.url}/my-work/abc/jobs/1/tasks", headers={"accept-language": "ko"})
        assert page.status_code == 503 and "7초 뒤에" in page.text
        # Held past its lease, the slot is renewed by its replica: still busy.
        time.sleep(LEASE_S * 1.5)
        assert transcribe(b.url).status_code == 503
    wait_for(a.url, 0, "occurisk_heavy_jobs_in_flight", kind="transcribe")
    # Released when its request ended: the next recording is read (not audio: 4xx, not busy).
    assert 400 <= transcribe(b.url).status_code < 500
    # Its slot is freed just after its answer is sent: the next upload must not arrive before that.
    wait_for(b.url, 0, "occurisk_heavy_jobs_in_flight", kind="transcribe")
    # A replica killed mid-request never releases its slot: it expires after the lease.
    with uploading(a.port):
        wait_for(a.url, 1, "occurisk_heavy_jobs_in_flight", kind="transcribe")
        a.process.send_signal(signal.SIGKILL)
        a.process.wait(timeout=30)
        assert transcribe(b.url).status_code == 503
        deadline = time.monotonic() + WAIT_S
        while (answered := transcribe(b.url)).status_code == 503:
            assert time.monotonic() < deadline, "the crashed replica's slot never expired"
            time.sleep(0.5)
        assert 400 <= answered.status_code < 500


def test_with_redis_unreachable_each_replica_keeps_its_own_limits(module_database, tmp_path):
    log = tmp_path / "serve.log"
    password = "hunter2-" + uuid.uuid4().hex
    env = limits_env(f"redis://:{password}@127.0.0.1:{free_port()}/0")  # nothing listens there
    with occurisk_serve(module_database, env=env, log=log) as served:
        with uploading(served.port):
            wait_for(served.url, 1, "occurisk_heavy_jobs_in_flight", kind="transcribe")
            assert transcribe(served.url).status_code == 503
        wait_for(served.url, 0, "occurisk_heavy_jobs_in_flight", kind="transcribe")
        assert 400 <= transcribe(served.url).status_code < 500
        assert metric(served.url, "occurisk_overload_store_fallbacks_total") == 3
    warnings = [r for r in log_records(log) if "Redis unreachable" in r.get("message", "")]
    assert len(warnings) == 1 and warnings[0]["level"].lower() == "warning"
    assert password not in log.read_text()
