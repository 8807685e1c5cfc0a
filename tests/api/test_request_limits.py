"""Request and decoder limits against a real `occurisk serve` process, its memory read from /proc: a long
recording at a tiny sample rate is refused from its header before decoding, a 30 MB JSON body is refused
without being read, an oversize paste or upload gets the size page (naming the limit in MB), never the CSRF
page; and a PDF with too many pages is refused before its text is extracted."""

from __future__ import annotations

import io
import socket
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pypdf import PdfWriter

from api.pages import csrf
from occurisk_assets.assistant import voice
from occurisk_assets.assistant.documents import MAX_PDF_PAGES, UploadProblem, text_of_upload
from tests.serving import Served, occurisk_serve

CSRF_SECRET = "request-limits-test-secret"
# What a refused request may add to the server's peak memory (the old code added 1.15 GB for the wav).
MAX_GROWTH_KB = 200 * 1024


def peak_rss_kb(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


@pytest.fixture(scope="module")
def server(pg_server) -> Iterator[Served]:
    with occurisk_serve(pg_server, env={"OCCURISK_CSRF_SECRET": CSRF_SECRET}) as served:
        yield served


@pytest.fixture
def csrf_token(monkeypatch) -> str:
    """A token signed with the server's secret (as its pages would hand out)."""
    monkeypatch.setenv("OCCURISK_CSRF_SECRET", CSRF_SECRET)
    csrf.site_secret.cache_clear()
    yield csrf.new_token()
    csrf.site_secret.cache_clear()


def long_wav(rate: int, seconds: int) -> bytes:
    """Silence at `rate` Hz, 8-bit mono: two hours at 1 kHz is 7.2 MB, under the 10 MB upload limit."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(rate)
        wav.writeframes(b"\x80" * (rate * seconds))
    return out.getvalue()


def test_a_long_recording_at_a_tiny_sample_rate_is_refused_before_decoding(server):
    recording = long_wav(1000, 2 * 3600)
    assert len(recording) < 10 * 1024 * 1024
    before = peak_rss_kb(server.process.pid)
    response = httpx.post(
        f"{server.url}/api/v1/transcribe", files={"audio": ("long.wav", recording, "audio/wav")}, timeout=120
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "audio: the recording is 7200 s long; the limit is 120 s"
    assert peak_rss_kb(server.process.pid) - before < MAX_GROWTH_KB


def send_raw(server: Served, head: str, body: bytes) -> str:
    """Send a request's head and (part of) its body, and read the answer without sending the rest."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as conn:
        conn.sendall(head.encode() + body)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith((b"}", b"</html>")):
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.decode()


def test_a_30_mb_json_body_is_refused_by_its_length_without_being_read(server):
    before = peak_rss_kb(server.process.pid)
    # Only the first 64 KB of the declared 30 MB is ever sent: the answer must not wait for the rest.
    answer = send_raw(
        server,
        "POST /api/v1/profiles HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {30 * 1024 * 1024}\r\n\r\n",
        b'{"jobs": [' + b" " * 65536,
    )
    assert answer.startswith("HTTP/1.1 413")
    assert "the request is larger than 4 MB, the limit of this address" in answer
    assert peak_rss_kb(server.process.pid) - before < MAX_GROWTH_KB


def test_a_streamed_json_body_is_refused_once_it_passes_the_limit(server):
    # Chunked, no length: 5 MB sent, no final chunk. The answer comes once 4 MB is passed.
    chunk = b" " * (1024 * 1024)
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5))
    answer = send_raw(
        server,
        "POST /api/v1/profiles HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n",
        body,
    )
    assert answer.startswith("HTTP/1.1 413")
    assert "larger than 4 MB" in answer


def test_an_oversize_upload_is_refused_naming_the_limit_in_mb(server):
    response = httpx.post(
        f"{server.url}/api/v1/resumes/parse",
        files={"file": ("cv.txt", b"a" * (30 * 1024 * 1024), "text/plain")},
        timeout=60,
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "the request is larger than 2 MB, the limit of this address"


@pytest.mark.parametrize(
    ("lang", "title", "limit"),
    [("en", "What you sent is too large", "at most 1 MB"), ("ko", "보낸 내용이 너무 큽니다", "최대 1 MB")],
)
def test_an_oversize_paste_with_a_valid_token_gets_the_size_page(server, csrf_token, lang, title, limit):
    cookies = {csrf.COOKIE: csrf_token, "lang": lang}
    pasted = "I answered customer calls. " * 120_000  # 3.2 MB: under the form's body limit, over a field's
    # The résumé form (multipart: it also takes a file and a recording) and the ad form (urlencoded).
    for path, kwargs in [
        ("/my-work/resume", {"files": {"csrf_token": (None, csrf_token), "text": (None, pasted)}}),
        ("/check-job-ad", {"data": {"csrf_token": csrf_token, "description": pasted}}),
    ]:
        response = httpx.post(f"{server.url}{path}", cookies=cookies, timeout=60, **kwargs)
        assert response.status_code == 413, path
        assert title in response.text and limit in response.text, path
        assert "could not be sent" not in response.text and "보낼 수 없었습니다" not in response.text


def test_an_upload_over_a_pages_body_limit_gets_the_size_page(server, csrf_token):
    response = httpx.post(
        f"{server.url}/my-work/resume",
        cookies={csrf.COOKIE: csrf_token},
        files={"csrf_token": (None, csrf_token), "file": ("cv.txt", b"a" * (30 * 1024 * 1024), "text/plain")},
        timeout=60,
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.text and "at most 12 MB" in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_a_pdf_with_too_many_pages_is_refused():
    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=200, height=200)
    pdf = io.BytesIO()
    writer.write(pdf)
    with pytest.raises(UploadProblem, match=f"{MAX_PDF_PAGES + 1} pages; the limit is {MAX_PDF_PAGES}"):
        text_of_upload("cv.pdf", pdf.getvalue())


def test_an_oversize_file_is_named_by_the_limit_not_its_byte_count():
    with pytest.raises(UploadProblem, match="^the file is larger than the limit of 2 MB$") as refused:
        text_of_upload("cv.txt", b"a" * (2 * 1024 * 1024 + 1))
    assert refused.value.status == 413


def test_a_recording_stating_no_length_is_cut_off_while_decoding(monkeypatch):
    """A container without a stated length (a browser's .webm often has none): the streaming decode refuses
    it the moment the decoded sound passes the limit, holding no more than that."""
    monkeypatch.setattr(voice, "declared_seconds", lambda container: None)
    with pytest.raises(
        voice.AudioProblem, match="^audio: the recording is longer than that; the limit is 2 s$"
    ):
        voice.decode_bounded(long_wav(8000, 10), max_seconds=2)
    assert len(voice.decode_bounded(long_wav(8000, 1), max_seconds=2)) == voice.SAMPLE_RATE
