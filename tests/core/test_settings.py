"""settings.json: defaults, schema checks, round trip, atomic writes and change listeners."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.policy.pii import ALL_KINDS
from aurora_desktop.core.settings import Settings, SettingsFile, api_bind_warning, validate


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path / "settings.json")
    current = settings.current()
    assert current == Settings()
    assert current.language == "system"
    assert current.idle_unload_min == 10
    assert current.warm_models == ()
    assert current.start_at_login is False
    assert current.pii_kinds == ALL_KINDS
    assert current.consent_timeout_s == 60
    assert settings.problem is None
    assert not (tmp_path / "settings.json").exists()  # nothing written until a change


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    first = SettingsFile(path)
    first.update(language="ko", idle_unload_min=25, warm_models=["smollm2"],
                 pii_kinds=frozenset({"EMAIL", "RRN"}), start_at_login=True)  # fmt: skip
    again = SettingsFile(path).current()
    assert again.language == "ko"
    assert again.idle_unload_min == 25
    assert again.warm_models == ("smollm2",)
    assert again.pii_kinds == frozenset({"EMAIL", "RRN"})
    assert again.start_at_login is True
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["pii_kinds"] == ["RRN", "EMAIL"]  # stable order (PRIORITY)


def test_a_partial_file_fills_in_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"idle_unload_min": 3}', encoding="utf-8")
    current = SettingsFile(path).current()
    assert current.idle_unload_min == 3
    assert current.language == "system"


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"idle_unload_min": 0}',
        '{"idle_unload_min": "10"}',
        '{"language": "fr"}',
        '{"pii_kinds": ["EMAIL", "SSN"]}',
        '{"start_at_login": "yes"}',
        '{"colour": "blue"}',
    ],
)
def test_an_invalid_file_keeps_the_defaults_with_a_sentence(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    settings = SettingsFile(path)
    assert settings.current() == Settings()
    assert isinstance(settings.problem, ConfigError)
    message = str(settings.problem)
    assert message.endswith(".") and ("fix" in message or "delete" in message)
    assert path.read_text(encoding="utf-8") == content  # left for the user to fix


def test_an_unreadable_file_keeps_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()  # a folder where the file should be
    settings = SettingsFile(path)
    assert settings.current() == Settings()
    assert settings.problem is not None


def test_update_validates_and_changes_nothing_on_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = SettingsFile(path)
    settings.update(idle_unload_min=5)
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="idle_unload_min"):
        settings.update(idle_unload_min=0, language="ko")
    with pytest.raises(ConfigError, match="no setting called colour"):
        settings.update(colour="blue")
    with pytest.raises(ConfigError):
        settings.update(pii_kinds=["EMAIL", "NOPE"])
    assert settings.current().idle_unload_min == 5
    assert settings.current().language == "system"
    assert path.read_bytes() == before


def test_listeners_hear_the_changed_names(tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path / "settings.json")
    heard: list[tuple[Settings, frozenset[str]]] = []
    settings.changed.append(lambda new, names: heard.append((new, names)))
    settings.update(language="en", idle_unload_min=10)  # idle is unchanged
    settings.update(language="en")  # nothing changes: no call
    assert len(heard) == 1
    assert heard[0][1] == frozenset({"language"})
    assert heard[0][0].language == "en"


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    settings = SettingsFile(path)
    settings.update(idle_unload_min=7)
    good = path.read_bytes()

    def crash(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        settings.update(idle_unload_min=8)
    assert path.read_bytes() == good  # the old file is whole
    # no temp file left: only the file, its last valid copy and its lock
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".settings.json.lock", "settings.json", "settings.json.last-good"]
    assert settings.current().idle_unload_min == 7
    assert SettingsFile(path).current().idle_unload_min == 7


def test_an_update_repairs_an_invalid_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{broken", encoding="utf-8")
    settings = SettingsFile(path)
    settings.update(language="ko")
    assert settings.problem is None
    assert SettingsFile(path).current().language == "ko"


def test_validate_accepts_the_written_form() -> None:
    assert validate(Settings().to_json()) == Settings()


def test_build_core_reads_the_settings(aurora_home: object) -> None:
    from aurora_desktop.app.wiring import build_core
    from aurora_desktop.core.paths import resolve_home
    from aurora_desktop.core.settings import settings_path

    path = settings_path(resolve_home())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"pii_kinds": ["EMAIL"], "idle_unload_min": 3}', encoding="utf-8")
    core = build_core()
    try:
        assert core.settings.current().pii_kinds == frozenset({"EMAIL"})
        assert core.pipeline.cloud._masker.kinds == frozenset({"EMAIL"})
    finally:
        core.close()


def test_the_api_is_off_on_loopback_with_keys_by_default(tmp_path: Path) -> None:
    current = SettingsFile(tmp_path / "settings.json").current()
    assert current.api_enabled is False
    assert current.api_port == 11470 and current.api_port not in (11434, 1234)
    assert current.api_require_key is True
    assert current.api_origins == ()
    assert current.api_bind == "127.0.0.1"
    assert api_bind_warning(current) is None


def test_the_api_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    SettingsFile(path).update(
        api_enabled=True,
        api_port=18080,
        api_require_key=False,
        api_origins=("http://localhost:3000", "chrome-extension://abcdefgh"),
        api_bind="::1",
    )
    again = SettingsFile(path).current()
    assert again.api_enabled is True and again.api_port == 18080
    assert again.api_require_key is False and again.api_bind == "::1"
    assert again.api_origins == ("http://localhost:3000", "chrome-extension://abcdefgh")


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"api_port": 80}, "api_port"),
        ({"api_port": 70000}, "api_port"),
        ({"api_port": "11470"}, "api_port"),
        ({"api_enabled": "yes"}, "api_enabled"),
        ({"api_origins": ["null"]}, "api_origins"),
        ({"api_origins": ["*"]}, "api_origins"),
        ({"api_origins": ["http://app.example/path"]}, "api_origins"),
        ({"api_origins": ["http://localhost:3000\n"]}, "api_origins"),
        ({"api_origins": ["http://a.example", "http://a.example"]}, "api_origins"),
        ({"api_bind": "my-laptop"}, "api_bind"),
        ({"api_bind": "127.0.0.1\n"}, "api_bind"),
        ({"api_bind": "0.0.0.0", "api_require_key": False}, "api_require_key"),
    ],
)
def test_unsafe_or_invalid_api_settings_are_refused(
    tmp_path: Path, changes: dict[str, object], where: str
) -> None:
    path = tmp_path / "settings.json"
    settings = SettingsFile(path)
    settings.update(api_port=12000)
    before = path.read_bytes()
    with pytest.raises(ConfigError, match=where) as caught:
        settings.update(**changes)
    assert str(caught.value).endswith("fix or reset them.")
    assert path.read_bytes() == before


def test_binding_beyond_loopback_takes_the_setting_and_comes_with_a_warning(
    tmp_path: Path,
) -> None:
    settings = SettingsFile(tmp_path / "settings.json")
    for bind in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        assert api_bind_warning(settings.update(api_bind=bind)) is None
    wide = settings.update(api_bind="0.0.0.0")
    warning = api_bind_warning(wide)
    assert warning is not None and "0.0.0.0" in warning and warning.endswith(".")
    assert wide.api_require_key is True


def test_a_file_that_turns_keys_off_beyond_loopback_keeps_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"api_bind": "0.0.0.0", "api_require_key": false}', encoding="utf-8")
    settings = SettingsFile(path)
    assert settings.current() == Settings()
    assert settings.problem is not None and "api_require_key" in str(settings.problem)
