"""The local API against hostile callers: a real uvicorn on 127.0.0.1, plain httpx and sockets.

Every refused request is checked twice: its status (and its one-sentence error in the
caller's dialect: OpenAI's under /v1, Ollama's under /api) and that nothing ran behind the
refusal: the probe endpoints the tests add were not entered, no decision was recorded and
no model was loaded. The concurrency case holds requests in a slow endpoint; every wait in
this file is bounded in count and time.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import Request

from aurora_desktop.app.wiring import Core, build_core
from aurora_desktop.core.api_keys import ApiKeyStore
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.settings import Settings
from aurora_desktop.server.auth import ApiClient, require_scope
from aurora_desktop.server.errors import api_error, dialect
from aurora_desktop.server.guards import allowed_hosts, host_name
from aurora_desktop.server.options import ApiOptions
from aurora_desktop.server.runner import ApiServer
from tests.support.llama_server import free_port

pytestmark = pytest.mark.integration

ALLOWED_ORIGIN = "http://localhost:5173"
PER_KEY = 2
TOTAL = 3
WAIT_S = 10.0  # the longest any wait here may take


@dataclass
class Api:
    """A running server, its core, a key for each case, and what its probe endpoints saw."""

    core: Core
    server: ApiServer
    url: str
    tokens: dict[str, str]
    key_ids: dict[str, str]
    probed: list[tuple[str, ApiClient, Any]] = field(default_factory=list)
    entered: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    release: threading.Event = field(default_factory=threading.Event)

    def headers(self, key: str | None = "full", **extra: str) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {self.tokens[key]}"} if key else {}
        return {**auth, **extra}

    def nothing_ran(self) -> None:
        assert self.probed == []
        assert list(self.core.decisions.entries()) == []
        assert [s.name for s in self.core.scheduler.snapshot() if s.state == "loaded"] == []


def _add_probes(server: ApiServer, api: Api) -> None:
    """POST /v1/probe and /api/probe (scope chat) record their calls; POST /v1/slow waits."""
    app = server.prepare()

    def probe(request: Request) -> dict[str, Any]:
        client = require_scope(request, "chat")
        api.probed.append((request.url.path, client, request.state.body_json))
        return {"ok": True}

    def slow(request: Request) -> dict[str, Any]:
        client = require_scope(request, "chat")
        api.probed.append((request.url.path, client, None))
        api.entered.release()
        api.release.wait(WAIT_S)
        return {"ok": True}

    app.add_api_route("/v1/probe", probe, methods=["POST"])
    app.add_api_route("/api/probe", probe, methods=["POST"])
    app.add_api_route("/v1/slow", slow, methods=["POST"])


@contextlib.contextmanager
def running_api(**options: Any) -> Iterator[Api]:
    core = build_core()
    keys = core.api_keys
    made = {
        "full": keys.create("full app", ["chat", "embeddings", "models", "admin"]),
        "other": keys.create("other app", ["chat", "models"]),
        "chat": keys.create("chat only", ["chat"]),
        "models": keys.create("models only", ["models"]),
        "revoked": keys.create("revoked app", ["chat", "models"]),
    }
    keys.revoke(made["revoked"][0].key_id)
    settings = {
        "port": free_port(),
        "origins": (ALLOWED_ORIGIN,),
        "max_concurrent": TOTAL,
        "max_concurrent_per_key": PER_KEY,
        "body_timeout_s": 1.0,
        **options,
    }
    server = ApiServer(core, keys, ApiOptions(**settings))
    api = Api(
        core=core,
        server=server,
        url="",
        tokens={name: token for name, (_, token) in made.items()},
        key_ids={name: key.key_id for name, (key, _) in made.items()},
    )
    _add_probes(server, api)
    try:
        api.url = server.start()
        yield api
    finally:
        api.release.set()
        assert server.stop()
        core.close()


@pytest.fixture
def api() -> Iterator[Api]:
    with running_api() as running:
        yield running


def _openai_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    message: str = error["message"]
    assert message.endswith(".") and "\n" not in message
    return message


def _ollama_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"], str)
    message: str = body["error"]
    assert message.endswith(".") and "\n" not in message
    return message


# -- keys and scopes ---------------------------------------------------------------------------


def test_a_request_without_a_key_is_refused_in_each_dialect(api: Api) -> None:
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        openai = http.post("/v1/probe", json={"x": 1})
        ollama = http.post("/api/probe", json={"x": 1})
        listing = http.get("/v1/models")
    assert "no API key" in _openai_error(openai, 401)
    assert openai.json()["error"]["code"] == "invalid_api_key"
    assert openai.headers["www-authenticate"].startswith("Bearer")
    assert "no API key" in _ollama_error(ollama, 401)
    _openai_error(listing, 401)
    api.nothing_ran()


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer aurora_wrong",
        "Bearer sk-not-an-aurora-key",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "a" * 5000,
        "aurora_without_a_scheme",
    ],
)
def test_a_wrong_key_is_refused(api: Api, authorization: str) -> None:
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        openai = http.post("/v1/probe", json={}, headers={"Authorization": authorization})
        ollama = http.post("/api/probe", json={}, headers={"Authorization": authorization})
    _openai_error(openai, 401)
    _ollama_error(ollama, 401)
    api.nothing_ran()


def test_a_revoked_key_is_refused(api: Api) -> None:
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        openai = http.post("/v1/probe", json={}, headers=api.headers("revoked"))
        ollama = http.get("/api/tags", headers=api.headers("revoked"))
    assert "revoked" in _openai_error(openai, 401)
    _ollama_error(ollama, 401)
    api.nothing_ran()


def test_a_key_revoked_while_serving_stops_at_once(api: Api) -> None:
    keys = ApiKeyStore.in_home(api.core.home, api.core.audit)  # as another process would
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        assert http.post("/v1/probe", json={}, headers=api.headers("other")).status_code == 200
        keys.revoke(api.key_ids["other"])
        _openai_error(http.post("/v1/probe", json={}, headers=api.headers("other")), 401)
    assert len(api.probed) == 1


def test_a_key_without_the_scope_is_refused(api: Api) -> None:
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        chat = http.post("/v1/probe", json={}, headers=api.headers("models"))
        chat_ollama = http.post("/api/probe", json={}, headers=api.headers("models"))
        models = http.get("/v1/models", headers=api.headers("chat"))
        tags = http.get("/api/tags", headers=api.headers("chat"))
        ps = http.get("/api/ps", headers=api.headers("chat"))
    assert "'models only' does not have the chat scope" in _openai_error(chat, 403)
    assert chat.json()["error"]["type"] == "permission_error"
    assert "chat scope" in _ollama_error(chat_ollama, 403)
    assert "models scope" in _openai_error(models, 403)
    _ollama_error(tags, 403)
    _ollama_error(ps, 403)
    api.nothing_ran()


def test_a_valid_key_reaches_the_endpoint_as_its_app(api: Api) -> None:
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        response = http.post("/v1/probe", json={"prompt": "hi"}, headers=api.headers("chat"))
        ollama = http.post("/api/probe", json={"n": 1}, headers=api.headers("chat"))
    assert response.status_code == 200 and ollama.status_code == 200
    (path, client, body), _ = api.probed
    assert path == "/v1/probe" and body == {"prompt": "hi"}
    assert client == ApiClient(api.key_ids["chat"], "chat only", frozenset({"chat"}))


def test_without_required_keys_a_caller_is_the_local_app_without_admin() -> None:
    with (
        running_api(require_key=False) as api,
        httpx.Client(base_url=api.url, timeout=WAIT_S) as http,
    ):
        anonymous = http.post("/v1/probe", json={})
        named = http.post("/v1/probe", json={}, headers=api.headers("chat"))
        assert http.get("/v1/models").status_code == 200
    assert anonymous.status_code == 200 and named.status_code == 200
    (_, local, _), (_, chat, _) = api.probed
    assert local.name == "local app" and local.key_id == ""
    assert local.scopes == frozenset({"chat", "embeddings", "models"})
    assert chat.name == "chat only"


def test_keys_cannot_be_turned_off_beyond_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        ApiOptions(bind="0.0.0.0", require_key=False)


# -- Host and Origin -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.nip.io:{port}",
        "localhost.evil.example",
        "localhost.",
        "[::2]:{port}",
        "0.0.0.0:{port}",
        "localhost:{port}:1",
        "",
    ],
)
def test_a_request_for_a_foreign_host_is_refused_before_the_key_check(api: Api, host: str) -> None:
    """DNS rebinding (CVE-2024-28224): the browser sends the attacker's host name."""
    port = api.server.options.port
    headers = api.headers(Host=host.format(port=port))
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        openai = http.post("/v1/probe", json={}, headers=headers)
        ollama = http.post("/api/probe", json={}, headers=headers)
        no_key = http.get("/v1/models", headers={"Host": host.format(port=port)})
    assert "DNS rebinding" in _openai_error(openai, 403)
    _ollama_error(ollama, 403)
    _openai_error(no_key, 403)  # refused as foreign, not as keyless
    api.nothing_ran()


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:{port}", "127.0.0.1", "[::1]:{port}"])
def test_loopback_host_names_are_accepted(api: Api, host: str) -> None:
    headers = api.headers(Host=host.format(port=api.server.options.port))
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        assert http.get("/v1/models", headers=headers).status_code == 200


def test_a_request_without_a_host_header_is_refused(api: Api) -> None:
    reply = _raw(api, b"GET /v1/models HTTP/1.0\r\nAuthorization: Bearer %s\r\n\r\n"
                 % api.tokens["full"].encode())  # fmt: skip
    assert reply.startswith(b"HTTP/1.1 403 ")
    api.nothing_ran()


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "https://localhost:5173",  # another scheme: another origin
        "http://localhost:5174",
        "http://localhost:5173.evil.example",
        "null",
        "NULL",
        "*",
        "",
    ],
)
def test_a_request_from_a_foreign_page_is_refused(api: Api, origin: str) -> None:
    headers = api.headers(Origin=origin)
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        openai = http.post("/v1/probe", json={}, headers=headers)
        ollama = http.post("/api/probe", json={}, headers=headers)
        listing = http.get("/v1/models", headers=headers)
    message = _openai_error(openai, 403)
    assert ("null origin" if origin.lower() == "null" else "origin") in message
    _ollama_error(ollama, 403)
    _openai_error(listing, 403)
    for response in (openai, ollama, listing):
        assert "access-control-allow-origin" not in response.headers
    api.nothing_ran()


def test_a_cross_site_request_without_an_origin_is_refused(api: Api) -> None:
    headers = api.headers(**{"Sec-Fetch-Site": "cross-site"})
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        _openai_error(http.post("/v1/probe", json={}, headers=headers), 403)
    api.nothing_ran()


def test_a_preflight_from_a_foreign_origin_gets_no_cors_allowance(api: Api) -> None:
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"}  # fmt: skip
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        for origin in ("http://evil.example", "null"):
            response = http.options("/v1/probe", headers={"Origin": origin, **preflight})
            assert response.status_code == 403
            assert not any(h.startswith("access-control-") for h in response.headers)
    api.nothing_ran()


def test_an_allowed_origin_gets_exactly_that_origin_never_a_star(api: Api) -> None:
    preflight = {
        "Origin": ALLOWED_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, x-stainless-os",
    }
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        answer = http.options("/v1/probe", headers=preflight)
        call = http.post("/v1/probe", json={}, headers=api.headers(Origin=ALLOWED_ORIGIN))
        refused = http.post("/v1/probe", json={}, headers={"Origin": ALLOWED_ORIGIN})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "authorization" in answer.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in answer.headers
    assert call.status_code == 200
    assert call.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "x-aurora-route" in call.headers["access-control-expose-headers"]
    _openai_error(refused, 401)  # the page may read why: the key is missing
    assert refused.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert len(api.probed) == 1


# -- bodies ----------------------------------------------------------------------------------


def test_an_oversized_body_is_refused(api: Api) -> None:
    big = json.dumps({"prompt": "x" * 4_100_000}).encode()

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        for _ in range(50):
            yield b"x" * 100_000

    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        declared = http.post("/v1/probe", content=big, headers=api.headers())
        chunked = http.post("/api/probe", content=chunks(), headers=api.headers())
        after = http.post("/v1/probe", json={"ok": 1}, headers=api.headers())
    assert "larger than 4 MB" in _openai_error(declared, 413)
    assert declared.json()["error"]["code"] == "request_too_large"
    assert "larger than 4 MB" in _ollama_error(chunked, 413)
    assert after.status_code == 200  # the server is fine afterwards
    assert len(api.probed) == 1


def test_a_huge_declared_body_is_refused_without_reading_it(api: Api) -> None:
    head = (
        b"POST /v1/probe HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
        b"Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{"
    ) % api.tokens["full"].encode()
    assert _raw(api, head).startswith(b"HTTP/1.1 413 ")
    api.nothing_ran()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"model": "x", "messages": [', "not valid JSON"),
        (b"{'single': 'quotes'}", "not valid JSON"),
        (b"", "no body"),
        (b"   ", "no body"),
        (b'{"a": NaN}', "NaN"),
        (b'{"a": 1e999}', "too large"),
        (b"[" * 65 + b"]" * 65, "deeper than 64"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "deeper than 64"),
        (b'{"prompt": "\xff\xfe"}', "not UTF-8"),
        (b'{"prompt": "\xc3\x28"}', "not UTF-8"),
        (b'{"prompt": "\\ud800"}', "not valid Unicode"),
    ],
    ids=[
        "truncated",
        "quotes",
        "empty",
        "blank",
        "nan",
        "inf",
        "deep",
        "very-deep",
        "bad-utf8",
        "bad-utf8-2",
        "lone-surrogate",
    ],
)
def test_a_body_that_is_not_clean_json_is_refused(api: Api, body: bytes, says: str) -> None:
    headers = api.headers(**{"Content-Type": "application/json"})
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        openai = http.post("/v1/probe", content=body, headers=headers)
        ollama = http.post("/api/probe", content=body, headers=headers)
    assert says in _openai_error(openai, 400)
    assert says in _ollama_error(ollama, 400)
    api.nothing_ran()


def test_sixty_four_levels_are_still_accepted(api: Api) -> None:
    body = b"[" * 63 + b"1" + b"]" * 63
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        response = http.post("/v1/probe", content=b'{"a":' + body + b"}", headers=api.headers())
    assert response.status_code == 200


def test_a_body_that_never_arrives_is_refused_in_time(api: Api) -> None:
    head = (
        b"POST /api/probe HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\n"
        b"Content-Length: 100\r\n\r\n{"
    ) % api.tokens["full"].encode()
    started = time.monotonic()
    reply = _raw(api, head)
    assert reply.startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - started < 5.0
    assert b'"error":"The request body did not arrive within 1 seconds' in reply
    api.nothing_ran()


def test_a_bad_content_length_is_refused(api: Api) -> None:
    head = (
        b"POST /v1/probe HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\n"
        b"Content-Length: -5\r\n\r\n"
    ) % api.tokens["full"].encode()
    assert _raw(api, head).split(b" ")[1] in (b"400", b"413")
    api.nothing_ran()


# -- concurrency ---------------------------------------------------------------------------------


def test_more_requests_at_once_than_allowed_get_429(api: Api) -> None:
    """Two requests of one key fill its share; a third of it gets 429. A request of another
    key fills the total; one more of that key gets 429 too. Then the held ones finish."""
    results: list[int] = []
    lock = threading.Lock()

    def call(key: str) -> None:
        with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
            status = http.post("/v1/slow", json={}, headers=api.headers(key)).status_code
        with lock:
            results.append(status)

    held = [threading.Thread(target=call, args=(k,), name=f"held-{i}")
            for i, k in enumerate(["full", "full", "other"])]  # fmt: skip
    try:
        for thread in held[:2]:
            thread.start()
        for _ in range(2):
            assert api.entered.acquire(timeout=WAIT_S)
        with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
            per_key = http.post("/v1/slow", json={}, headers=api.headers("full"))
            held[2].start()
            assert api.entered.acquire(timeout=WAIT_S)
            total = http.post("/v1/slow", json={}, headers=api.headers("chat"))
            ollama = http.post("/api/probe", json={}, headers=api.headers("other"))
            reads = http.get("/v1/models", headers=api.headers("full"))  # reads are not counted
        assert "its limit for one key" in _openai_error(per_key, 429)
        assert per_key.headers["retry-after"] == "1"
        assert per_key.json()["error"]["type"] == "rate_limit_error"
        assert "its limit for all apps" in _openai_error(total, 429)
        _ollama_error(ollama, 429)
        assert reads.status_code == 200
        assert len(api.probed) == TOTAL  # only the held ones ran
    finally:
        api.release.set()
        for thread in held:
            if thread.is_alive() or thread.ident is not None:
                thread.join(WAIT_S)
    assert sorted(results) == [200] * TOTAL
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:  # the slots are free again
        assert http.post("/v1/probe", json={}, headers=api.headers("full")).status_code == 200


def test_a_flood_gets_429_beyond_the_limit_and_never_runs_more(api: Api) -> None:
    """Twenty requests at once from one key: two run, eighteen are refused, all bounded."""
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(20, timeout=WAIT_S)

    def call() -> None:
        with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
            start.wait()
            status = http.post("/v1/slow", json={}, headers=api.headers("full")).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=call, name=f"flood-{i}") for i in range(20)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            with lock:
                if len(statuses) >= 20 - PER_KEY:
                    break
            time.sleep(0.02)
        with lock:
            assert sorted(statuses) == [429] * (20 - PER_KEY)
        assert len(api.probed) == PER_KEY
    finally:
        api.release.set()
        for thread in threads:
            thread.join(WAIT_S)
    assert sorted(statuses) == [200] * PER_KEY + [429] * (20 - PER_KEY)


# -- the meta endpoints -------------------------------------------------------------------------


def test_unknown_endpoints_and_methods_answer_in_the_dialect(api: Api) -> None:
    with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        _openai_error(http.get("/v1/nothing", headers=api.headers()), 404)
        _ollama_error(http.get("/api/nothing", headers=api.headers()), 404)
        _openai_error(http.delete("/v1/models", headers=api.headers()), 405)
        _openai_error(http.get("/v1/models/no-such-model", headers=api.headers()), 404)
        version = http.get("/api/version", headers=api.headers("chat"))
    assert version.status_code == 200 and version.json()["version"]
    api.nothing_ran()


def test_the_port_in_use_is_one_sentence(api: Api) -> None:
    other = ApiServer(api.core, api.server.keys, ApiOptions(port=api.server.options.port))
    with pytest.raises(ConfigError, match=r"already in use by another program") as caught:
        other.start(timeout=WAIT_S)
    assert str(caught.value).count(".") >= 1 and "\n" not in str(caught.value)
    assert other.state.kind == "failed"
    assert "already in use" in str(other.state)


def test_the_server_runs_on_its_own_thread_and_stops_in_time(aurora_home: AuroraHome) -> None:
    with running_api() as api:
        names = [t.name for t in threading.enumerate()]
        assert "aurora-api" in names
        assert str(api.server.state) == f"listening on {api.url}"
        started = time.monotonic()
        assert api.server.stop(timeout=5.0)
        assert time.monotonic() - started < 5.0
        assert str(api.server.state) == "off"
        assert "aurora-api" not in [t.name for t in threading.enumerate()]
        api.server.start()  # and again
        assert api.server.state.kind == "listening"


@pytest.mark.model
def test_models_and_tags_list_the_installed_model(model_home: AuroraHome) -> None:
    with running_api() as api:
        name = api.core.local.installed_llms()[0]
        with httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
            models = http.get("/v1/models", headers=api.headers("models"))
            one = http.get(f"/v1/models/{name}", headers=api.headers("models"))
            auto = http.get("/v1/models/aurora/auto", headers=api.headers("models"))
            tags = http.get("/api/tags", headers=api.headers("models"))
            ps_before = http.get("/api/ps", headers=api.headers("models"))
            with api.core.scheduler.acquire(name):
                pass  # loaded, now idle until its TTL
            ps_after = http.get("/api/ps", headers=api.headers("models"))
        assert models.status_code == 200
        listed = models.json()
        assert listed["object"] == "list"
        assert [m["id"] for m in listed["data"]] == ["aurora/auto", name]
        assert all(m["object"] == "model" and m["owned_by"] == "aurora" for m in listed["data"])
        assert one.json()["id"] == name and auto.json()["id"] == "aurora/auto"
        tagged = {m["name"]: m for m in tags.json()["models"]}
        assert set(tagged) == {"aurora/auto", name}
        entry = api.core.store.active(name)
        assert entry is not None
        assert tagged[name]["size"] == entry.entry.size
        assert tagged[name]["digest"] == entry.entry.main_file.sha256
        assert tagged[name]["details"]["format"] == "gguf"
        assert tagged[name]["modified_at"].endswith("Z")
        assert ps_before.json() == {"models": []}
        (loaded,) = ps_after.json()["models"]
        assert loaded["name"] == name and loaded["size"] > 0
        assert loaded["expires_at"].endswith("Z")
        assert list(api.core.decisions.entries()) == []  # listing runs nothing


# -- helpers ---------------------------------------------------------------------------------


def _raw(api: Api, request: bytes) -> bytes:
    """Send `request` as is on a new connection and return what comes back (bounded)."""
    port = api.server.options.port
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT_S) as sock:
        sock.sendall(request)
        chunks = []
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                break
        return b"".join(chunks)


def _complete(reply: bytes) -> bool:
    head, _, body = reply.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


GENERATION_PATHS = [
    "/v1/chat/completions",
    "/v1/completions",
    "/v1/embeddings",
    "/api/chat",
    "/api/generate",
    "/api/embed",
]
VALID_BODY = {"model": "aurora/auto", "messages": [{"role": "user", "content": "hi"}],
              "prompt": "hi", "input": "hi", "stream": False}  # fmt: skip


@pytest.mark.model
@pytest.mark.parametrize("path", GENERATION_PATHS)
def test_hostile_requests_to_the_generation_paths_run_nothing(
    model_home: AuroraHome, path: str
) -> None:
    """With a model installed that any of these requests could load, each hostile variant
    is refused before the endpoint: no decision recorded, no model loaded."""
    error = _ollama_error if path.startswith("/api/") else _openai_error
    body = json.dumps(VALID_BODY).encode()
    with running_api() as api, httpx.Client(base_url=api.url, timeout=WAIT_S) as http:
        json_type = {"Content-Type": "application/json"}
        cases = [
            (401, {**json_type}, body),
            (401, api.headers("revoked", **json_type), body),
            (403, api.headers("models", **json_type), body),  # no chat or embeddings scope
            (403, api.headers(Host="evil.example", **json_type), body),
            (403, api.headers(Origin="null", **json_type), body),
            (403, api.headers(Origin="http://evil.example", **json_type), body),
            (413, api.headers(**json_type), b'{"prompt": "' + b"x" * 4_100_000 + b'"}'),
            (400, api.headers(**json_type), b'{"model": "aurora/auto", "messages": ['),
            (400, api.headers(**json_type), b'{"a":' * 100 + b"1" + b"}" * 100),
            (400, api.headers(**json_type), b'{"prompt": "\xff"}'),
        ]
        for status, headers, content in cases:
            error(http.post(path, content=content, headers=headers), status)
        api.nothing_ran()


# -- the parts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost", "localhost"),
        ("LocalHost:11470", "localhost"),
        ("127.0.0.1:1", "127.0.0.1"),
        ("[::1]", "[::1]"),
        ("[::1]:8080", "[::1]"),
        ("evil.example", "evil.example"),
        ("localhost:", None),
        ("localhost:x", None),
        ("127.0.0.1:80:80", None),
        ("127.0.0.1:1234567", None),
        ("[::1", None),
        ("", None),
    ],
)
def test_host_names_are_read_without_their_port(header: str, name: str | None) -> None:
    assert host_name(header) == name


def test_a_server_on_another_address_also_answers_to_that_address() -> None:
    assert allowed_hosts("127.0.0.1") == {"localhost", "127.0.0.1", "[::1]"}
    assert "192.168.1.5" in allowed_hosts("192.168.1.5")
    assert "[fe80::1]" in allowed_hosts("0.0.0.0", ["fe80::1"])


def test_errors_take_the_dialect_of_the_path() -> None:
    openai = json.loads(bytes(api_error("/v1/chat/completions", 429, "Slow down.").body))
    ollama = json.loads(bytes(api_error("/api/chat", 429, "Slow down.").body))
    other = json.loads(bytes(api_error("/", 500, "Broken.").body))
    assert openai == {"error": {"message": "Slow down.", "type": "rate_limit_error",
                                "param": None, "code": "rate_limit_exceeded"}}  # fmt: skip
    assert ollama == {"error": "Slow down."}
    assert other["error"]["type"] == "server_error"
    assert dialect("/api") == "ollama" and dialect("/apix") == "openai"


def test_options_follow_the_settings_and_name_their_url() -> None:
    settings = Settings(api_port=12345, api_bind="::1", api_origins=("http://a.example",))
    options = ApiOptions.from_settings(settings)
    assert options.url == "http://[::1]:12345" and options.origins == ("http://a.example",)
    assert ApiOptions.from_settings(settings, port=2000).port == 2000
    assert ApiOptions().url == "http://127.0.0.1:11470" and ApiOptions().require_key
