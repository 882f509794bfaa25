"""A file-backed keyring for tests (the OS keyring is not available on CI machines).

Select it with `PYTHON_KEYRING_BACKEND=tests.support.keyring_backend.JsonFileKeyring` and
`AURORA_TEST_KEYRING_FILE=/some/tmp/keyring.json` (kept outside AURORA_HOME).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

FILE_ENV = "AURORA_TEST_KEYRING_FILE"


class JsonFileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        """Outside a test (no file named) it behaves like no usable keyring at all."""
        if not os.environ.get(FILE_ENV):
            raise KeyringError(f"{FILE_ENV} is not set, so the test keyring has no file")
        return Path(os.environ[FILE_ENV])

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self._path.read_text())
        except FileNotFoundError:
            return {}
        return {str(k): str(v) for k, v in data.items()}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\x00{username}", None) is None:
            raise PasswordDeleteError(f"no secret for {service}/{username}")
        self._path.write_text(json.dumps(data))
