"""Consent: allow once, always (with expiry), deny; persisted; a non-interactive CLI denies."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurora_desktop.core.errors import ConsentDenied
from aurora_desktop.core.policy.consent import (
    ConsentAnswer,
    ConsentBroker,
    ConsentReply,
    ConsentRequest,
    ConsentStore,
    deny_all,
)

REQUEST = ConsentRequest(
    scope="cloud.send:acme",
    recipient="acme (https://acme.test/v1)",
    why="Rule 4 matched.",
    preview="Hello <EMAIL_1>",
    bytes_out=15,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Asker:
    def __init__(self, *replies: ConsentReply) -> None:
        self.replies = list(replies)
        self.seen: list[ConsentRequest] = []

    def __call__(self, request: ConsentRequest) -> ConsentReply:
        self.seen.append(request)
        return self.replies.pop(0)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> ConsentStore:
    return ConsentStore(tmp_path / "consents.json", clock)


def test_allow_once_asks_every_time(store: ConsentStore) -> None:
    asker = Asker(ConsentReply(ConsentAnswer.ALLOW_ONCE), ConsentReply(ConsentAnswer.ALLOW_ONCE))
    broker = ConsentBroker(store, asker)
    assert broker.require(REQUEST) == "once"
    assert broker.require(REQUEST) == "once"
    assert len(asker.seen) == 2 and store.grants() == []
    assert asker.seen[0].preview == "Hello <EMAIL_1>"  # the user sees exactly what is sent


def test_always_is_remembered_and_persisted(
    tmp_path: Path, store: ConsentStore, clock: Clock
) -> None:
    asker = Asker(ConsentReply(ConsentAnswer.ALLOW_ALWAYS))
    assert ConsentBroker(store, asker).require(REQUEST) == "always"
    reopened = ConsentBroker(ConsentStore(tmp_path / "consents.json", clock), deny_all)
    assert reopened.require(REQUEST) == "stored"
    assert len(asker.seen) == 1


def test_always_with_expiry_runs_out(store: ConsentStore, clock: Clock) -> None:
    asker = Asker(
        ConsentReply(ConsentAnswer.ALLOW_ALWAYS, expires_at=clock.now + 60),
        ConsentReply(ConsentAnswer.DENY),
    )
    broker = ConsentBroker(store, asker)
    assert broker.require(REQUEST) == "always"
    clock.now += 59
    assert broker.require(REQUEST) == "stored"
    clock.now += 2
    with pytest.raises(ConsentDenied, match="nothing was sent to acme"):
        broker.require(REQUEST)


def test_deny_and_revoke(store: ConsentStore) -> None:
    with pytest.raises(ConsentDenied, match=r"cloud\.send:acme was not given"):
        ConsentBroker(store, deny_all).require(REQUEST)
    store.grant("cloud.send:acme")
    assert store.revoke("cloud.send:acme")
    assert not store.revoke("cloud.send:acme")
    with pytest.raises(ConsentDenied):
        ConsentBroker(store, deny_all).require(REQUEST)


def test_scopes_are_separate(store: ConsentStore) -> None:
    store.grant("cloud.send:acme")
    other = ConsentRequest(scope="cloud.send:other", recipient="other", why="", preview="")
    with pytest.raises(ConsentDenied):
        ConsentBroker(store, deny_all).require(other)


def test_a_long_preview_is_shortened_for_the_prompt(store: ConsentStore) -> None:
    asker = Asker(ConsentReply(ConsentAnswer.ALLOW_ONCE))
    long = ConsentRequest(scope="s", recipient="r", why="w", preview="x" * 10_000)
    ConsentBroker(store, asker).require(long)
    assert len(asker.seen[0].preview) < 4100 and "more)" in asker.seen[0].preview


def test_the_cli_denies_when_no_one_can_answer() -> None:
    from aurora_desktop.cli.consent_prompt import terminal_ask

    assert terminal_ask(REQUEST).answer is ConsentAnswer.DENY  # pytest's stdin is no terminal


def test_the_asker_hears_which_app_asked(store: ConsentStore) -> None:
    """An API client's request names the app in the consent request the user is shown."""
    asker = Asker(ConsentReply(ConsentAnswer.ALLOW_ONCE))
    asked = ConsentRequest(scope="cloud.send:acme", recipient="r", why="w", preview="x" * 9_000,
                           app="Notes editor")  # fmt: skip
    ConsentBroker(store, asker).require(asked)
    assert asker.seen[0].app == "Notes editor" and len(asker.seen[0].preview) < 4100
    assert REQUEST.app is None  # Aurora's own windows: no app named
