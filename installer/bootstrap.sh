#!/usr/bin/env bash
# Sets up a development copy of Aurora in ./.venv, then starts it or runs the tests.
#   bash installer/bootstrap.sh run    # venv + dependencies + default model, then the tray app
#   bash installer/bootstrap.sh test   # venv + dependencies + desktop tools, then lint and tests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode="${1:-run}"
[ $# -gt 0 ] && shift
python="${PYTHON:-python3}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

case "$mode" in run|test) ;; *) die "unknown mode '$mode'; use 'run' or 'test'." ;; esac

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
  || die "Aurora needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and retry."

# System packages: Qt's X11 platform plugin needs a few libraries; the desktop tests
# need a virtual X server, a tray host and X tools. fonts-nanum draws the Korean UI.
qt_libs=(libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
         libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
         libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core fonts-nanum)
test_tools=(xvfb trayer xdotool x11-utils imagemagick)
need_apt() {
  local missing=()
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "install these system packages first: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
if command -v dpkg-query >/dev/null; then
  if [ "$mode" = test ]; then need_apt "${qt_libs[@]}" "${test_tools[@]}"; else need_apt "${qt_libs[@]}"; fi
fi
# The Windows installer is built here (installer/windows/build.py): llama.cpp cross-compiled
# with MinGW-w64 (CMake, Ninja), the launchers and their icon (windres, ImageMagick), NSIS.
# The Windows tests (tests/windows) install it under Wine 10 in a Debian 13 chroot that
# mmdebstrap makes, with test-only DLLs compiled by MinGW-w64.
windows_tools=(nsis g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64
               cmake ninja-build p7zip-full mmdebstrap debian-archive-keyring)
if command -v dpkg-query >/dev/null && [ "$mode" = test ]; then need_apt "${windows_tools[@]}"; fi

if [ ! -x .venv/bin/python ]; then
  say "Creating the virtual environment in .venv"
  "$python" -m venv .venv
fi
# llama.cpp's default build targets the build machine's exact CPU (-march=native). On a
# virtual machine that advertises AMX or AVX-512 it cannot use, that build dies with
# "Illegal instruction" at the first batch. So on x86-64 we build one wheel with a CPU
# backend per x86-64 level (plain x86-64 up to AVX-512; no AMX), ggml picking the best at
# run time, into .cache/ and install that (installer/llama_build.py; README "Speed" says
# why this build). Without the llamafile kernels a prompt gives the same logits whether it
# is evaluated in one batch or token by token, so a reused KV cache never changes a greedy
# answer.
llama_build=(installer/llama_build.py --llamafile off --openmp off)
if [ "$(uname -m)" = x86_64 ]; then
  llama_tag="$(.venv/bin/python "${llama_build[0]}" key "${llama_build[@]:1}")" \
    || die "could not name the llama.cpp build (see above)."
  if [ ! -f ".venv/.llama-$llama_tag" ]; then
    if ! ls .cache/llama-linux-*-"$llama_tag"/llama_cpp_python-*.whl >/dev/null 2>&1; then
      say "Building llama.cpp for every x86-64 CPU level (about 10 minutes on 2 cores)"
      .venv/bin/python -m pip install --quiet --upgrade pip wheel
    fi
    wheel_file="$(.venv/bin/python "${llama_build[0]}" build "${llama_build[@]:1}")" \
      || die "the llama.cpp build failed (see above)."
    .venv/bin/python -m pip install --quiet --force-reinstall --no-deps "$wheel_file"
    rm -f .venv/.llama-* && touch ".venv/.llama-$llama_tag"
  fi
fi
stamp=".venv/.deps-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  say "Installing dependencies"
  .venv/bin/python -m pip install --quiet --upgrade pip wheel
  .venv/bin/python -m pip install --quiet -e ".[dev,server]"
  rm -f .venv/.deps-* && touch "$stamp"
fi

if [ "$mode" = run ]; then
  say "Installing and verifying the default model"
  .venv/bin/aurora setup
  say "Starting Aurora (look for its icon in the system tray)"
  exec .venv/bin/aurora
fi

say "Lint (ruff) and types (mypy, strict on core)"
.venv/bin/ruff check aurora_desktop tests bench
.venv/bin/mypy aurora_desktop
say "Tests"
export AURORA_TEST_WHEELS="${AURORA_TEST_WHEELS:-$PWD/.cache/test-wheels}"
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ $code -eq 5 ]; then die "pytest collected no tests; that is a failure, not a pass."; fi
exit $code
