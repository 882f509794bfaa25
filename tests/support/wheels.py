"""Builds real wheel files and serves them from a PEP 503 index on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def build_wheel(folder: Path, package: str, version: str, members: dict[str, bytes]) -> Path:
    """Write a minimal valid wheel holding `members` (pip accepts it for `download`)."""
    dist = package.replace("-", "_")
    path = folder / f"{dist}-{version}-py3-none-any.whl"
    info = f"{dist}-{version}.dist-info"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr(
            f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n"
        )
        archive.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        archive.writestr(f"{info}/RECORD", "")
    return path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class LocalIndex:
    """A simple package index on 127.0.0.1; `hits` counts wheel downloads."""

    url: str
    files: Path
    hits: dict[str, int] = field(default_factory=dict)

    def pip_env(self) -> dict[str, str]:
        """Environment that points pip at this index alone."""
        return {
            "PIP_INDEX_URL": f"{self.url}/simple/",
            "PIP_EXTRA_INDEX_URL": "",
            "PIP_FIND_LINKS": "",
            "PIP_NO_CACHE_DIR": "1",
            "PIP_RETRIES": "0",
            "PIP_TIMEOUT": "5",
        }


@contextmanager
def serve_index(files: Path) -> Iterator[LocalIndex]:
    index = LocalIndex(url="", files=files)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            parts = [p for p in self.path.split("?")[0].split("/") if p]
            if len(parts) == 2 and parts[0] == "simple":
                self._project(parts[1])
            elif len(parts) == 2 and parts[0] == "files" and (files / parts[1]).is_file():
                data = (files / parts[1]).read_bytes()
                index.hits[parts[1]] = index.hits.get(parts[1], 0) + 1
                self._send(200, data, "application/octet-stream")
            else:
                self._send(404, b"not found", "text/plain")

        def _project(self, project: str) -> None:
            norm = project.lower().replace("-", "_")
            links = [
                f'<a href="/files/{w.name}#sha256={sha256_bytes(w.read_bytes())}">{w.name}</a>'
                for w in sorted(files.glob("*.whl"))
                if w.name.lower().startswith(norm + "-")
            ]
            if not links:
                self._send(404, b"not found", "text/plain")
                return
            body = "<html><body>" + "<br>".join(links) + "</body></html>"
            self._send(200, body.encode(), "text/html")

        def _send(self, code: int, body: bytes, kind: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    index.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="test-index", daemon=True)
    thread.start()
    try:
        yield index
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
