"""Builds the app's secondary windows on first use: Settings (six pages), Dashboard, Messages.

Each window's modules are imported when it first opens, not at start-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QWidget

from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.log_view import LogBook, LogView
from aurora_desktop.ui.tray import ApiFacts, app_icon

if TYPE_CHECKING:  # imported when first opened: the dashboard brings pyqtgraph and numpy
    from aurora_desktop.app.wiring import Core
    from aurora_desktop.ui.dashboard import Dashboard
    from aurora_desktop.ui.settings.window import SettingsWindow

W = TypeVar("W", bound=QWidget)


class WindowFactory:
    """Creates each window once, keeps it (hidden, not destroyed, when closed), shuts it down."""

    def __init__(
        self,
        core: Core,
        log: LogBook,
        language: LanguageManager,
        *,
        api_state: Callable[[], ApiFacts] = ApiFacts,
    ) -> None:
        self._core = core
        self._api_state = api_state
        self._log = log
        self._language = language
        self._settings: SettingsWindow | None = None
        self._dashboard: Dashboard | None = None
        self._log_view: LogView | None = None

    def settings(self) -> SettingsWindow:
        if self._settings is None:
            from aurora_desktop.core.autostart import Autostart
            from aurora_desktop.ui.settings.api_page import ApiPage
            from aurora_desktop.ui.settings.general_page import GeneralPage
            from aurora_desktop.ui.settings.models_page import ModelsPage
            from aurora_desktop.ui.settings.privacy_page import PrivacyPage
            from aurora_desktop.ui.settings.providers_page import ProvidersPage
            from aurora_desktop.ui.settings.routing_page import RoutingPage
            from aurora_desktop.ui.settings.window import SettingsWindow

            core = self._core
            window = SettingsWindow()
            window.add_page("routing", RoutingPage(core.policy, core.pipeline.decide))
            models = ModelsPage(
                core.store,
                core.catalog,
                core.scheduler,
                core.local_signer,
                core.audit,
            )
            window.add_page("models", models)
            window.add_page("providers", ProvidersPage(core.providers))
            window.add_page(
                "privacy",
                PrivacyPage(
                    core.settings,
                    core.masker,
                    core.banned,
                    core.consents,
                    core.decisions,
                ),
            )
            window.add_page("api", ApiPage(core.settings, core.api_keys, self._api_state))
            window.add_page(
                "general",
                GeneralPage(
                    core.settings,
                    core.local.installed_llms,
                    self._apply_language,
                    Autostart(),
                    threads_in_force=lambda: core.threads.last,
                    cores=core.threads.cores,
                ),
            )
            self._settings = _with_icon(window)
        return self._settings

    def _apply_language(self, choice: str) -> None:
        self._language.apply(choice)

    def dashboard(self) -> Dashboard:
        if self._dashboard is None:
            from aurora_desktop.ui.dashboard import Dashboard

            scheduler = self._core.scheduler
            self._dashboard = _with_icon(Dashboard(self._core.metrics, scheduler.snapshot))
        return self._dashboard

    def log_view(self) -> LogView:
        if self._log_view is None:
            self._log_view = _with_icon(LogView(self._log))
        return self._log_view

    def show_settings(self, page: str = "") -> None:
        window = self.settings()
        if page:
            window.show_page(page)
        _bring_forward(window)

    def show_dashboard(self) -> None:
        _bring_forward(self.dashboard())

    def show_log(self) -> None:
        _bring_forward(self.log_view())

    def shutdown(self) -> None:
        if self._settings is not None:
            self._settings.shutdown()
            self._settings.hide()
        if self._dashboard is not None:
            self._dashboard.shutdown()
            self._dashboard.hide()
        if self._log_view is not None:
            self._log_view.hide()


def _with_icon(window: W) -> W:
    window.setWindowIcon(app_icon())
    return window


def _bring_forward(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()
