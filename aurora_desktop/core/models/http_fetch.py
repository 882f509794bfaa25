"""Resumable, size-capped download of one model file over HTTP(S), standard library only."""

from __future__ import annotations

import hashlib
import http.client
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message
from pathlib import Path
from typing import IO

from aurora_desktop.core.errors import IntegrityError, ModelFetchError
from aurora_desktop.core.models.progress import FetchProgress, ProgressCallback
from aurora_desktop.core.models.sink import CHUNK, CappedSink, check_cancel
from aurora_desktop.core.text import phrase

HTTP_CHUNK = 64 * 1024
BACKOFF_S = (0.2, 0.5, 1.0)
USER_AGENT = "Aurora model fetcher"
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


class _Retry(Exception):
    """This attempt failed in a way worth another try (network trouble, a 5xx, a short body)."""


class _RangeRefused(Exception):
    """HTTP 416: the server does not have the bytes after our partial; start from zero."""


def partial_path(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.partial"


def shown_url(url: str) -> str:
    """The URL without credentials, query or fragment (they may hold tokens): for messages."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"


def fetch_url(
    url: str,
    dest: Path,
    *,
    size: int,
    sha256: str,
    progress: ProgressCallback,
    cancel: threading.Event | None,
    retries: int,
    timeout_s: float,
) -> Path:
    """Download `url` to `dest`, resuming a kept partial; place it only if size and hash match.

    The partial is only a head start, never trusted: it is re-hashed and the final size and
    sha256 check covers every byte. An integrity failure deletes it; a network failure or a
    cancel keeps it for the next call.
    """
    sink = _resume(partial_path(dest), size=size, name=dest.name, progress=progress, cancel=cancel)
    try:
        if sink.done < size:
            _download(url, sink, progress, cancel, retries=retries, timeout_s=timeout_s)
        return sink.commit(dest, sha256)
    except IntegrityError:
        sink.discard()
        raise
    finally:
        sink.close()


def _resume(
    partial: Path,
    *,
    size: int,
    name: str,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> CappedSink:
    partial.parent.mkdir(parents=True, exist_ok=True)
    if partial.exists() and partial.stat().st_size > size:
        partial.unlink()
    digest = hashlib.sha256()
    done = 0
    if partial.exists():
        total = partial.stat().st_size
        with partial.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                check_cancel(cancel, phrase("Checking the partial download of {name}", name=name))
                digest.update(chunk)
                done += len(chunk)
                progress(FetchProgress("verify", name, done, total))
    return CappedSink(partial, partial.open("ab"), size=size, name=name, done=done, digest=digest)


def _download(
    url: str,
    sink: CappedSink,
    progress: ProgressCallback,
    cancel: threading.Event | None,
    *,
    retries: int,
    timeout_s: float,
) -> None:
    opener = _opener()
    report = _Reporter(progress, sink)
    failures = 0
    restarted = False
    while True:
        check_cancel(cancel, phrase("Downloading {sink_name}", sink_name=sink.name))
        try:
            _attempt(opener, url, sink, report, cancel, timeout_s)
            return
        except _RangeRefused:
            if restarted:
                raise ModelFetchError(
                    phrase(
                        "The server at {shown_url_url} refused every byte range (HTTP "
                        "416); check the model's source address.",
                        shown_url_url=shown_url(url),
                    )
                ) from None
            restarted = True
            sink.restart()  # the server has fewer bytes than our partial: it is not a prefix
        except _Retry as exc:
            failures += 1
            if failures > retries:
                raise ModelFetchError(
                    phrase(
                        "Could not download {sink_name} from {shown_url_url} after "
                        "{attempts_failures} ({exc}); the {sink_done} bytes received were "
                        "kept, so try again to resume.",
                        sink_name=sink.name,
                        shown_url_url=shown_url(url),
                        attempts_failures=_attempts(failures),
                        exc=exc,
                        sink_done=format(sink.done, ","),
                    )
                ) from exc
            _pause(BACKOFF_S[min(failures, len(BACKOFF_S)) - 1], cancel)


def _attempt(
    opener: urllib.request.OpenerDirector,
    url: str,
    sink: CappedSink,
    report: _Reporter,
    cancel: threading.Event | None,
    timeout_s: float,
) -> None:
    offset = sink.done
    headers = {"Accept-Encoding": "identity", "User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        response = opener.open(urllib.request.Request(url, headers=headers), timeout=timeout_s)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise _status_error(exc.code, str(exc.reason), url, ranged=bool(offset)) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _Retry(_reason(exc)) from exc
    with response:
        _start_body(response.status, response.headers, sink, url)
        report()
        while chunk := _read(response):
            check_cancel(cancel, phrase("Downloading {sink_name}", sink_name=sink.name))
            sink.write(chunk)
            report()
    if sink.done < sink.size:
        raise _Retry(
            phrase(
                "the connection ended after {sink_done} of {sink_size} bytes",
                sink_done=format(sink.done, ","),
                sink_size=format(sink.size, ","),
            )
        )


def _read(response: IO[bytes]) -> bytes:
    try:
        return response.read(HTTP_CHUNK)
    except (OSError, http.client.HTTPException) as exc:
        raise _Retry(_reason(exc)) from exc


def _start_body(status: int, headers: Message, sink: CappedSink, url: str) -> None:
    """Line the sink up with where this response's body starts, or refuse the response."""
    if status == 206:
        match = _CONTENT_RANGE.match(headers.get("Content-Range", "").strip())
        if match is None:
            raise _Retry(phrase("the server sent partial content without a valid Content-Range"))
        if match[3] != "*":
            _check_announced(int(match[3]), sink)
        if int(match[1]) == 0:
            sink.restart()
        elif int(match[1]) != sink.done:
            raise _Retry(
                phrase(
                    "the server sent bytes from {match_1}, not from {sink_done}",
                    match_1=match[1],
                    sink_done=sink.done,
                )
            )
    elif status == 200:
        sink.restart()  # a full body: the server ignored our Range (or there was none)
        length = headers.get("Content-Length", "")
        if length.strip().isdigit():
            _check_announced(int(length), sink)
    else:
        raise _Retry(
            phrase(
                "unexpected HTTP {status} from {shown_url_url}",
                status=status,
                shown_url_url=shown_url(url),
            )
        )


def _check_announced(total: int, sink: CappedSink) -> None:
    if total > sink.size:
        raise IntegrityError(
            phrase(
                "The source of {sink_name} announced {total} bytes, more than the "
                "{sink_size} declared; it was not installed, so check where the "
                "model comes from.",
                sink_name=sink.name,
                total=format(total, ","),
                sink_size=format(sink.size, ","),
            )
        )
    if total < sink.size:
        raise IntegrityError(
            phrase(
                "The source of {sink_name} announced only {total} of the "
                "{sink_size} bytes declared; it was not installed, so check where "
                "the model comes from.",
                sink_name=sink.name,
                total=format(total, ","),
                sink_size=format(sink.size, ","),
            )
        )


def _status_error(code: int, reason: str, url: str, *, ranged: bool) -> Exception:
    if code == 416 and ranged:
        return _RangeRefused()
    if code >= 500 or code in (408, 429):
        return _Retry(f"HTTP {code} {reason}")
    return ModelFetchError(
        phrase(
            "The server answered HTTP {code} ({reason}) for {shown_url_url}; "
            "check the model's source address.",
            code=code,
            reason=reason,
            shown_url_url=shown_url(url),
        )
    )


def _attempts(count: int) -> str:
    return phrase("1 attempt") if count == 1 else phrase("{count} attempts", count=count)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "reason", None) or exc) or type(exc).__name__


def _pause(seconds: float, cancel: threading.Event | None) -> None:
    if cancel is None:
        time.sleep(seconds)
    else:
        cancel.wait(seconds)  # the loop checks `cancel` right after


class _Reporter:
    """Download progress that never goes backwards, even when the server forces a restart."""

    def __init__(self, progress: ProgressCallback, sink: CappedSink) -> None:
        self._progress = progress
        self._sink = sink
        self._high = 0

    def __call__(self) -> None:
        self._high = max(self._high, self._sink.done)
        self._progress(FetchProgress("download", self._sink.name, self._high, self._sink.size))


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise ModelFetchError(
                phrase(
                    "{shown_url_req_full_url} redirects to {shown_url_newurl}, which "
                    "is not http(s); check the model's source address.",
                    shown_url_req_full_url=shown_url(req.full_url),
                    shown_url_newurl=shown_url(newurl),
                )
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    """An opener for http(s) only: no ftp, file or data handlers behind a redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener
