"""Resolves Aurora's runtime dependencies for 64-bit Windows into a lock with hashes.

    python installer/windows/lock.py            # writes installer/windows/requirements.txt
    python installer/windows/lock.py OUT.txt    # writes OUT.txt (versions already in OUT are kept)

uv evaluates the markers for the target (Windows x86-64, CPython 3.13: pywin32-ctypes, not
jeepney/secretstorage), which `pip download --platform` does not. Every package must have a
win_amd64 wheel except llama-cpp-python, which has none on the index: it stays in the lock as
its sdist, and installer/windows/llama_win.py builds its DLLs from that same sdist. An
existing output file acts as the preference, as with pip-compile: a new release elsewhere on
the index does not change the lock, a change to pyproject.toml does. Pass --upgrade to move
every pin to the newest version that resolves. uv reads no pip configuration: the lock is
resolved against uv's default index, the one Windows users install from.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from uv import find_uv_bin

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "installer" / "windows" / "requirements.txt"
PLATFORM = "x86_64-pc-windows-msvc"
PYTHON = "3.13"  # the embeddable CPython the installer ships
SDIST_ONLY = "llama-cpp-python"


def compile_command(output: Path, upgrade: bool = False) -> list[str]:
    """uv's command for the `pyproject.toml` in the working folder."""
    return [
        find_uv_bin(), "pip", "compile", "pyproject.toml",
        "--python-platform", PLATFORM, "--python-version", PYTHON,
        "--only-binary", ":all:", "--no-binary", SDIST_ONLY,
        "--generate-hashes", "--quiet",
        "--custom-compile-command", "python installer/windows/lock.py",
        "--output-file", str(output),
        *(["--upgrade"] if upgrade else []),
    ]  # fmt: skip


def lock(output: Path = LOCK, upgrade: bool = False, project: Path = REPO) -> Path:
    """Write the lock of `project`'s pyproject.toml to `output` (CalledProcessError if the set
    cannot resolve)."""
    subprocess.run(compile_command(output.resolve(), upgrade), check=True, cwd=project)
    return output


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Lock Aurora's Windows dependencies with uv.")
    parser.add_argument("output", type=Path, nargs="?", default=LOCK)
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest")
    args = parser.parse_args(argv)
    try:
        lock(args.output, args.upgrade)
    except subprocess.CalledProcessError:
        print("lock: the Windows dependencies do not resolve (uv says why above).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
