"""B13-B15: the local API (issue 18) against the reference server, all on 127.0.0.1.

B13  decode tok/s streamed through Aurora's API with the official `openai` client ÷ the
     same request to `python -m llama_cpp.server` on the same model file and thread count
B14  first-token latency the API adds over the in-process path (Conductor.answer), ms
B15  p99 latency of GET /v1/models while 50 clients ask at once, ms

    python bench/api_bench.py            (or: aurora bench --only B13)
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PROMPT, REPS, median

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import Request
from aurora_desktop.core.hardware import physical_cores
from aurora_desktop.core.telemetry import percentile

MAX_TOKENS = 128
CLIENTS = 50
REQUESTS_PER_CLIENT = 20
START_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stream_timing(client: Any, model: str, prompt: str, **extra: Any) -> tuple[float, float, int]:
    """(TTFT ms, decode tok/s, chunks) of one streamed chat completion, greedy."""
    started = time.perf_counter()
    stamps: list[float] = []
    stream = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": prompt}],
        max_tokens=MAX_TOKENS,
        temperature=0.0,
        stream=True,
        **extra,
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            stamps.append(time.perf_counter())
    if not stamps:
        return 0.0, 0.0, 0
    ttft = (stamps[0] - started) * 1000.0
    span = stamps[-1] - stamps[0]
    return ttft, (len(stamps) - 1) / span if span > 0 else 0.0, len(stamps)


def in_process_ttft(core: Core, model: str, prompt: str) -> float:
    started = time.perf_counter()
    first: list[float] = []

    def on_token(_piece: str) -> bool:
        if not first:
            first.append(time.perf_counter())
        return True

    request = Request.from_prompt(
        prompt, task="chat", model=f"local://{model}", max_tokens=MAX_TOKENS, temperature=0.0
    )
    core.conductor.answer(request, on_token=on_token)
    return (first[0] - started) * 1000.0 if first else 0.0


def reference_server(model_path: Path, port: int) -> subprocess.Popen[bytes]:
    threads = str(physical_cores())
    return subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
         "--n_threads", threads, "--n_threads_batch", threads],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_listening(url: str, headers: dict[str, str] | None = None) -> None:
    import httpx

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/v1/models", headers=headers, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_S:g} s")


async def models_latencies(url: str, token: str) -> list[float]:
    import httpx

    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits) as http:

        async def one_client() -> None:
            for _ in range(REQUESTS_PER_CLIENT):
                started = time.perf_counter()
                answer = await http.get("/v1/models", timeout=30)
                answer.raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000.0)

        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return latencies


def load_from_another_process(url: str, token: str) -> list[float]:
    """The 50 clients run in a process of their own, as other apps would: in this one they
    would share the interpreter lock with the server they measure."""
    import json

    done = subprocess.run(
        [sys.executable, __file__, "--load", url, token],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return [float(x) for x in json.loads(done.stdout)]


def b13_b15_api(core: Core, model_path: Path) -> dict[str, Any]:
    import openai

    from aurora_desktop.server.options import ApiOptions
    from aurora_desktop.server.runner import ApiServer

    model = core.catalog().default_llm
    key, token = core.api_keys.create("aurora bench", ["chat", "models"])
    server = ApiServer(core, core.api_keys, ApiOptions(port=free_port()))
    ref_port = free_port()
    reference = reference_server(model_path, ref_port)
    try:
        url = server.start()
        ref_url = f"http://127.0.0.1:{ref_port}"
        wait_listening(ref_url)
        ours = openai.OpenAI(base_url=f"{url}/v1", api_key=token, max_retries=0, timeout=300)
        theirs = openai.OpenAI(base_url=f"{ref_url}/v1", api_key="none", max_retries=0)
        chat = {"extra_headers": {"x-aurora-task": "chat"}}
        stream_timing(ours, model, PROMPT, **chat)  # warm-up: load, first eval
        stream_timing(theirs, "local", PROMPT)
        in_process_ttft(core, model, f"Warm-up. {PROMPT}")
        rows = []
        for rep in range(REPS):
            a_ttft, a_tok, a_n = stream_timing(
                ours, model, f"Question {rep + 1}a. {PROMPT}", **chat
            )
            r_ttft, r_tok, r_n = stream_timing(theirs, "local", f"Question {rep + 1}b. {PROMPT}")
            direct = in_process_ttft(core, model, f"Question {rep + 1}c. {PROMPT}")
            rows.append(
                {
                    "api_tok_s": round(a_tok, 1),
                    "reference_tok_s": round(r_tok, 1),
                    "api_ttft_ms": round(a_ttft, 1),
                    "in_process_ttft_ms": round(direct, 1),
                    "reference_ttft_ms": round(r_ttft, 1),
                    "api_chunks": a_n,
                    "reference_chunks": r_n,
                }
            )
        latencies = load_from_another_process(url, token)
    finally:
        reference.terminate()
        try:
            reference.wait(10)
        except subprocess.TimeoutExpired:
            reference.kill()
        server.stop()
        core.api_keys.revoke(key.key_id)
    api_tok = median([r["api_tok_s"] for r in rows])
    ref_tok = median([r["reference_tok_s"] for r in rows])
    added = median([r["api_ttft_ms"] - r["in_process_ttft_ms"] for r in rows])
    p99 = percentile(latencies, 99)
    return {
        "verdicts": {"B13": api_tok / ref_tok if ref_tok else 0.0, "B14": added, "B15": p99},
        "B13": {"api_tok_s": round(api_tok, 1), "reference_tok_s": round(ref_tok, 1), "runs": rows},
        "B14": {
            "api_ttft_ms": round(median([r["api_ttft_ms"] for r in rows]), 1),
            "in_process_ttft_ms": round(median([r["in_process_ttft_ms"] for r in rows]), 1),
        },
        "B15": {
            "requests": len(latencies),
            "p50_ms": round(percentile(latencies, 50), 1),
            "clients": CLIENTS,
        },
    }


if __name__ == "__main__":
    import json

    if sys.argv[1:2] == ["--load"]:
        print(json.dumps(asyncio.run(models_latencies(sys.argv[2], sys.argv[3]))))
        raise SystemExit(0)

    from common import ensure_default_model

    from aurora_desktop.app.wiring import build_core

    core = build_core()
    try:
        print(json.dumps(b13_b15_api(core, ensure_default_model(core)), indent=2))
    finally:
        core.close()
