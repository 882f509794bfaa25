"""Keeps the UI translations in step with the code (Qt's lupdate and lrelease).

    python installer/translations.py update [MODULE…]   collect strings into <module>.ko.ts
    python installer/translations.py release   compile every .ts into the .qm the app loads
    python installer/translations.py check     list strings still untranslated (exit 1 if any)

One .ts per module of aurora_desktop/ui (and app/), so people can translate one window at a time;
the sentences the core writes are in core_phrases.ko.ts: lupdate reads them straight from the
core's source, where each is `phrase("template", **args)` (core/text.py), with phrase taken as
an alias of QT_TR_NOOP (empty context, as ui/core_text.py looks them up). The .ts and .qm
files live in aurora_desktop/resources/i18n/; only the .qm files go into the wheel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "aurora_desktop"
CORE = PACKAGE / "core"
SERVER = PACKAGE / "server"  # the local API: its sentences reach the tray and Settings too
UI = PACKAGE / "ui"
APP = PACKAGE / "app"
I18N = PACKAGE / "resources" / "i18n"
TRANSLATED = ("ko",)  # English is the source language
CORE_KEY = "core_phrases"  # the .ts of the sentences the core writes
CORE_ALIAS = ["-tr-function-alias", "QT_TR_NOOP+=phrase"]  # phrase("template", **args)


def tool(name: str) -> str:
    beside = Path(sys.executable).with_name(f"pyside6-{name}")
    found = str(beside) if beside.exists() else shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(f"pyside6-{name} was not found; install PySide6 into this environment.")
    return found


def module_key(source: Path) -> str:
    """ui/settings/window.py → settings.window; app/desktop.py → app.desktop."""
    root = UI if source.is_relative_to(UI) else PACKAGE
    return ".".join(source.relative_to(root).with_suffix("").parts)


def ui_modules() -> list[Path]:
    sources = [*UI.rglob("*.py"), *APP.rglob("*.py")]
    marks = ('translate("', 'QT_TRANSLATE_NOOP("')
    return sorted(p for p in sources if any(m in p.read_text(encoding="utf-8") for m in marks))


def ts_path(source: Path, language: str) -> Path:
    return I18N / f"{module_key(source)}.{language}.ts"


def update(folder: Path = I18N, only: tuple[str, ...] = ()) -> list[Path]:
    """Run lupdate for every module (or those named in `only`, e.g. "settings.window"), and
    for the core's sentences ("core_phrases"), into `folder`, merging what is already
    translated."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if not only or CORE_KEY in only:
        for language in TRANSLATED:
            sources = sorted(map(str, [*CORE.rglob("*.py"), *SERVER.rglob("*.py")]))
            written.append(_lupdate(CORE_ALIAS + sources, CORE_KEY, language, folder))
    for source in ui_modules():
        if only and module_key(source) not in only:
            continue
        for language in TRANSLATED:
            written.append(_lupdate([str(source)], module_key(source), language, folder))
    return written


def _lupdate(sources: list[str], key: str, language: str, folder: Path) -> Path:
    target = folder / f"{key}.{language}.ts"
    shipped = I18N / target.name
    if folder != I18N and shipped.exists() and not target.exists():
        shutil.copyfile(shipped, target)
    subprocess.run(
        [tool("lupdate"), "-silent", "-locations", "none", "-no-obsolete",
         "-target-language", language, *sources, "-ts", str(target)],
        check=True,
    )  # fmt: skip
    return target


def release(folder: Path = I18N) -> list[Path]:
    compiled = []
    for ts in sorted(folder.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        subprocess.run(
            [tool("lrelease"), "-silent", "-nounfinished", str(ts), "-qm", str(qm)], check=True
        )
        compiled.append(qm)
    return compiled


def unfinished(ts: Path) -> list[str]:
    """Source strings in `ts` without a finished translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if (
                translation is None
                or translation.get("type") in ("unfinished", "vanished", "obsolete")
                or not (translation.text or "").strip()
            ):
                missing.append(f"{ts.name}: {name}: {message.findtext('source', '')!r}")
    return missing


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        for path in update(only=tuple(argv[1:])):
            print(path.relative_to(REPO))
        return 0
    if command == "release":
        for path in release():
            print(path.relative_to(REPO))
        return 0
    if command == "check":
        missing = [line for ts in sorted(I18N.glob("*.ts")) for line in unfinished(ts)]
        print("\n".join(missing) or "every string is translated")
        return 1 if missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
