"""Where the user's data lives: a per-user folder, or `AURORA_HOME` when it is set."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase

HOME_ENV = "AURORA_HOME"
CACHE_ENV = "AURORA_CACHE"
MODEL_KINDS = ("llm", "embedding", "tts", "asr")
STALE_TEMP_S = 15 * 60  # a temp file untouched this long belongs to no live write
_TEMP_NAME = re.compile(r"\.(?:.+\.[a-z0-9_]{8}\.part|probe-[a-z0-9_]{8})")


@dataclass(frozen=True, slots=True)
class AuroraHome:
    """The folder that holds everything the user owns, and the names inside it."""

    root: Path
    cache: Path

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def router_file(self) -> Path:
        return self.root / "model_router.json"

    @property
    def metrics_file(self) -> Path:
        return self.root / "metrics.db"

    @property
    def instance_key(self) -> str:
        """A stable name for single-instance locking, one per data folder."""
        return str(self.root.resolve())

    def model_dir(self, kind: str, name: str, version: str) -> Path:
        if kind not in MODEL_KINDS:
            raise ConfigError(
                phrase(
                    "Unknown model kind {kind}; use one of {join_MODEL_KINDS}.",
                    kind=repr(kind),
                    join_MODEL_KINDS=", ".join(MODEL_KINDS),
                )
            )
        return self.models / kind / name / version


def resolve_home(env: Mapping[str, str] | None = None) -> AuroraHome:
    """Pick the data folder (env var first, then the platform's per-user folder)."""
    env = os.environ if env is None else env
    raw = env.get(HOME_ENV, "").strip()
    root = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("Aurora", False))
    raw_cache = env.get(CACHE_ENV, "").strip()
    cache = (
        Path(raw_cache).expanduser()
        if raw_cache
        else Path(platformdirs.user_cache_dir("Aurora", False))
    )
    return AuroraHome(root=root, cache=cache)


def sweep_stale_temp_files(home: AuroraHome, now: float | None = None) -> list[Path]:
    """Remove the temp files a killed process left behind; the paths removed.

    Only Aurora's own hidden temp names (`.NAME.XXXXXXXX.part` from `atomic_writer`,
    `.probe-XXXXXXXX`), only regular files, only in the folders of small files written in
    one go, and only when untouched for `STALE_TEMP_S`: no live write takes that long. Model
    downloads (`models/.staging/`, resumable and possibly slow) are never touched.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    for folder in (home.root, home.root / "trust", home.models, home.root / "rag"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not _TEMP_NAME.fullmatch(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMP_S:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except OSError:
                continue  # gone already, or not ours to remove
    return removed


def prepare_home(home: AuroraHome) -> AuroraHome:
    """Create the folders Aurora needs and prove the data folder is readable and writable."""
    root = home.root
    if root.exists() and not root.is_dir():
        raise ConfigError(
            phrase(
                "Aurora's data folder {root} is a file, not a folder; point "
                "{HOME_ENV} at a folder you own.",
                root=root,
                HOME_ENV=HOME_ENV,
            )
        )
    try:
        for sub in (root, home.models, *(home.models / kind for kind in MODEL_KINDS)):
            sub.mkdir(parents=True, exist_ok=True)
        os.listdir(root)
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=root)
        os.close(fd)
        os.unlink(probe)
        sweep_stale_temp_files(home)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            phrase(
                "Aurora cannot read and write its data folder {root} ({reason}); "
                "point {HOME_ENV} at a folder you own.",
                root=root,
                reason=reason,
                HOME_ENV=HOME_ENV,
            )
        ) from exc
    return home
