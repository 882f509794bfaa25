"""Starts the tray app: single instance, core wiring, tray or fallback window, clean exit."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QSystemTrayIcon

from aurora_desktop.app.desktop import AuroraApp
from aurora_desktop.app.single_instance import (
    QUIT_COMMAND,
    InstanceServer,
    notify_running_instance,
    server_name,
)
from aurora_desktop.app.startup_trace import mark, tracing
from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.errors import AuroraError, ConfigError
from aurora_desktop.core.paths import resolve_home
from aurora_desktop.ui.consent_asker import ConsentAsker
from aurora_desktop.ui.tray import app_icon

NOTIFY_ATTEMPTS = 10
TTL_CHECK_S = 15.0
QUIT_WAIT_S = 60.0
NO_TRAY_MESSAGE = (
    "Aurora: no system tray is available on this desktop, so the chat window opens instead."
)


def _say(line: str) -> None:
    """A line for the terminal; a windowless start (pythonw, Aurora.exe) has no stderr."""
    if sys.stderr is not None:
        sys.stderr.write(line + "\n")


def _tray_available(wait_s: float = 3.0) -> bool:
    """The tray host may still be starting with the session: give it a moment."""
    deadline = time.monotonic() + wait_s
    while not QSystemTrayIcon.isSystemTrayAvailable():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True


def no_desktop_reason(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why no Qt platform plugin could open a window here (None when one can).

    Checked before QApplication exists: without a display Qt prints its plugin list and
    aborts the process (signal 6), which no `except` can turn into a sentence.
    """
    if platform in ("win32", "darwin", "cygwin"):
        return None
    chosen = [p.split(":")[0].strip() for p in env.get("QT_QPA_PLATFORM", "").split(";")]
    chosen = [p for p in chosen if p] or ["wayland", "xcb"]  # Qt tries Wayland, then X11
    for name in chosen:
        if name not in ("xcb", "wayland") and not name.startswith("wayland-"):
            return None  # offscreen, minimal, vnc, eglfs, linuxfb…: no display server needed
        if name == "xcb" and env.get("DISPLAY"):
            return None
        if name != "xcb" and env.get("WAYLAND_DISPLAY"):
            return None
    return "DISPLAY is not set" if "xcb" in chosen else "WAYLAND_DISPLAY is not set"


def run_app() -> int:
    reason = no_desktop_reason(os.environ)
    if reason:
        raise ConfigError(
            f"No desktop session is available ({reason}); run 'aurora ask ...' for the command "
            "line or start Aurora inside a desktop session."
        )
    mark("main")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    consent = ConsentAsker()  # the core asks through it; AuroraApp says over which window
    core = build_core(ask=consent)  # an unusable data folder fails here, before any window
    mark("core")
    app.setApplicationName("Aurora")
    app.setWindowIcon(app_icon())
    name = server_name(core.home.instance_key)
    lock = QLockFile(str(core.home.root / "aurora.lock"))
    lock.setStaleLockTime(0)
    if not lock.tryLock(200):
        for _ in range(NOTIFY_ATTEMPTS):
            if notify_running_instance(name):
                _say("Aurora is already running; its chat window was brought forward.")
                return 0
            time.sleep(0.3)
        raise AuroraError(
            "Aurora is already running but does not answer; close it from the tray and retry."
        )
    server = InstanceServer(name)
    use_tray = _tray_available()
    app.setQuitOnLastWindowClosed(not use_tray)
    aurora = AuroraApp(app, core, use_tray=use_tray, consent=consent)
    server.show_requested.connect(aurora.open_chat)
    server.quit_requested.connect(app.quit)
    if not use_tray:
        _say(NO_TRAY_MESSAGE)
        aurora.popup.setWindowTitle(f"{aurora.popup.windowTitle()} (no system tray found)")
        aurora.open_chat()
    if tracing():
        _trace_moments(aurora)
    aurora.session.prepare()
    aurora.start_warm()
    core.scheduler.run_timer(TTL_CHECK_S)  # idle models unload after their TTL

    # Let Ctrl+C and SIGTERM run the normal shutdown: Python handlers only run while
    # the interpreter gets control, so a timer wakes it regularly.
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer()
    wake.setObjectName("signal-wake-timer")
    wake.start(250)
    wake.timeout.connect(lambda: None)
    try:
        return app.exec()
    finally:
        server.close()
        lock.unlock()


def _trace_moments(aurora: AuroraApp) -> None:
    """AURORA_STARTUP_TRACE=1: the event loop's first turn with the icon shown, the first
    text typed into the chat, and each model load and unload (bench/cold_start.py)."""
    QTimer.singleShot(0, lambda: mark("icon" if aurora.tray is not None else "window"))
    _FirstInput(aurora.popup.prompt)
    aurora.core.events.subscribe(lambda event: mark(f"model-{event.kind}"))


class _FirstInput(QObject):
    """Marks the first text typed into `prompt`; a child of it, so it lives as long."""

    def __init__(self, prompt: QPlainTextEdit) -> None:
        super().__init__(prompt)
        self._seen = False
        prompt.textChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._seen:
            self._seen = True
            mark("input")


def quit_app(wait_s: float = QUIT_WAIT_S) -> str:
    """Ask the Aurora running on this data folder to quit and wait until it has.

    The Windows uninstaller and an upgrade run this before they replace the program files.
    Returns the sentence to show; raises AuroraError when Aurora does not quit in time.
    """
    home = resolve_home()
    lock_path = home.root / "aurora.lock"
    if not lock_path.exists():
        return "Aurora is not running."
    _ = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    lock = QLockFile(str(lock_path))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        lock.unlock()
        return "Aurora is not running."
    notify_running_instance(server_name(home.instance_key), QUIT_COMMAND)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if lock.tryLock(500):
            lock.unlock()
            return "Aurora has quit."
    raise AuroraError(
        f"Aurora did not quit within {wait_s:.0f} seconds; "
        "choose Quit from its tray menu and retry."
    )
