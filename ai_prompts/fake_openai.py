"""A local OpenAI-compatible server for tests and offline demos (never production).

Serves POST /v1/chat/completions (JSON, and SSE when "stream": true), POST /v1/responses and GET /v1/models.
Answers come from a script (`server.script(...)`: each entry is a dict answer, a string, an HTTP status such as 429,
or ("slow", seconds, answer)); with no script it answers deterministically from the request's JSON schema (named
after the prompt key), so every feature works in a demo. Every request body is recorded in `server.requests`.

    python -m ai_prompts.fake_openai 8765   # then OPENAI_BASE_URL=http://127.0.0.1:8765/v1 OPENAI_API_KEY=fake
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def sample_for_schema(schema: dict, name: str = "value"):
    """A deterministic instance of a JSON schema (enough of it for the features' schemas)."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "string")
    if isinstance(kind, list):  # ["integer", "null"]: an optional reference, left empty
        if "null" in kind:
            return None
        kind = kind[0]
    if kind == "object":
        return {key: sample_for_schema(sub, key) for key, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample_for_schema(schema.get("items", {}), name) for _ in range(max(1, schema.get("minItems", 1)))]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return f"Example {name.replace('_', ' ')}"


class FakeOpenAI:
    def __init__(self, port: int = 0):
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self._script: deque = deque()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, *answers) -> None:
        with self._lock:
            self._script.extend(answers)

    def _next(self):
        with self._lock:
            return self._script.popleft() if self._script else None

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, status: int, body: dict, headers: dict | None = None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model", "created": 0,
                                                                 "owned_by": "fake"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(body)
                fake.headers.append({name.lower(): value for name, value in self.headers.items()})
                answer = fake._next()
                if isinstance(answer, tuple) and answer[0] == "slow":
                    time.sleep(answer[1])
                    answer = answer[2]
                if isinstance(answer, int):
                    self._json(answer, {"error": {"message": f"scripted {answer}", "type": "fake"}},
                               {"retry-after-ms": "10"})
                    return
                if answer is None:
                    schema = ((body.get("response_format") or {}).get("json_schema") or {})
                    answer = sample_for_schema(schema["schema"]) if schema.get("schema") else "Example answer."
                content = answer if isinstance(answer, str) else json.dumps(answer)
                if self.path.endswith("/responses"):
                    self._json(200, {"id": "resp_fake", "object": "response", "created_at": int(time.time()),
                                     "model": body.get("model", "fake-model"), "status": "completed",
                                     "output": [{"type": "message", "id": "msg_fake", "role": "assistant", "status": "completed",
                                                 "content": [{"type": "output_text", "text": content, "annotations": []}]}],
                                     "usage": {"input_tokens": 100, "output_tokens": 50, "total_tokens": 150}})
                    return
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                             "model": body.get("model"), "choices": [{"index": 0, "delta": {"role": "assistant", "content": content},
                                                                      "finish_reason": "stop"}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode())
                    return
                prompt_tokens = sum(len(str(message.get("content", "")).split()) for message in body.get("messages", []))
                self._json(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "fake-model"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(content.split()),
                              "total_tokens": prompt_tokens + len(content.split())},
                })

        return Handler


if __name__ == "__main__":
    server = FakeOpenAI(port=int(sys.argv[1]) if len(sys.argv) > 1 else 8765).start()
    print(f"fake OpenAI-compatible server on {server.url}", flush=True)
    try:
        server.thread.join()
    except KeyboardInterrupt:
        server.stop()
