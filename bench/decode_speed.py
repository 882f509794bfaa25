"""Decode speed of SmolLM2 through `aurora ask` against a bare llama-cpp-python loop.

Both run the same model file, prompt, chat template, thread count and greedy sampling, in
alternating rounds on the same machine, so the ratio is measured under the same load.

    .venv/bin/python bench/decode_speed.py [--rounds 5] [--max-tokens 128]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.hardware import physical_cores

PROMPT = "Write a detailed paragraph about how lighthouses guided ships before GPS existed."


def aurora_ask_tok_s(max_tokens: int) -> tuple[float, int]:
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("aurora")),
            "ask",
            "--json",
            "--temperature",
            "0",
            "--max-tokens",
            str(max_tokens),
            PROMPT,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    data = json.loads(proc.stdout)
    return float(data["tok_s"]), int(data["tokens_out"])


def bare_tok_s(llm: object, max_tokens: int) -> tuple[float, int]:
    stamps: list[float] = []
    stream = llm.create_chat_completion(  # type: ignore[attr-defined]
        messages=[{"role": "user", "content": PROMPT}],
        max_tokens=max_tokens,
        temperature=0.0,
        top_k=40,
        top_p=0.95,
        repeat_penalty=1.1,
        stream=True,
    )
    for chunk in stream:
        if chunk["choices"][0]["delta"].get("content"):
            stamps.append(time.perf_counter())
    if len(stamps) < 2:
        return 0.0, len(stamps)
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]), len(stamps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()

    core = build_core()
    name = core.catalog().default_llm
    if core.store.active(name) is None:
        core.store.install(core.catalog().get(name))
    installed = core.store.ready_for_load(name)
    core.close()
    from llama_cpp import Llama

    threads = physical_cores()
    llm = Llama(
        model_path=str(installed.main_path),
        n_ctx=2048,
        n_threads=threads,
        n_threads_batch=threads,
        seed=0,
        verbose=False,
    )
    bare_tok_s(llm, 8)  # warm-up
    aurora: list[float] = []
    bare: list[float] = []
    for round_no in range(1, args.rounds + 1):
        a, a_n = aurora_ask_tok_s(args.max_tokens)
        b, b_n = bare_tok_s(llm, args.max_tokens)
        aurora.append(a)
        bare.append(b)
        print(
            f"round {round_no}: aurora ask {a:6.1f} tok/s ({a_n} tokens)   "
            f"bare llama-cpp-python {b:6.1f} tok/s ({b_n} tokens)"
        )
    a_med, b_med = statistics.median(aurora), statistics.median(bare)
    print(f"model {installed.entry.display_name}, n_threads={threads}, cpus={os.cpu_count()}")
    print(
        f"median decode: aurora ask {a_med:.1f} tok/s, bare loop {b_med:.1f} tok/s, "
        f"ratio aurora/bare = {a_med / b_med:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
