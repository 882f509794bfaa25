"""Local RAG on the real MiniLM: retrieval quality, free re-ingest, changes, kills, the CLI."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.embedding import DEFAULT_EMBEDDING_MODEL, EmbeddingService
from aurora_desktop.core.errors import IntegrityError
from aurora_desktop.core.models.progress import FetchProgress
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.policy.consent import ConsentBroker, ConsentStore
from aurora_desktop.core.rag import RagService, chunk_text, citations, rag_messages
from aurora_desktop.core.rag.service import DB_NAME, RAG_DIR
from tests.support.cli import one_line_error

pytestmark = pytest.mark.integration

PREAMBLE = "This note belongs to a small household library of plain-language explainers."
# (file name, text, a question asked in other words)
TOPICS = [
    ("lighthouse", "Lighthouse keepers trimmed lamp wicks and wound the clockwork that turned "
     "the lens, so ships could see the beam from far out at sea.",
     "Who looked after the lamp that warned ships near the coast?"),
    ("sourdough", "A sourdough starter is flour and water colonised by wild yeast and lactic "
     "bacteria; feed it daily and it will leaven bread without packaged yeast.",
     "How do I keep the natural leaven for my bread alive?"),
    ("honeybees", "A honeybee colony has one queen laying eggs, thousands of female workers "
     "foraging for nectar, and drones whose only task is mating.",
     "What jobs do the insects in a hive have?"),
    ("volcano", "Magma rising through the crust collects in a chamber; when gas pressure "
     "builds, the volcano erupts ash and lava flows down its flanks.",
     "Why does a mountain suddenly spew molten rock?"),
    ("chess", "The Sicilian Defence answers 1.e4 with c5, fighting for the centre "
     "asymmetrically, and is Black's most popular reply in master games.",
     "What is a good reply for black when white opens with the king's pawn?"),
    ("marathon", "Marathon training builds weekly mileage slowly, with one long run each "
     "weekend and a two-week taper before the 42-kilometre race.",
     "How should I prepare my legs for a 42 km running race?"),
    ("coral", "Coral reefs are built by tiny polyps that host algae; warm water makes them "
     "expel the algae, and the bleached coral may starve.",
     "Why do reefs turn white when the ocean heats up?"),
    ("jazz", "Jazz musicians improvise solos over chord changes, trading choruses and "
     "quoting melodies while the rhythm section keeps swinging.",
     "How do players make up tunes on the spot in a swing band?"),
    ("aqueduct", "Roman aqueducts carried water to cities on a gentle downhill gradient, "
     "crossing valleys on arched stone bridges.",
     "How did ancient Rome bring drinking water into town?"),
    ("solar", "Photovoltaic panels turn sunlight into direct current; an inverter converts "
     "it to alternating current for the household wiring.",
     "How does electricity from rooftop sun panels reach my sockets?"),
    ("teaceremony", "In the Japanese tea ceremony the host whisks powdered matcha in a bowl "
     "and guests turn the bowl before sipping, following a calm ritual.",
     "What happens during the traditional matcha ritual in Japan?"),
    ("glacier", "Glaciers form where snow accumulates faster than it melts, compressing "
     "into ice that flows downhill and carves U-shaped valleys.",
     "How do rivers of ice shape the mountains?"),
    ("origami", "Origami folds a single square sheet of paper into cranes and boxes "
     "without cutting or glue, using valley and mountain folds.",
     "How do you make a paper crane without scissors?"),
    ("vaccines", "Vaccines train the immune system with a harmless piece of a pathogen, so "
     "antibodies and memory cells are ready before a real infection.",
     "How does an injection protect me from catching a disease later?"),
    ("blackhole", "A black hole is a region where gravity is so strong that nothing, not "
     "even light, escapes past the event horizon.",
     "Why can't light get out of a collapsed star?"),
    ("cheese", "Cheesemakers curdle milk with rennet, cut and drain the curds, press them "
     "into wheels and age them in cool cellars for months.",
     "How is milk turned into a wheel of aged cheddar?"),
    ("knitting", "Knitting loops yarn with two needles; knit and purl stitches combine into "
     "ribbing, and casting off finishes the edge of a scarf.",
     "How do I finish the edge of the scarf I am making with needles and wool?"),
    ("whales", "Humpback whales migrate thousands of kilometres each year between cold "
     "feeding grounds and warm tropical breeding waters.",
     "Where do the big singing sea mammals travel every year?"),
    ("bicycle", "To fix a flat bicycle tyre, lever the tyre off the rim, patch or replace "
     "the inner tube, and pump it back to the right pressure.",
     "My bike has a puncture; how do I repair it?"),
    ("coffee", "Coffee roasting turns green beans brown; first crack signals a light roast "
     "and longer roasting brings darker, more bitter flavours.",
     "What changes when beans are roasted longer for espresso?"),
    ("tornado", "Tornadoes form when warm moist air meets cold dry air under a supercell "
     "thunderstorm, spinning into a violent funnel cloud.",
     "What weather produces a twister?"),
    ("photosynthesis", "In photosynthesis, chloroplasts use sunlight to turn carbon dioxide "
     "and water into glucose, releasing oxygen.",
     "How do green leaves make sugar from light?"),
    ("castle", "Medieval castles had moats, drawbridges and thick curtain walls with "
     "towers, so defenders could hold off a siege.",
     "How were fortresses in the Middle Ages defended against attackers?"),
    ("guitar", "An electric guitar's pickups are magnets wrapped in wire that sense the "
     "vibrating steel strings and send a signal to the amplifier.",
     "How does the sound of the strings get to the amp?"),
    ("cactus", "Cacti store water in thick stems, have spines instead of leaves to lose "
     "less moisture, and survive months of desert drought.",
     "How do desert plants go so long without rain?"),
    ("pyramids", "The Great Pyramid of Giza was built for the pharaoh Khufu from about two "
     "million limestone blocks hauled on sledges.",
     "Which king was the largest Egyptian tomb made for?"),
    ("passwords", "A strong password is long and unique for each site; a password manager "
     "stores them and two-factor authentication adds a second check.",
     "How can I keep my online accounts from being hacked?"),
    ("houseplants", "Most houseplants should be watered when the top centimetre of soil is "
     "dry; soggy soil rots the roots.",
     "How often should I water the pots in my living room?"),
    ("pottery", "Potters fire clay in a kiln at over 1000 degrees Celsius; glaze melts into "
     "glass on the surface during the second firing.",
     "How does a ceramic bowl get its shiny coating?"),
    ("earthquake", "Earthquakes happen when tectonic plates slip along a fault, releasing "
     "stored strain as seismic waves measured on the magnitude scale.",
     "What makes the ground shake and how is its strength measured?"),
    ("taxes", "To file a tax return, gather income statements and receipts for deductions, "
     "then submit the form before the deadline to avoid penalties.",
     "What do I need before sending my yearly income declaration?"),
    ("sushi", "Sushi rice is seasoned with vinegar, sugar and salt, then pressed with raw "
     "fish or rolled in nori seaweed.",
     "How is the rice for Japanese raw fish rolls prepared?"),
    ("satellites", "GPS receivers time signals from several satellites; the delays give the "
     "distances, and four of them fix a position on Earth.",
     "How does my phone know where I am from space?"),
]  # fmt: skip
TOP = 3


def write_topics(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text, _ in TOPICS:
        (folder / f"{name}.md").write_text(f"# {name}\n\n{PREAMBLE}\n\n{text}\n", encoding="utf-8")


def deny_broker(home: Path) -> ConsentBroker:
    return ConsentBroker(ConsentStore(home / "consents.json"))  # asks no one: "deny"


@pytest.fixture
def rag(aurora_home: AuroraHome, embedding_service: EmbeddingService) -> Iterator[RagService]:
    service = RagService(aurora_home.root, embedding_service, deny_broker(aurora_home.root))
    yield service
    service.close()


def test_the_embedding_service_installs_verifies_and_loads_once(aurora_home: AuroraHome) -> None:
    core = build_core()
    service = EmbeddingService(core.store, core.catalog)
    assert not service.loaded
    events: list[FetchProgress] = []
    service.ensure(events.append)
    phases = [e.phase for e in events]
    assert "extract" in phases and phases[-2:] == ["load", "ready"]
    assert service.loaded and service.dimension == 384
    assert service.provider.endswith("ExecutionProvider")
    first = service._embedder  # one model object however many threads ask
    workers = [threading.Thread(target=service.ensure, name=f"ensure-{n}") for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert service._embedder is first
    vectors = service.embed(["a cat sat on the mat", "a kitten lay on a rug", "revenue grew"])
    assert vectors.shape == (3, 384) and service.texts_embedded == 3
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert service.embed([]).shape == (0, 384)
    service.close()
    assert not service.loaded
    model = core.store.active(DEFAULT_EMBEDDING_MODEL).folder / "model.onnx"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a flipped byte inside the weights
    model.write_bytes(bytes(data))
    tampered = EmbeddingService(core.store, core.catalog)
    with pytest.raises(IntegrityError):
        tampered.ensure()
    assert not tampered.loaded
    core.close()


def test_the_right_source_is_in_the_top_three_for_every_question(
    rag: RagService, tmp_path: Path, embedding_service: EmbeddingService
) -> None:
    docs = tmp_path / "docs"
    write_topics(docs)
    report = rag.ingest(docs, assume_yes=True)
    assert report.documents == len(TOPICS) >= 30
    assert embedding_service.provider.endswith("ExecutionProvider")
    misses, first = [], 0
    for name, _, question in TOPICS:
        hits = rag.query(question, k=TOP)
        names = [Path(h.path).stem for h in hits]
        first += names[0] == name
        if name not in names:
            misses.append((question, names))
    assert misses == []
    assert first >= len(TOPICS) - 3
    hits = rag.query(TOPICS[0][2], k=TOP)
    system, user = rag_messages(TOPICS[0][2], hits)
    assert "lighthouse.md" in user.content and "numbered sources" in system.content
    assert citations(hits)[0]["path"] == str((docs / "lighthouse.md").resolve())


def test_unchanged_reingest_does_no_embedding_work_and_a_change_replaces_chunks(
    rag: RagService, tmp_path: Path, embedding_service: EmbeddingService
) -> None:
    docs = tmp_path / "docs"
    write_topics(docs)
    first = rag.ingest(docs, assume_yes=True)
    embedded = embedding_service.texts_embedded
    again = rag.ingest(docs, assume_yes=True)
    assert (again.chunks_embedded, again.files_unchanged) == (0, len(TOPICS))
    assert embedding_service.texts_embedded == embedded
    (docs / "cheese.md").write_text(
        "# cheese\n\nGoat cheese is best eaten fresh within a week, spread on warm toast.\n",
        encoding="utf-8",
    )
    changed = rag.ingest(docs, assume_yes=True)
    assert (changed.files_indexed, changed.chunks_embedded) == (1, 1)
    assert embedding_service.texts_embedded == embedded + 1
    assert changed.chunks == first.chunks
    top = rag.query("How long does fresh goat cheese keep?", k=1)[0]
    assert top.path.endswith("cheese.md") and "Goat" in top.text
    old = rag.query("pressing curds into wheels aged in cellars with rennet", k=len(TOPICS))
    assert all("rennet" not in h.text for h in old)


# -- the command line ------------------------------------------------------------------------


def rag_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "aurora_desktop", "rag", *args]


def run_rag(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        rag_command(*args), capture_output=True, text=True, stdin=subprocess.DEVNULL,
        timeout=timeout,
    )  # fmt: skip


def test_without_yes_a_non_interactive_run_refuses_in_one_sentence(
    aurora_home: AuroraHome, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    write_topics(docs)
    proc = run_rag("ingest", str(docs))
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert str(docs.resolve()) in line and line.endswith("pass --yes.")
    assert not (aurora_home.root / RAG_DIR / DB_NAME).exists()
    assert not (aurora_home.models / "model_manifest.json").exists()  # nothing fetched either


def test_cli_ingest_and_query(encoders_home: AuroraHome, tmp_path: Path) -> None:
    empty = run_rag("query", "anything")
    assert "Nothing has been ingested yet" in one_line_error(empty)
    docs = tmp_path / "docs"
    write_topics(docs)
    (docs / "photo.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(100))
    (docs / "broken.txt").write_bytes(b"\x00\x01binary")
    ingest = run_rag("ingest", str(docs), "--yes")
    assert ingest.returncode == 0, ingest.stderr
    assert "chunks/min" in ingest.stderr and "Ingesting" in ingest.stderr
    assert "broken.txt: binary content" in ingest.stderr
    summary = ingest.stdout.strip()
    assert summary.startswith(f"Ingested {docs.resolve()}: {len(TOPICS) + 2} files seen (")
    assert f"{len(TOPICS)} new or changed" in summary and "2 skipped" in summary
    query = run_rag("query", "Why can't light get out of a collapsed star?", "--k", "2", "--json")
    assert query.returncode == 0, query.stderr
    data = json.loads(query.stdout)
    assert data["hits"][0]["path"].endswith("blackhole.md") and len(data["hits"]) == 2
    assert data["citations"][0] == {
        "n": 1, "path": data["hits"][0]["path"], "start": data["hits"][0]["start"],
        "end": data["hits"][0]["end"], "chunk": 0, "score": round(data["hits"][0]["score"], 4),
    }  # fmt: skip
    assert data["using"] == "fused" and "vector" in data["hits"][0]["found_by"]
    text = run_rag("query", "How do green leaves make sugar from light?")
    assert text.returncode == 0 and "photosynthesis.md" in text.stdout.splitlines()[0]
    words = run_rag("query", 'rennet "curds" AND NEAR(', "--using", "lexical", "--json")
    assert words.returncode == 0, words.stderr  # FTS5 syntax in a question is only words
    found = json.loads(words.stdout)["hits"]
    assert found[0]["path"].endswith("cheese.md") and found[0]["found_by"] == ["lexical"]
    bad = run_rag("query", "x", "--k", "0")
    assert "--k: must be a whole number from 1 to 100, not '0'" in one_line_error(bad)


KILL_FILES = 1200  # enough batches for the kill to land mid-ingest with the fast encoder


def write_many(folder: Path) -> None:
    """A larger folder: each file a few paragraphs about one numbered topic."""
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(KILL_FILES):
        name, text, _ = TOPICS[n % len(TOPICS)]
        extra = " ".join(rng.choice(TOPICS)[1] for _ in range(2))
        (folder / f"{n:03d}-{name}.txt").write_text(
            f"Record {n}. {text}\n\n{extra}\n\nRecord {n} ends.", encoding="utf-8"
        )


def stored_documents(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_a_kill_during_ingest_leaves_an_index_that_reopens_and_the_next_run_finishes(
    encoders_home: AuroraHome, tmp_path: Path, embedding_service: EmbeddingService
) -> None:
    docs = tmp_path / "many"
    write_many(docs)
    db = encoders_home.root / RAG_DIR / DB_NAME
    proc = subprocess.Popen(
        rag_command("ingest", str(docs), "--yes"),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 240
    while stored_documents(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(random.Random(3).uniform(0.2, 1.5))  # somewhere inside the next batch
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    committed = stored_documents(db)
    assert 0 < committed < KILL_FILES

    reopened = RagService(encoders_home.root, embedding_service, deny_broker(encoders_home.root))
    stats = reopened.stats()
    assert stats.documents == committed and stats.vectors == stats.chunks > 0
    hits = reopened.query("Why do reefs turn white when the ocean heats up?", k=3)
    assert hits and "coral" in Path(hits[0].path).name
    reopened.close()

    finish = run_rag("ingest", str(docs), "--yes")
    assert finish.returncode == 0, finish.stderr
    assert f"{committed} unchanged" in finish.stdout
    expected_chunks = sum(len(chunk_text(p.read_text(encoding="utf-8"))) for p in docs.iterdir())
    assert f"the index holds {KILL_FILES} documents and {expected_chunks} chunks" in finish.stdout
    final = RagService(encoders_home.root, embedding_service, deny_broker(encoders_home.root))
    stats = final.stats()
    assert (stats.documents, stats.chunks, stats.vectors) == (KILL_FILES, *[expected_chunks] * 2)
    final.close()


KOREAN = [
    ("busan", "부산항은 한국에서 가장 큰 항구로, 해마다 컨테이너 이천만 개 이상을 처리한다."),
    ("kimchi", "김치는 배추를 소금에 절인 뒤 고춧가루와 마늘로 양념해 발효시킨 음식이다."),
    ("hangeul", "훈민정음은 세종대왕이 1443년에 만든 문자로, 오늘날 한글이라고 부른다."),
]  # fmt: skip
RARE = (  # one code inside a long paragraph about something else
    "Notes from the allotment meeting. We agreed to rotate the beds this spring: potatoes "
    "move to the north plot, beans follow the onions, and the squash stays by the compost. "
    "The water butts need new lids before the summer, and the shed roof leaks at the back "
    "corner. Someone asked about QX-4471 again. Seed orders go in before the end of the "
    "month, and the hedge is cut after the birds have nested."
)


def test_a_rare_word_finds_its_document_where_vectors_alone_do_not(
    rag: RagService, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    write_topics(docs)
    allotment = docs / "allotment.txt"
    allotment.write_text(f"{RARE}\n", encoding="utf-8")
    for name, text in KOREAN:
        (docs / f"{name}.txt").write_text(f"{text}\n", encoding="utf-8")
    rag.ingest(docs, assume_yes=True)
    question = "What is QX-4471?"
    by_meaning = [Path(h.path).name for h in rag.query(question, k=3, using="vector")]
    assert "allotment.txt" not in by_meaning  # the code means nothing to the encoder
    fused = rag.query(question, k=3)
    assert Path(fused[0].path).name == "allotment.txt" and "lexical" in fused[0].found_by
    assert rag.documents(question, k=1) == [str(allotment.resolve())]
    # Korean glues particles to nouns: 부산항이 / 김치를 still find 부산항은 / 김치는
    for question, name in [("부산항이 처리하는 컨테이너는 몇 개인가?", "busan.txt"),
                           ("김치를 만들 때 쓰는 양념은?", "kimchi.txt"),
                           ("한글을 만든 왕은 누구인가?", "hangeul.txt")]:  # fmt: skip
        hits = rag.query(question, k=3)
        assert Path(hits[0].path).name == name, (question, [h.path for h in hits])
        assert "lexical" in hits[0].found_by
