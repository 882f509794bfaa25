"""Languages: Qt translators for every UI module, the system language by default, live switch.

Every user-visible string in `ui/` goes through ``QCoreApplication.translate(CONTEXT, text)``
with literal arguments, so `installer/translations.py` (Qt's lupdate/lrelease) can collect it
into `aurora_desktop/resources/i18n/<module>.<lang>.ts` and compile the `.qm` files loaded
here. English is the source language. Switching language installs the new translators; Qt
then sends every widget a LanguageChange event and each widget re-sets its texts in
``retranslate()``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
    Signal,
)

from aurora_desktop.core.resources import resource_path

LANGUAGES = ("en", "ko")
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}  # each in its own language
SYSTEM = "system"


def translations_dir() -> Path:
    return resource_path("i18n")


def system_language(locale: QLocale | None = None) -> str:
    """The supported language closest to the system's (English when none matches)."""
    locale = locale or QLocale.system()
    for language in locale.uiLanguages() or [locale.name()]:
        code = language.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def resolve_language(choice: str, locale: QLocale | None = None) -> str:
    """A setting ("system", "en", "ko") as the language to show."""
    return system_language(locale) if choice == SYSTEM or choice not in LANGUAGES else choice


class LanguageManager(QObject):
    """Owns the installed translators; `apply` switches the whole UI at once."""

    language_changed = Signal(str)

    def __init__(self, app: QCoreApplication, folder: Path | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._folder = folder or translations_dir()
        self._installed: list[QTranslator] = []
        self.language = "en"

    def apply(self, choice: str) -> str:
        """Install the translators for `choice`; returns the language now shown."""
        language = resolve_language(choice)
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
        if language != "en":
            qt_own = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
            # Qt's own texts first (standard buttons such as Close, Cancel), then Aurora's
            ours = sorted(self._folder.glob(f"*.{language}.qm"))
            for qm in [qt_own / f"qtbase_{language}.qm", *ours]:
                translator = QTranslator(self)
                if qm.exists() and translator.load(str(qm)):
                    self._app.installTranslator(translator)
                    self._installed.append(translator)
        changed = language != self.language
        self.language = language
        if changed:
            self.language_changed.emit(language)
        return language
