"""Sentences the core tells the user once, outside any request (a damaged file moved aside).

The CLI prints each to stderr as it comes; the tray app may read `pending()` and show them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

Listener = Callable[[str], None]

_lock = threading.Lock()
_sentences: list[str] = []
_listeners: list[Listener] = []


def tell(sentence: str) -> None:
    """Keep `sentence` and pass it to every listener."""
    with _lock:
        _sentences.append(sentence)
        listeners = list(_listeners)
    for listener in listeners:
        listener(sentence)


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Call `listener` with every sentence told inside the block."""
    with _lock:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)


def pending() -> list[str]:
    """Every sentence told so far in this process."""
    with _lock:
        return list(_sentences)
