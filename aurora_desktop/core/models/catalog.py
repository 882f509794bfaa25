"""The catalog of installable models: signed entries with the sources of their files.

An entry whose signature does not verify against a trusted key is kept out of the catalog
(with the reason), so it can never be fetched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from aurora_desktop.core.errors import ManifestError, ModelError, SignatureError
from aurora_desktop.core.models.manifest import ModelEntry, parse_entry, version_key
from aurora_desktop.core.models.schema import CATALOG_SCHEMA
from aurora_desktop.core.models.signing import verify_entry
from aurora_desktop.core.models.trust import TrustStore
from aurora_desktop.core.text import phrase

MAX_CATALOG_BYTES = 2_000_000
_TOP_LEVEL = {
    **CATALOG_SCHEMA,
    "properties": {**CATALOG_SCHEMA["properties"], "models": {"type": "array", "maxItems": 500}},
}


@dataclass(frozen=True, slots=True)
class Catalog:
    default_llm: str
    entries: tuple[ModelEntry, ...]
    rejected: dict[str, str]  # "name version" -> why it was refused

    def get(self, name: str, version: str | None = None) -> ModelEntry:
        """The named entry (newest version unless `version` is given)."""
        label = f"{name} {version}" if version else name
        matches = [e for e in self.entries if e.name == name and version in (None, e.version)]
        if not matches:
            refused = [why for key, why in self.rejected.items() if key.split(" ")[0] == name]
            if refused:
                raise SignatureError(refused[0])
            known = ", ".join(sorted({e.name for e in self.entries})) or phrase("none")
            raise ModelError(
                phrase(
                    "The catalog has no model {label}; available: {known}.",
                    label=label,
                    known=known,
                )
            )
        return max(matches, key=lambda e: version_key(e.version))

    @property
    def default(self) -> ModelEntry:
        return self.get(self.default_llm)


def load_catalog(path: Path, trust: TrustStore) -> Catalog:
    """Read the catalog and keep only entries signed by a trusted key."""
    try:
        if path.stat().st_size > MAX_CATALOG_BYTES:
            raise ManifestError(
                phrase("The model catalog {path} is too large to be genuine.", path=path)
            )
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(
            phrase("The model catalog {path} cannot be read ({exc}).", path=path, exc=exc.strerror)
        ) from exc
    except ValueError as exc:
        raise ManifestError(
            phrase("The model catalog {path} is not valid JSON ({exc}).", path=path, exc=exc)
        ) from exc
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(_TOP_LEVEL).iter_errors(data)
    )
    if error is not None:
        raise ManifestError(
            phrase("The model catalog {path} is invalid ({error}).", path=path, error=error.message)
        )
    keys = trust.public_keys()
    entries: list[ModelEntry] = []
    rejected: dict[str, str] = {}
    for index, raw in enumerate(data["models"]):
        where = phrase("{path} (model {index_1})", path=path, index_1=index + 1)
        try:
            entry = parse_entry(raw, where=where, with_source=True)
            verify_entry(entry.record, keys)
        except (ManifestError, SignatureError) as exc:
            label = (
                f"{raw.get('name', '?')} {raw.get('version', '?')}"
                if isinstance(raw, dict)
                else where
            )
            rejected[label] = str(exc)
            continue
        entries.append(entry)
    return Catalog(str(data["default_llm"]), tuple(entries), rejected)


class CatalogLoader:
    """Reads the catalog on first use and keeps it (a broken catalog never blocks other work)."""

    def __init__(self, path: Path, trust: TrustStore) -> None:
        self.path = path
        self._trust = trust
        self._catalog: Catalog | None = None

    def __call__(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog(self.path, self._trust)
        return self._catalog
