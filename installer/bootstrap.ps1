# Sets up a development copy of Aurora in .\.venv, then starts it or runs the tests (Windows).
#   powershell -ExecutionPolicy Bypass -File installer\bootstrap.ps1 run
#   powershell -ExecutionPolicy Bypass -File installer\bootstrap.ps1 test
param([ValidateSet("run", "test")][string]$Mode = "run",
      [Parameter(ValueFromRemainingArguments = $true)][string[]]$PytestArgs)
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

$python = if ($env:PYTHON) { $env:PYTHON } else { "py" }
$pyArgs = if ($python -eq "py") { @("-3.11") } else { @() }
& $python @pyArgs -c "import sys; sys.exit(sys.version_info < (3, 11))"
if ($LASTEXITCODE -ne 0) { throw "Aurora needs Python 3.11 or newer; install it from python.org and retry." }

if (-not (Test-Path .venv\Scripts\python.exe)) {
    Write-Host "==> Creating the virtual environment in .venv"
    & $python @pyArgs -m venv .venv
}
$venvPy = ".venv\Scripts\python.exe"
$hash = (Get-FileHash pyproject.toml -Algorithm SHA256).Hash.Substring(0, 16).ToLower()
$stamp = ".venv\.deps-$hash"
if (-not (Test-Path $stamp)) {
    Write-Host "==> Installing dependencies (llama-cpp-python may compile: several minutes)"
    & $venvPy -m pip install --quiet --upgrade pip wheel
    & $venvPy -m pip install --quiet -e ".[dev,server]"
    if ($LASTEXITCODE -ne 0) { throw "Installing the dependencies failed; see the pip output above." }
    Remove-Item .venv\.deps-* -ErrorAction SilentlyContinue
    New-Item -ItemType File $stamp | Out-Null
}

if ($Mode -eq "run") {
    Write-Host "==> Installing and verifying the default model"
    & .venv\Scripts\aurora.exe setup
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    Write-Host "==> Starting Aurora (look for its icon in the notification area)"
    & .venv\Scripts\aurora.exe
    exit $LASTEXITCODE
}

& .venv\Scripts\ruff.exe check aurora_desktop tests bench
& .venv\Scripts\mypy.exe aurora_desktop
if (-not $env:AURORA_TEST_WHEELS) { $env:AURORA_TEST_WHEELS = "$PWD\.cache\test-wheels" }
# The desktop tier needs Xvfb and trayer, which exist only on Linux.
& $venvPy -m pytest -m "not desktop" @PytestArgs
if ($LASTEXITCODE -eq 5) { throw "pytest collected no tests; that is a failure, not a pass." }
exit $LASTEXITCODE
