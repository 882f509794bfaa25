"""The ONNX engines on real models: MiniLM from the signed catalog, SmolLM2 converted to ONNX."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from aurora_desktop.core.contract import Message
from aurora_desktop.core.embedding import DEFAULT_EMBEDDING_MODEL
from aurora_desktop.core.engines.onnx_embed import OnnxEmbedder
from aurora_desktop.core.engines.onnx_genai import OnnxGenAIEngine
from aurora_desktop.core.engines.onnx_providers import CPU
from aurora_desktop.core.errors import EngineError, EngineLoadError
from aurora_desktop.core.paths import AuroraHome
from tests.support.onnx_fixture import OnnxFixtureError, default_cache_dir, onnx_smollm2

pytestmark = pytest.mark.integration

BUILD_TIMEOUT_S = 2400  # the first run builds the ONNX model; later runs find it cached
SIMILARITY_TOLERANCE = 0.05


@pytest.fixture(scope="session")
def minilm(embedding_home: AuroraHome) -> Path:
    """The catalog's MiniLM (model.onnx + tokenizer.json), installed through the real store."""
    (model,) = embedding_home.models.glob(f"embedding/{DEFAULT_EMBEDDING_MODEL}/*/model.onnx")
    return model.parent


@pytest.fixture(scope="session")
def onnx_smollm2_dir(seeded_home: AuroraHome, pytestconfig: pytest.Config) -> Path:
    """SmolLM2 as an int4 ONNX GenAI model, built from the seeded GGUF once and cached."""
    gguf = next(seeded_home.models.rglob("*.gguf"))
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")

    def say(line: str) -> None:
        with capture.global_and_fixture_disabled():
            print(line, flush=True)

    try:
        return onnx_smollm2(default_cache_dir(), gguf=gguf, say=say)
    except OnnxFixtureError as exc:
        failure = str(exc)
    pytest.fail(failure, pytrace=False)  # outside `except`: the log tail is shown once


@pytest.fixture
def embedder(minilm: Path) -> Iterator[OnnxEmbedder]:
    engine = OnnxEmbedder(minilm / "model.onnx", minilm / "tokenizer.json", threads=2)
    yield engine
    engine.close()


@pytest.fixture
def smollm2_onnx(onnx_smollm2_dir: Path) -> Iterator[OnnxGenAIEngine]:
    engine = OnnxGenAIEngine(onnx_smollm2_dir, model_name="smollm2-onnx")
    yield engine
    assert engine.close(timeout=30)


def _chunks(n: int) -> list[str]:
    subjects = ["The invoice", "Our team", "The server", "A customer", "The report", "My cat"]
    verbs = ["was delayed by", "grew by", "failed after", "asked about", "covers", "slept for"]
    return [
        f"{subjects[i % 6]} {verbs[(i // 6) % 6]} {i % 97} items in week {i % 52}, item {i}."
        for i in range(n)
    ]


# -- embeddings --------------------------------------------------------------------------


def test_embedder_reports_its_provider_and_known_similarities(embedder: OnnxEmbedder) -> None:
    vectors = embedder.embed(["cat on the mat", "kitten on a rug", "revenue grew"])
    assert embedder.provider == CPU
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.64, abs=SIMILARITY_TOLERANCE)
    assert float(vectors[0] @ vectors[2]) == pytest.approx(-0.02, abs=SIMILARITY_TOLERANCE)
    assert embedder.memory_bytes() > 20_000_000
    assert embedder.embed([]).shape == (0, 384)


def test_a_closed_embedder_holds_nothing_and_refuses_work(minilm: Path) -> None:
    engine = OnnxEmbedder(minilm / "model.onnx", minilm / "tokenizer.json")
    engine.close()
    assert not engine.loaded and engine.memory_bytes() == 0
    with pytest.raises(EngineError, match="unloaded"):
        engine.embed(["hello"])
    engine.close()  # twice is fine


def test_batching_gives_the_same_vectors_as_one_by_one(minilm: Path) -> None:
    texts = ["short", *_chunks(9), "a much longer text " * 40, ""]
    batched = OnnxEmbedder(minilm / "model.onnx", minilm / "tokenizer.json", batch_size=4)
    single = OnnxEmbedder(minilm / "model.onnx", minilm / "tokenizer.json", batch_size=1)
    try:
        one_by_one = np.stack([single.embed([t])[0] for t in texts])
        assert np.allclose(batched.embed(texts), one_by_one, atol=1e-5)
        assert np.allclose(single.embed(texts), one_by_one, atol=1e-5)
    finally:
        batched.close()
        single.close()


def test_embedder_throughput_at_batch_64(embedder: OnnxEmbedder) -> None:
    texts = _chunks(1280)
    embedder.embed(texts[:64])  # warm-up
    started = time.perf_counter()
    vectors = embedder.embed(texts)
    per_minute = len(texts) / (time.perf_counter() - started) * 60
    print(f"MiniLM int8 on {embedder.provider}: {per_minute:,.0f} chunks/min at batch 64")
    assert vectors.shape == (1280, 384)
    assert per_minute > 2_000  # a floor well under the ~10-23K measured on 2 cores


@pytest.mark.parametrize("damage", ["missing", "garbage", "empty"])
def test_a_missing_or_corrupt_embedding_model_is_an_engine_load_error(
    minilm: Path, tmp_path: Path, damage: str
) -> None:
    model = tmp_path / "model.onnx"
    if damage == "garbage":
        model.write_bytes(b"not an onnx model " * 1000)
    elif damage == "empty":
        model.write_bytes(b"")
    with pytest.raises(EngineLoadError) as caught:
        OnnxEmbedder(model, minilm / "tokenizer.json")
    message = str(caught.value)
    assert "model.onnx" in message and message.endswith(".") and "\n" not in message


def test_a_corrupt_tokenizer_is_an_engine_load_error(minilm: Path, tmp_path: Path) -> None:
    bad = tmp_path / "tokenizer.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(EngineLoadError, match=r"tokenizer\.json"):
        OnnxEmbedder(minilm / "model.onnx", bad)


# -- ONNX Runtime GenAI ------------------------------------------------------------------


@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_genai_engine_streams_text_in_pieces(smollm2_onnx: OnnxGenAIEngine) -> None:
    assert smollm2_onnx.load().result(timeout=120) > 0
    assert smollm2_onnx.provider == CPU
    assert smollm2_onnx.health().ok and smollm2_onnx.memory_bytes() > 50_000_000
    pieces: list[str] = []
    result = smollm2_onnx.generate(
        [Message("user", "Write three sentences about the sea.")],
        max_tokens=64,
        temperature=0.0,
        on_token=pieces.append,
    ).result(timeout=120)
    assert len(pieces) >= 5 and result.text.strip()
    assert result.text == "".join(pieces)
    assert "<|im_end|>" not in result.text and "<|im_start|>" not in result.text
    assert result.tokens_in > 5 and 5 <= result.tokens_out <= 64
    assert result.finish_reason in ("stop", "length")
    assert result.ttft_ms > 0 and result.decode_tok_s > 0
    print(
        f"SmolLM2 int4 ONNX on {smollm2_onnx.provider}: {result.decode_tok_s:.0f} tok/s, "
        f"TTFT {result.ttft_ms:.0f} ms, {result.tokens_out} tokens"
    )


@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_genai_engine_cancels_by_callback_and_by_event(smollm2_onnx: OnnxGenAIEngine) -> None:
    story = [Message("user", "Tell me a long story about a dragon and a knight.")]
    pieces: list[str] = []

    def three_then_stop(piece: str) -> bool:
        pieces.append(piece)
        return len(pieces) < 3

    by_callback = smollm2_onnx.generate(
        story, max_tokens=200, temperature=0.7, on_token=three_then_stop
    ).result(timeout=120)
    assert by_callback.finish_reason == "cancelled" and len(pieces) == 3

    cancel = threading.Event()

    def stop_after_two(piece: str) -> None:
        if len(pieces) >= 5:
            cancel.set()
        pieces.append(piece)

    by_event = smollm2_onnx.generate(
        story, max_tokens=200, temperature=0.7, on_token=stop_after_two, cancel=cancel
    ).result(timeout=120)
    assert by_event.finish_reason == "cancelled" and by_event.tokens_out < 10

    already = threading.Event()
    already.set()
    untouched = smollm2_onnx.generate(story, max_tokens=50, temperature=0.0, cancel=already)
    assert untouched.result(timeout=120).tokens_out == 0


@pytest.mark.timeout(BUILD_TIMEOUT_S)
def test_genai_engine_unloads_and_reports_memory(smollm2_onnx: OnnxGenAIEngine) -> None:
    assert smollm2_onnx.memory_bytes() == 0 and smollm2_onnx.health().detail == "not loaded"
    smollm2_onnx.load().result(timeout=120)
    assert smollm2_onnx.loaded and smollm2_onnx.memory_bytes() > 50_000_000
    assert smollm2_onnx.count_tokens("hello world").result(timeout=30) >= 2
    smollm2_onnx.unload().result(timeout=60)
    assert not smollm2_onnx.loaded and smollm2_onnx.memory_bytes() == 0


def test_genai_engine_refuses_a_folder_without_a_model(tmp_path: Path) -> None:
    (tmp_path / "genai_config.json").write_text("{}", "utf-8")
    for folder in (tmp_path / "nothing-here", tmp_path):
        engine = OnnxGenAIEngine(folder, model_name="broken")
        try:
            with pytest.raises(EngineLoadError) as caught:
                engine.load().result(timeout=60)
            assert "\n" not in str(caught.value)
        finally:
            assert engine.close()
