"""The multilingual encoder (USE-m3) through the real store and ONNX Runtime: the in-memory
cut of its tokenizer node, what it embeds, and the errors for files it cannot use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from aurora_desktop.core.embedding import MULTILINGUAL_EMBEDDING_MODEL, EmbeddingService
from aurora_desktop.core.engines.onnx_sentencepiece import SentencepieceGraphEmbedder, cut_tokenizer
from aurora_desktop.core.errors import EngineError, EngineLoadError
from aurora_desktop.core.paths import AuroraHome

ENGLISH = [
    "Where is the train station?", "I want to cancel my card", "What time is it now?",
    "The weather is lovely today", "My package has not arrived", "How do I reset my password?",
]  # fmt: skip
KOREAN = [
    "기차역이 어디에 있나요?", "카드를 해지하고 싶어요", "지금 몇 시예요?",
    "오늘 날씨가 정말 좋네요", "제 택배가 아직 도착하지 않았어요",
    "비밀번호를 어떻게 재설정하나요?",
]  # fmt: skip


def model_file(home: AuroraHome) -> Path:
    files = list(home.models.glob(f"embedding/{MULTILINGUAL_EMBEDDING_MODEL}/*/*.onnx"))
    assert len(files) == 1, files
    return files[0]


@pytest.fixture(scope="module")
def encoder(multilingual_home: AuroraHome) -> Iterator[SentencepieceGraphEmbedder]:
    embedder = SentencepieceGraphEmbedder(model_file(multilingual_home), batch_size=4)
    yield embedder
    embedder.close()


def test_translations_are_each_others_nearest_neighbours(
    encoder: SentencepieceGraphEmbedder,
) -> None:
    english, korean = encoder.embed(ENGLISH), encoder.embed(KOREAN)
    assert english.shape == (6, 512) and english.dtype == np.float32
    assert np.allclose(np.linalg.norm(english, axis=1), 1.0, atol=1e-5)
    nearest = (english @ korean.T).argmax(axis=1)
    assert nearest.tolist() == list(range(6))


def test_vectors_come_back_in_input_order(encoder: SentencepieceGraphEmbedder) -> None:
    texts = [*KOREAN, *ENGLISH, "", "x"]
    together = encoder.embed(texts)  # several batches of 4, sorted by length inside
    alone = np.vstack([encoder.embed([t]) for t in texts])
    # int8 weights with dynamic activation quantization: a batch shares one activation
    # scale, so a vector moves a little with its batch companions, but stays its own
    cosines = (together * alone).sum(axis=1)
    assert cosines.min() > 0.98, cosines
    assert ((together @ alone.T).argmax(axis=1) == np.arange(len(texts))).all()


def test_token_ids_follow_the_graph_and_a_long_text_is_cut(
    encoder: SentencepieceGraphEmbedder,
) -> None:
    ids = encoder.token_ids("hello")
    assert ids[0] == 1 and ids[-1] == 2 and len(ids) > 2  # BOS, pieces, EOS
    long = encoder.token_ids("단어 " * 2000)
    assert len(long) == encoder.max_tokens and long[0] == 1 and long[-1] == 2
    assert encoder.embed(["단어 " * 2000]).shape == (1, 512)


def test_the_cut_graph_drops_the_custom_op(multilingual_home: AuroraHome) -> None:
    cut = cut_tokenizer(model_file(multilingual_home))
    assert b"SentencepieceTokenizer" not in cut.model
    assert (cut.add_bos, cut.add_eos, cut.reverse) == (True, True, False)
    assert len(cut.spm) > 1_000_000


def test_files_it_cannot_use_are_refused_in_one_sentence(
    tmp_path: Path, embedding_home: AuroraHome
) -> None:
    missing = tmp_path / "missing.onnx"
    with pytest.raises(EngineLoadError, match="missing"):
        SentencepieceGraphEmbedder(missing)
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"\x00not a model" * 100)
    with pytest.raises(EngineLoadError, match="not a readable ONNX file"):
        SentencepieceGraphEmbedder(garbage)
    (minilm,) = embedding_home.models.glob("embedding/all-minilm-l6-v2-int8/*/model.onnx")
    with pytest.raises(EngineLoadError, match="no sentencepiece tokenizer"):
        SentencepieceGraphEmbedder(minilm)  # a model that needs its tokenizer.json


def test_closed_encoder_says_so(multilingual_home: AuroraHome) -> None:
    embedder = SentencepieceGraphEmbedder(model_file(multilingual_home))
    embedder.close()
    assert embedder.memory_bytes() == 0 and not embedder.loaded
    with pytest.raises(EngineError, match="unloaded"):
        embedder.embed(["hello"])


def test_the_service_opens_it_by_catalog_name(multilingual_home: AuroraHome) -> None:
    from aurora_desktop.app.wiring import build_core

    core = build_core(
        {"AURORA_HOME": str(multilingual_home.root), "AURORA_CACHE": str(multilingual_home.cache)}
    )
    service = EmbeddingService(core.store, core.catalog, model_name=MULTILINGUAL_EMBEDDING_MODEL)
    try:
        assert service.dimension == 512 and service.embed(["안녕하세요"]).shape == (1, 512)
    finally:
        service.close()
        core.close()
