"""Ingest and query on real files with a word-hashing embedder: skips, re-ingest, changes,
consent, cancel, and kills at random instants."""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from aurora_desktop.core.errors import CancelledError, ConfigError, ConsentDenied
from aurora_desktop.core.models.progress import ProgressCallback, no_progress
from aurora_desktop.core.policy.consent import (
    ConsentAnswer,
    ConsentBroker,
    ConsentReply,
    ConsentRequest,
    ConsentStore,
)
from aurora_desktop.core.rag import IndexConfig, IngestProgress, IngestSettings, RagService
from aurora_desktop.core.rag.docstore import DocumentStore
from aurora_desktop.core.rag.index import VectorIndex
from aurora_desktop.core.rag.service import DB_NAME, INDEX_NAME, RAG_DIR, read_scope

REPO = Path(__file__).resolve().parents[2]
WORDS = [f"w{n:03d}" for n in range(400)]
KILLS = int(os.environ.get("AURORA_RAG_KILLS", "6"))


class HashEmbedder:
    """Feature hashing of words: deterministic, fast; texts sharing words score high."""

    def __init__(self, dimension: int = 64, delay_s: float = 0.0, model_name: str = "hash") -> None:
        self.dimension = dimension
        self.model_name = model_name
        self.delay_s = delay_s
        self.texts_embedded = 0

    def ensure(
        self, progress: ProgressCallback = no_progress, cancel: threading.Event | None = None
    ) -> None:
        return None

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
                out[row, h % self.dimension] += 1.0 if (h >> 40) & 1 else -1.0
        out[:, 0] += 1e-3  # no zero rows
        self.texts_embedded += len(texts)
        time.sleep(self.delay_s)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def close(self) -> None:
        return None


def write_corpus(folder: Path, files: int, sentences: int = 3, seed: int = 0) -> None:
    """Each file is about its own three words, so a query of those words finds it."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        topic = " ".join(WORDS[(3 * n + k) % len(WORDS)] for k in range(3))
        body = " ".join(
            f"Sentence {s} of file {n}: {topic} {rng.choice(WORDS)}." for s in range(sentences)
        )
        (folder / f"doc{n:03d}.txt").write_text(body, encoding="utf-8")


def broker(home: Path, answer: ConsentAnswer = ConsentAnswer.DENY) -> ConsentBroker:
    asked: list[ConsentRequest] = []

    def ask(request: ConsentRequest) -> ConsentReply:
        asked.append(request)
        return ConsentReply(answer)

    made = ConsentBroker(ConsentStore(home / "consents.json"), ask)
    made.asked = asked  # type: ignore[attr-defined]
    return made


def service(home: Path, embedder: HashEmbedder | None = None, **kw: object) -> RagService:
    return RagService(home, embedder or HashEmbedder(), broker(home), **kw)  # type: ignore[arg-type]


def test_ingest_then_query_finds_each_file_by_its_topic(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs, 30)
    rag = service(tmp_path / "home")
    events: list[IngestProgress] = []
    report = rag.ingest(docs, assume_yes=True, progress=events.append)
    assert (report.files_total, report.files_indexed, report.documents) == (30, 30, 30)
    assert report.chunks == report.chunks_embedded > 0 and report.index_kind == "flat"
    assert report.consent == "once"
    assert events[-1].files_done == events[-1].files_total == 30
    assert events[-1].chunks_embedded == report.chunks_embedded
    for n in (0, 7, 29):
        topic = " ".join(WORDS[3 * n + k] for k in range(3))
        hits = rag.query(topic, k=3)
        assert hits[0].path == str(docs.resolve() / f"doc{n:03d}.txt")
        text = (docs / f"doc{n:03d}.txt").read_text(encoding="utf-8")
        assert text[hits[0].start : hits[0].end] == hits[0].text
    rag.close()


def test_what_is_skipped_and_why(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs, 2)
    (docs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    (docs / "fake.txt").write_bytes(b"text\x00with a NUL")
    (docs / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (docs / "huge.md").write_text("big " * 300_000, encoding="utf-8")
    (docs / ".hidden.txt").write_text("secret", encoding="utf-8")
    (docs / ".git").mkdir()
    (docs / ".git" / "HEAD.txt").write_text("ref", encoding="utf-8")
    (docs / "page.html").write_text(
        "<html><style>p {color: red}</style><p>w100 w101 w102 in a page</p></html>",
        encoding="utf-8",
    )
    settings = IngestSettings(max_file_bytes=1024 * 1024)
    rag = service(tmp_path / "home", settings=settings)
    report = rag.ingest(docs, assume_yes=True)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert reasons == {
        "image.png": "not a text file type (.png)",
        "fake.txt": "binary content",
        "latin1.txt": "not UTF-8 text",
        "huge.md": "larger than 1 MB",
        ".hidden.txt": "hidden file",
    }
    assert report.documents == 3
    (hit,) = rag.query("w100 w101 w102", k=1)
    assert hit.path.endswith("page.html") and "color" not in hit.text and "<p>" not in hit.text
    assert hit.text.strip().startswith("w100 w101 w102")
    rag.close()


def test_unchanged_reingest_embeds_nothing_and_a_changed_file_replaces_its_chunks(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs, 12)
    embedder = HashEmbedder()
    rag = service(tmp_path / "home", embedder)
    first = rag.ingest(docs, assume_yes=True)
    before = embedder.texts_embedded
    again = rag.ingest(docs, assume_yes=True)
    assert (again.chunks_embedded, again.files_unchanged, embedder.texts_embedded) == (
        0, 12, before,
    )  # fmt: skip
    touched = docs / "doc003.txt"
    os.utime(touched, ns=(time.time_ns(), time.time_ns() + 10**9))  # same bytes, new mtime
    assert rag.ingest(docs, assume_yes=True).chunks_embedded == 0
    touched.write_text("Completely new words: zebra quartz lantern.", encoding="utf-8")
    (docs / "doc004.txt").unlink()
    changed = rag.ingest(docs, assume_yes=True)
    assert (changed.files_indexed, changed.files_removed, changed.chunks_embedded) == (1, 1, 1)
    assert changed.documents == 11 and changed.chunks == first.chunks - 1
    hits = rag.query("zebra quartz lantern", k=20)
    assert hits[0].path.endswith("doc003.txt") and "zebra" in hits[0].text
    paths = [h.path for h in rag.query(" ".join(WORDS[9:15]), k=40)]
    assert not any(p.endswith("doc004.txt") for p in paths)
    assert sum(p.endswith("doc003.txt") for p in paths) == 1  # old chunks are gone
    rag.close()
    reopened = service(tmp_path / "home", embedder)
    assert reopened.stats().chunks == changed.chunks
    assert reopened.query("zebra quartz lantern", k=1)[0].path.endswith("doc003.txt")
    reopened.close()


def test_reading_a_folder_needs_consent(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs, 2)
    home = tmp_path / "home"
    denied = RagService(home, HashEmbedder(), broker(home))  # type: ignore[arg-type]
    with pytest.raises(ConsentDenied) as caught:
        denied.ingest(docs)
    message = str(caught.value)
    assert message.count(".") == 1 and message.endswith("pass --yes.")
    assert str(docs.resolve()) in message
    assert len(denied._consent.asked) == 1  # type: ignore[attr-defined]
    assert not (home / RAG_DIR / DB_NAME).exists()  # nothing was read or written
    assert not (home / "consents.json").exists()  # --yes answers for this run only
    once = RagService(home, HashEmbedder(), broker(home))  # type: ignore[arg-type]
    assert once.ingest(docs, assume_yes=True).consent == "once"
    assert ConsentStore(home / "consents.json").grants() == []
    always = broker(home, ConsentAnswer.ALLOW_ALWAYS)
    rag = RagService(home, HashEmbedder(), always)  # type: ignore[arg-type]
    assert rag.ingest(docs).consent == "always"
    assert always.asked[0].scope == read_scope(docs.resolve())  # type: ignore[attr-defined]
    assert rag.ingest(docs).consent == "stored"
    for r in (denied, once, rag):
        r.close()


def test_a_path_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    rag = service(tmp_path / "home")
    with pytest.raises(ConfigError, match="is not a folder; give the folder"):
        rag.ingest(tmp_path / "nowhere", assume_yes=True)
    rag.close()


def test_a_cancelled_ingest_keeps_what_it_committed_and_the_next_run_finishes(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs, 40, sentences=6)
    settings = IngestSettings(chunk_chars=80, overlap=10, commit_chunks=20, embed_batch=10)
    rag = service(tmp_path / "home", settings=settings)
    cancel = threading.Event()

    def stop_midway(event: IngestProgress) -> None:
        if event.files_done >= 15:
            cancel.set()

    with pytest.raises(CancelledError, match="run it again to finish"):
        rag.ingest(docs, assume_yes=True, progress=stop_midway, cancel=cancel)
    partial = rag.stats()
    assert 0 < partial.documents < 40
    rag.close()
    resumed = service(tmp_path / "home", settings=settings)
    report = resumed.ingest(docs, assume_yes=True)
    assert report.files_unchanged == partial.documents
    assert report.documents == 40
    fresh = service(tmp_path / "fresh", settings=settings).ingest(docs, assume_yes=True)
    assert report.chunks == fresh.chunks
    resumed.close()


KILL_SCRIPT = """
import sys
from pathlib import Path
from aurora_desktop.core.rag import IndexConfig, IngestSettings
from tests.core.test_rag_ingest import HashEmbedder, service
home, docs, threshold = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
settings = IngestSettings(chunk_chars=80, overlap=10, commit_chunks=24, embed_batch=8,
                          save_every_s=0.3)
rag = service(home, HashEmbedder(delay_s=0.004), settings=settings,
              index_config=IndexConfig(approximate_above=threshold))
print("started", flush=True)
rag.ingest(docs, assume_yes=True, progress=lambda e: print(e.files_done, flush=True))
rag.close()
print("finished", flush=True)
"""


def agree(home: Path, config: IndexConfig) -> tuple[int, int]:
    """Reopen as a new process would: the index and the store must hold the same ids."""
    rag = service(home, index_config=config)
    stats = rag.stats()
    store = DocumentStore(home / RAG_DIR / DB_NAME, 64)
    db_ids = sorted(store.chunk_ids().tolist())
    store.close()
    rag.close()  # saves the repaired index
    index = VectorIndex.load(home / RAG_DIR / INDEX_NAME, 64, config)
    held = [] if index is None else sorted(index.ids().tolist())
    if index is not None and index.kind == "flat":
        assert held == db_ids
    else:
        assert set(db_ids) <= set(held)
    assert stats.chunks == stats.vectors == len(db_ids)
    return stats.documents, stats.chunks


@pytest.mark.parametrize("threshold", [100_000, 150], ids=["flat", "hnsw"])
def test_kills_at_random_instants_leave_an_index_that_reopens_and_resumes(
    tmp_path: Path, threshold: int
) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs, 120, sentences=5)
    home = tmp_path / "home"
    script = tmp_path / "ingest.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    config = IndexConfig(approximate_above=threshold)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(threshold)
    counts = []
    for _ in range(KILLS):
        if counts and counts[-1][0] >= 100:
            break
        proc = subprocess.Popen(
            [sys.executable, str(script), str(home), str(docs), str(threshold)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "started"
        done = counts[-1][0] if counts else 0
        target = rng.randint(done + 1, min(done + 30, 119))
        for line in proc.stdout:
            if line.strip() == "finished" or int(line) >= target:
                break
        time.sleep(rng.uniform(0.0, 0.02))  # sometimes inside a commit, sometimes between
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        counts.append(agree(home, config))
    finish = subprocess.run(
        [sys.executable, str(script), str(home), str(docs), str(threshold)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert finish.returncode == 0, finish.stderr
    documents, chunks = agree(home, config)
    assert documents == 120
    fresh = service(tmp_path / "fresh", settings=IngestSettings(chunk_chars=80, overlap=10))
    assert chunks == fresh.ingest(docs, assume_yes=True).chunks
    fresh.close()
    assert counts == sorted(counts)  # each kill kept what was committed before it
    assert sum(0 < documents < 120 for documents, _ in counts) >= 3


def test_a_service_opened_earlier_sees_what_another_one_ingested(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs, 10)
    home = tmp_path / "home"
    reader = service(home)
    assert reader.stats().chunks == 0  # opened before anything was ingested
    writer = service(home)
    writer.ingest(docs, assume_yes=True)
    topic = " ".join(WORDS[3 * 4 + k] for k in range(3))
    assert reader.query(topic, k=1)[0].path.endswith("doc004.txt")
    assert reader.stats().vectors == writer.stats().chunks == 10
    writer.close()
    reader.close()
