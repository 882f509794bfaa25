"""Facts about the machine that tune engines: physical cores, free memory."""

from __future__ import annotations

import os

import psutil


def physical_cores() -> int:
    """Physical cores, not logical CPUs: llama.cpp decodes fastest with one thread per core."""
    return psutil.cpu_count(logical=False) or os.cpu_count() or 1


def available_memory_bytes() -> int:
    return int(psutil.virtual_memory().available)
