"""A local stand-in for the OpenAI and Anthropic HTTP APIs (chat completions, messages, files, batches).

The tests and the benchmark point the official SDKs at it, so the SDKs' real request and response code
runs; only the network peer is fake. Replies are scripted per API (429, 5xx, slow, invalid JSON, refusal,
out of range) and default to a valid score derived from the prompt, so each task gets a stable score.
Every request is recorded, which is how the tests count paid calls.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

Api = Literal["openai", "anthropic"]
ReplyKind = Literal["ok", "status", "invalid_json", "refusal", "slow"]


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind = "ok"
    score: float | None = None  # None: the default score of the prompt
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay_s: float = 0.0
    text: str | None = None  # the reply's whole content, verbatim (for prompts other than scoring)

    @classmethod
    def content(cls, text: str) -> Reply:
        return cls("ok", text=text)

    @classmethod
    def ok(cls, score: float | None = None) -> Reply:
        return cls("ok", score=score)

    @classmethod
    def out_of_range(cls, score: float = 1.7) -> Reply:
        return cls("ok", score=score)

    @classmethod
    def rate_limited(cls, retry_after_s: float) -> Reply:
        return cls("status", status=429, headers={"retry-after": str(retry_after_s)})

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        return cls("status", status=status)

    @classmethod
    def error(cls, status: int) -> Reply:
        return cls("status", status=status)

    @classmethod
    def slow(cls, delay_s: float) -> Reply:
        return cls("slow", delay_s=delay_s)

    @classmethod
    def invalid_json(cls) -> Reply:
        return cls("invalid_json")

    @classmethod
    def refusal(cls) -> Reply:
        return cls("refusal")


@dataclass(frozen=True)
class RecordedRequest:
    api: Api
    method: str
    path: str
    headers: dict
    body: bytes


def default_score(api: str, user_text: str) -> float:
    """A stable score per (API, prompt): the two fake models rate differently, but always the same way."""
    return int(hashlib.sha256(f"{api}\n{user_text}".encode()).hexdigest()[:8], 16) % 101 / 100


class FakeLLMServer:
    """Serves on 127.0.0.1 in a daemon thread; use as a context manager."""

    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        input_tokens: int = 200,
        output_tokens: int = 30,
        batch_polls_before_done: int = 1,
    ):
        self.latency_s = latency_s
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.batch_polls_before_done = batch_polls_before_done
        self.requests: list[RecordedRequest] = []
        self._scripts: dict[str, deque[Reply]] = {"openai": deque(), "anthropic": deque()}
        self._files: dict[str, bytes] = {}
        self._batches: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._ids = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-llm-server",
            daemon=True,
        )

    # -- lifecycle -------------------------------------------------------------------------------------
    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def openai_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- scripting and counting ------------------------------------------------------------------------
    def enqueue(self, api: Api, *replies: Reply) -> None:
        with self._lock:
            self._scripts[api].extend(replies)

    def count(self, api: Api, path: str | None = None) -> int:
        """Requests received for `api` (optionally on one path), including failed ones."""
        with self._lock:
            return sum(1 for r in self.requests if r.api == api and (path is None or r.path == path))

    def completions(self, api: Api) -> int:
        """Online scoring calls received (chat completions / messages)."""
        return self.count(api, "/v1/chat/completions" if api == "openai" else "/v1/messages")

    def batch_requests(self, api: Api) -> int:
        """Scoring requests received inside submitted batches."""
        with self._lock:
            return sum(len(b["lines"]) for b in self._batches.values() if b["api"] == api)

    def _next_reply(self, api: Api) -> Reply:
        with self._lock:
            return self._scripts[api].popleft() if self._scripts[api] else Reply.ok()

    def _new_id(self, prefix: str) -> str:
        with self._lock:
            self._ids += 1
            return f"{prefix}{self._ids}"

    # -- reply bodies ----------------------------------------------------------------------------------
    def _content(self, api: Api, reply: Reply, user_text: str) -> str:
        if reply.kind == "invalid_json":
            return "I would say the score is about one half."
        if reply.text is not None:
            return reply.text
        score = reply.score if reply.score is not None else default_score(api, user_text)
        return json.dumps({"score": score, "rationale": f"fake {api} rationale"})

    def openai_completion(self, body: dict, reply: Reply) -> dict:
        user_text = body["messages"][-1]["content"]
        refused = reply.kind == "refusal"
        return {
            "id": self._new_id("chatcmpl-"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "logprobs": None,
                    "message": {
                        "role": "assistant",
                        "content": None if refused else self._content("openai", reply, user_text),
                        "refusal": "I can't help with that." if refused else None,
                    },
                }
            ],
            "usage": {
                "prompt_tokens": self.input_tokens,
                "completion_tokens": self.output_tokens,
                "total_tokens": self.input_tokens + self.output_tokens,
            },
        }

    def anthropic_message(self, body: dict, reply: Reply) -> dict:
        user_text = body["messages"][-1]["content"]
        refused = reply.kind == "refusal"
        return {
            "id": self._new_id("msg_"),
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": []
            if refused
            else [{"type": "text", "text": self._content("anthropic", reply, user_text)}],
            "stop_reason": "refusal" if refused else "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens},
        }

    @staticmethod
    def error_body(api: Api, status: int) -> dict:
        message = f"fake HTTP {status}"
        if api == "openai":
            return {"error": {"message": message, "type": "fake_error", "code": str(status)}}
        return {"type": "error", "error": {"type": "api_error", "message": message}}

    # -- batches ---------------------------------------------------------------------------------------
    def _finish_openai_batch(self, batch: dict) -> None:
        output, errors = [], []
        for line in batch["lines"]:
            reply = self._next_reply("openai")
            if reply.kind == "status":
                errors.append(
                    {
                        "id": self._new_id("req_"),
                        "custom_id": line["custom_id"],
                        "response": {
                            "status_code": reply.status,
                            "body": self.error_body("openai", reply.status),
                        },
                        "error": None,
                    }
                )
            else:
                output.append(
                    {
                        "id": self._new_id("req_"),
                        "custom_id": line["custom_id"],
                        "error": None,
                        "response": {
                            "status_code": 200,
                            "request_id": "fake",
                            "body": self.openai_completion(line["body"], reply),
                        },
                    }
                )
        batch["status"] = "completed"
        batch["output_file_id"] = self._store_file(output)
        batch["error_file_id"] = self._store_file(errors) if errors else None
        batch["request_counts"] = {
            "total": len(batch["lines"]),
            "completed": len(output),
            "failed": len(errors),
        }

    def _finish_anthropic_batch(self, batch: dict) -> None:
        results = []
        for request in batch["lines"]:
            reply = self._next_reply("anthropic")
            if reply.kind == "status":
                result = {"type": "errored", "error": self.error_body("anthropic", reply.status)}
            else:
                result = {"type": "succeeded", "message": self.anthropic_message(request["params"], reply)}
            results.append({"custom_id": request["custom_id"], "result": result})
        batch["processing_status"] = "ended"
        batch["ended_at"] = _iso(datetime.now(UTC))
        batch["results"] = results
        batch["results_url"] = f"{self.anthropic_base_url}/v1/messages/batches/{batch['id']}/results"
        succeeded = sum(r["result"]["type"] == "succeeded" for r in results)
        batch["request_counts"] = {
            "processing": 0,
            "succeeded": succeeded,
            "errored": len(results) - succeeded,
            "canceled": 0,
            "expired": 0,
        }

    def _store_file(self, lines: list[dict]) -> str:
        file_id = self._new_id("file-")
        self._files[file_id] = "".join(json.dumps(line) + "\n" for line in lines).encode()
        return file_id

    def handle(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, dict, bytes | dict]:
        """Route one request; returns (status, headers, JSON body or raw bytes)."""
        api: Api = "anthropic" if path.startswith("/v1/messages") else "openai"
        with self._lock:
            self.requests.append(RecordedRequest(api, method, path, headers, body))
        if method == "POST" and path in ("/v1/chat/completions", "/v1/messages"):
            reply = self._next_reply(api)
            time.sleep(self.latency_s + reply.delay_s)
            if reply.kind == "status":
                return reply.status, reply.headers, self.error_body(api, reply.status)
            data = json.loads(body)
            return (
                200,
                {},
                self.openai_completion(data, reply)
                if api == "openai"
                else self.anthropic_message(data, reply),
            )
        if method == "POST" and path == "/v1/files":
            return 200, {}, self._upload(headers, body)
        if method == "POST" and path == "/v1/batches":
            data = json.loads(body)
            lines = [
                json.loads(line) for line in self._files[data["input_file_id"]].splitlines() if line.strip()
            ]
            batch = {
                "id": self._new_id("batch_"),
                "object": "batch",
                "endpoint": data["endpoint"],
                "input_file_id": data["input_file_id"],
                "completion_window": data["completion_window"],
                "status": "validating",
                "created_at": int(time.time()),
                "output_file_id": None,
                "error_file_id": None,
                "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
                "api": "openai",
                "lines": lines,
                "polls": 0,
            }
            self._batches[batch["id"]] = batch
            return 200, {}, _public(batch)
        if method == "POST" and path == "/v1/messages/batches":
            data = json.loads(body)
            now = datetime.now(UTC)
            batch = {
                "id": self._new_id("msgbatch_"),
                "type": "message_batch",
                "processing_status": "in_progress",
                "request_counts": {
                    "processing": len(data["requests"]),
                    "succeeded": 0,
                    "errored": 0,
                    "canceled": 0,
                    "expired": 0,
                },
                "created_at": _iso(now),
                "expires_at": _iso(now + timedelta(days=1)),
                "ended_at": None,
                "archived_at": None,
                "cancel_initiated_at": None,
                "results_url": None,
                "api": "anthropic",
                "lines": data["requests"],
                "polls": 0,
            }
            self._batches[batch["id"]] = batch
            return 200, {}, _public(batch)
        if method == "GET" and (match := re.fullmatch(r"/v1/files/([^/]+)/content", path)):
            return 200, {"content-type": "application/octet-stream"}, self._files[match.group(1)]
        if method == "GET" and (match := re.fullmatch(r"/v1/messages/batches/([^/]+)/results", path)):
            results = self._batches[match.group(1)]["results"]
            return (
                200,
                {"content-type": "application/binary"},
                "".join(json.dumps(r) + "\n" for r in results).encode(),
            )
        if method == "GET" and (match := re.fullmatch(r"/v1/(?:messages/)?batches/([^/]+)", path)):
            batch = self._batches[match.group(1)]
            batch["polls"] += 1
            if batch["polls"] > self.batch_polls_before_done and batch.get(
                "status", batch.get("processing_status")
            ) not in ("completed", "ended"):
                (self._finish_openai_batch if batch["api"] == "openai" else self._finish_anthropic_batch)(
                    batch
                )
            elif batch["api"] == "openai" and batch["status"] == "validating":
                batch["status"] = "in_progress"
            return 200, {}, _public(batch)
        return 404, {}, self.error_body(api, 404)

    def _upload(self, headers: dict, body: bytes) -> dict:
        message = BytesParser(policy=default_policy).parsebytes(
            f"Content-Type: {headers['content-type']}\r\n\r\n".encode() + body
        )
        content = next(
            part.get_payload(decode=True)
            for part in message.iter_parts()
            if part.get_param("name", header="content-disposition") == "file"
        )
        file_id = self._new_id("file-")
        self._files[file_id] = content
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(content),
            "created_at": int(time.time()),
            "filename": "batch.jsonl",
            "purpose": "batch",
            "status": "processed",
        }


def _public(batch: dict) -> dict:
    return {k: v for k, v in batch.items() if k not in ("api", "lines", "polls", "results")}


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _handler_for(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra_headers, payload = server.handle(method, self.path.split("?")[0], headers, body)
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            extra_headers = dict(extra_headers)
            try:
                self.send_response(status)
                self.send_header("content-type", extra_headers.pop("content-type", "application/json"))
                for name, value in extra_headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left: that is the point of a slow reply

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def log_message(self, format: str, *args) -> None:
            pass

    return Handler
