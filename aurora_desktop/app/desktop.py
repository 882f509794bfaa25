"""The running desktop app: tray, chat popup, windows and the core, wired together once."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from aurora_desktop.app.api_control import ApiControl
from aurora_desktop.app.file_warnings import file_warnings
from aurora_desktop.app.windows import WindowFactory
from aurora_desktop.app.wiring import Core
from aurora_desktop.core import notices
from aurora_desktop.core.contract import Response
from aurora_desktop.core.errors import AuroraError, CancelledError
from aurora_desktop.core.scheduler.events import SchedulerEvent
from aurora_desktop.core.settings import Settings
from aurora_desktop.ui.bridge import EventRelay
from aurora_desktop.ui.chat_popup import ChatPopup
from aurora_desktop.ui.chat_session import ChatSession
from aurora_desktop.ui.consent_asker import ConsentAsker
from aurora_desktop.ui.core_text import core_text
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.log_view import LogBook
from aurora_desktop.ui.tasks import TaskRunner, error_sentence
from aurora_desktop.ui.tray import TrayController, app_icon

SHUTDOWN_TIMEOUT_S = 10.0
MODELS_REFRESH_MS = 1000


class _JobSignals(QObject):
    done = Signal(str, str)  # source, sentence worth a line in the log


class AuroraApp:
    """Holds the live objects of one running app and the order they shut down in."""

    def __init__(
        self, app: QApplication, core: Core, *, use_tray: bool, consent: ConsentAsker
    ) -> None:
        """`consent` is the asker `core` was built with (`build_core(ask=consent)`)."""
        self.app = app
        self.core = core
        settings = core.settings.current()
        self.language = LanguageManager(app)
        self.language.apply(settings.language)
        self.log = LogBook()
        self._jobs = TaskRunner("aurora-app-job")
        self._job_signals = _JobSignals()
        self._job_signals.done.connect(self._on_job_done)
        self._encoders_checked = False
        self._closing = threading.Event()  # stops a background download when the app quits
        self.consent = consent
        consent.set_timeout(settings.consent_timeout_s)
        consent.show_over(self._active_window)
        self.consent.answered.connect(self._on_consent_answered)
        self._relay = EventRelay()
        self._relay.arrived.connect(self._on_core_event)
        core.events.subscribe(self._relay.publish)
        self._settings_relay = EventRelay()
        self._settings_relay.arrived.connect(self._on_settings_changed)
        core.settings.changed.append(lambda new, _names: self._settings_relay.publish(new))
        self._warm_seen = set(settings.warm_models)

        self.api = ApiControl(core)
        self.api.changed.connect(self._on_api_changed)
        self.api.notice.connect(self._on_api_notice)
        self.session = ChatSession(core.conductor, core.local)
        self.popup = ChatPopup(self.session)
        self.popup.setWindowIcon(app_icon())
        self.windows = WindowFactory(core, self.log, self.language, api_state=self.api.facts)
        self.session.busy_changed.connect(self._on_busy)
        self.session.model_ready.connect(self._on_model_ready)
        self.session.prepare_failed.connect(self._on_prepare_failed)
        self.session.reply_finished.connect(self._on_reply_finished)
        self.session.reply_failed.connect(self._on_reply_failed)

        self.tray: TrayController | None = None
        if use_tray:
            self.tray = TrayController(installed=core.local.installed_llms)
            self.tray.open_chat_requested.connect(self.open_chat)
            self.tray.dashboard_requested.connect(self.windows.show_dashboard)
            self.tray.settings_requested.connect(self.windows.show_settings)
            self.tray.log_requested.connect(self.windows.show_log)
            self.tray.local_only_toggled.connect(self.set_local_only)
            self.tray.pause_toggled.connect(self.set_paused)
            self.tray.pin_toggled.connect(self.set_pinned)
            self.tray.api_toggled.connect(self.set_api_enabled)
            self.tray.quit_requested.connect(app.quit)
            self.session.status_changed.connect(self.tray.set_detail)
            self.log.entry_added.connect(self._on_log_entry)
            self.tray.show()
        self._models_timer = QTimer()
        self._models_timer.setObjectName("tray-models-timer")
        self._models_timer.timeout.connect(self._refresh_models)
        self._file_warnings: set[str] = set()
        self._models_timer.timeout.connect(self.check_files)
        self._models_timer.start(MODELS_REFRESH_MS)
        self.check_files()
        self.api.apply(settings)  # serves the local API if the user turned it on
        app.aboutToQuit.connect(self.shutdown)

    # -- user actions ----------------------------------------------------------------------

    def open_chat(self) -> None:
        anchor = self.tray.icon.geometry() if self.tray is not None else None
        self.popup.show_near(anchor)

    def set_local_only(self, on: bool) -> None:
        if on:
            self.core.local_only.set()
        else:
            self.core.local_only.clear()
        self._update_tray(local_only=on)
        message = (
            QCoreApplication.translate("AuroraApp", "Local only: no request leaves this device.")
            if on
            else QCoreApplication.translate("AuroraApp", "Cloud models may be used again.")
        )
        self.log.add("info", self._source("routing"), message)

    def set_api_enabled(self, on: bool) -> None:
        """The tray's "Local API" item: the setting changes, the server follows it."""
        try:
            self.core.settings.update(api_enabled=on)
        except (AuroraError, OSError) as exc:
            self.log.add("error", self._source("api"), str(exc))
            self._on_api_changed()  # the item shows the state again, not the click

    def set_paused(self, on: bool) -> None:
        self.session.set_paused(on)
        self._update_tray(paused=on)

    def set_pinned(self, model: str, on: bool) -> None:
        scheduler = self.core.scheduler
        if on:
            self._run_job(self._source("models"), lambda: scheduler.pin(model))
        else:
            scheduler.unpin(model)

    def start_warm(self) -> None:
        """Load the warm set chosen in Settings → General, in the background."""
        scheduler = self.core.scheduler
        if self.core.settings.current().warm_models:
            self._run_job(self._source("models"), scheduler.start_warm)

    def shutdown(self) -> None:
        self._models_timer.stop()
        self.consent.shutdown()  # a waiting request is answered "no" so nothing hangs
        self.windows.shutdown()
        if self.tray is not None:
            self.tray.hide()
        self._closing.set()
        self._jobs.shutdown(SHUTDOWN_TIMEOUT_S)
        self.core.events.unsubscribe(self._relay.publish)
        stopped = self.session.shutdown(SHUTDOWN_TIMEOUT_S)
        stopped = self.api.shutdown() and stopped  # no app's request arrives after this
        stopped = self.core.close(SHUTDOWN_TIMEOUT_S) and stopped  # the core's one owner
        if not stopped and sys.stderr is not None:  # a windowless start (Aurora.exe) has none
            sys.stderr.write("Aurora: the model did not stop in time; exiting anyway.\n")

    # -- what the core and the session report ----------------------------------------------

    def _on_core_event(self, event: object) -> None:
        if not isinstance(event, SchedulerEvent):
            return
        if event.kind == "loading":
            self._update_tray(loading=True)
        elif event.kind in ("loaded", "unloaded"):
            self._update_tray(loading=False)
            if event.kind == "loaded":
                self._update_tray(error="")
        elif event.kind in ("failed", "warning"):
            self._update_tray(loading=False)
            level = "error" if event.kind == "failed" else "warning"
            self.log.add(level, event.model, event.detail)
            if event.kind == "failed":
                self._update_tray(error=core_text(event.detail))
        self._refresh_models()

    def _on_settings_changed(self, settings: object) -> None:
        if isinstance(settings, Settings):
            self.consent.set_timeout(settings.consent_timeout_s)
            if set(settings.warm_models) - self._warm_seen:
                self.start_warm()  # the scheduler has the new set already (core wiring)
            self._warm_seen = set(settings.warm_models)
            self.api.apply(settings)

    def _on_api_changed(self) -> None:
        if self.tray is not None:
            self.tray.set_api(self.api.facts())

    def _on_api_notice(self, level: str, sentence: object) -> None:
        self.log.add(level, self._source("api"), str(sentence))

    def check_files(self) -> None:
        """An invalid user file (router policy, banned words, labels, settings) is logged and
        notified once, saying what is used instead; again if it is fixed and broken anew.
        What the core told once (a damaged database moved aside) is logged once too."""
        warnings = set(file_warnings(self.core)) | set(notices.pending())
        for warning in sorted(warnings - self._file_warnings):
            self.log.add("warning", self._source("settings"), warning)
        self._file_warnings = warnings

    def _on_busy(self, busy: bool) -> None:
        self._update_tray(generating=busy)

    def _on_model_ready(self, _model: str) -> None:
        self._update_tray(error="", loading=False)
        if not self._encoders_checked:  # once: the classifier's encoders, installed if missing
            self._encoders_checked = True
            self._run_job(self._source("models"), self._install_encoders)

    def _install_encoders(self) -> None:
        """MiniLM and the multilingual encoder: without them the classifier leaves every label
        to the small LLM. Installed (not loaded) after the chat model, in the background."""
        for service in (self.core.embedder, self.core.multilingual):
            try:
                fresh = service.install(cancel=self._closing)
            except CancelledError:
                return  # the app is quitting; a partial download is resumed next time
            if fresh:
                self._job_signals.done.emit(
                    self._source("models"),
                    QCoreApplication.translate("AuroraApp", "Installed {model}.").format(
                        model=service.model_name
                    ),
                )

    def _on_prepare_failed(self, message: str) -> None:
        self._update_tray(loading=False, error=message)
        self.log.add("error", self._source("models"), message)

    def _on_reply_finished(self, response: object) -> None:
        if not isinstance(response, Response):
            return
        self._update_tray(error="")
        # the reply's badge already shows its fallbacks; a notification only when it is hidden
        level = "info" if self.popup.isVisible() else "warning"
        for hop in response.fallbacks:
            self.log.add(level, self._source("routing"), hop)

    def _on_reply_failed(self, message: str) -> None:
        self.log.add("error", self._source("chat"), message)

    def _on_consent_answered(self, scope: str, answer: str) -> None:
        texts = {
            "once": QCoreApplication.translate("AuroraApp", "Allowed once: {scope}"),
            "always": QCoreApplication.translate("AuroraApp", "Always allowed: {scope}"),
            "deny": QCoreApplication.translate("AuroraApp", "Denied: {scope}"),
        }
        self.log.add("info", self._source("consent"), texts.get(answer, answer).format(scope=scope))

    def _on_log_entry(self, entry: object) -> None:
        level = getattr(entry, "level", "info")
        if self.tray is not None and level in ("warning", "error"):
            message = core_text(str(getattr(entry, "message", "")))
            self.tray.notify("Aurora", message, level == "error")

    def _on_job_failed(self, source: str, message: str) -> None:
        self.log.add("error", source, message)

    def _on_job_done(self, source: str, message: str) -> None:
        self.log.add("info", source, message)

    # -- helpers ---------------------------------------------------------------------------

    def _refresh_models(self) -> None:
        if self.tray is None:
            return
        states = self.core.scheduler.snapshot()
        loaded = [s.name for s in states if s.state == "loaded"]
        pinned = {s.name for s in states if s.pinned}
        self.tray.set_models(loaded, pinned)

    def _update_tray(self, **facts: object) -> None:
        if self.tray is not None:
            self.tray.update_facts(**facts)

    def _run_job(self, source: str, job: Callable[[], object]) -> None:
        def failed(error: Exception) -> None:  # the log translates the core's sentence itself
            self._on_job_failed(source, error_sentence(error, "{error}", render=str))

        self._jobs.run(job, on_error=failed)

    def _active_window(self) -> QWidget | None:
        return QApplication.activeWindow()

    @staticmethod
    def _source(name: str) -> str:
        names = {
            "settings": QCoreApplication.translate("AuroraApp", "Settings"),
            "routing": QCoreApplication.translate("AuroraApp", "Routing"),
            "models": QCoreApplication.translate("AuroraApp", "Models"),
            "chat": QCoreApplication.translate("AuroraApp", "Chat"),
            "consent": QCoreApplication.translate("AuroraApp", "Consent"),
            "api": QCoreApplication.translate("AuroraApp", "Local API"),
        }
        return names.get(name, name)
