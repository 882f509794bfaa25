"""Test-only start-up patch for Wine: ucrtbase.dll's complex-math stubs jump to ucrt_complex.dll.

Wine 8 and 10 export crealf, cexp, cpow, ... from ucrtbase.dll as stubs that abort the
process when called, and numpy calls crealf while it imports. Python runs this file at
start-up (the ._pth file says `import site`); under Wine it overwrites the entry of each
such stub with `movabs rax, <function in ucrt_complex.dll>; jmp rax`. A function that
Wine implements is left alone, and on Windows nothing happens. Never shipped in the
installer: tests/windows/wine.py copies it into a test prefix only.
"""

from __future__ import annotations

import ctypes
import os
import sys
from ctypes import wintypes

DLL_NAME = "ucrt_complex.dll"
_PAGE_EXECUTE_READWRITE = 0x40
# A Wine stub is `sub rsp,28h; lea rcx,[rip+module]; lea rdx,[rip+name]; call unimplemented`.
_STUB_HEAD = bytes.fromhex("4883ec28488d0d")
_STUB_LEA_RDX = bytes.fromhex("488d15")
_STUB_CALL = 0xE8
_STUB_SIZE = 23

PATCHED: list[str] = []


def _kernel32() -> ctypes.WinDLL:
    k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    k32.GetModuleHandleW.argtypes = [wintypes.LPCWSTR]
    k32.GetModuleHandleW.restype = wintypes.HMODULE
    k32.GetProcAddress.argtypes = [wintypes.HMODULE, ctypes.c_char_p]
    k32.GetProcAddress.restype = ctypes.c_void_p
    k32.VirtualProtect.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        wintypes.DWORD,
        ctypes.POINTER(wintypes.DWORD),
    ]
    k32.VirtualProtect.restype = wintypes.BOOL
    k32.GetCurrentProcess.restype = wintypes.HANDLE
    k32.FlushInstructionCache.argtypes = [wintypes.HANDLE, ctypes.c_void_p, ctypes.c_size_t]
    k32.FlushInstructionCache.restype = wintypes.BOOL
    return k32


def _is_wine_stub(address: int, name: bytes) -> bool:
    """Tell whether the code at address is Wine's "unimplemented function" stub for name."""
    code = ctypes.string_at(address, _STUB_SIZE)
    if code[:7] != _STUB_HEAD or code[11:14] != _STUB_LEA_RDX or code[18] != _STUB_CALL:
        return False
    name_address = address + 18 + int.from_bytes(code[14:18], "little", signed=True)
    return ctypes.string_at(name_address, len(name) + 1) == name + b"\0"


def _jump_to(target: int) -> bytes:
    return b"\x48\xb8" + target.to_bytes(8, "little") + b"\xff\xe0"


def patch_ucrtbase() -> list[str]:
    """Redirect every stubbed complex function of ucrtbase.dll that ucrt_complex.dll implements."""
    k32 = _kernel32()
    ntdll = ctypes.WinDLL("ntdll")
    if not hasattr(ntdll, "wine_get_version"):
        return []
    ucrt = k32.GetModuleHandleW("ucrtbase.dll")
    if not ucrt:
        return []
    shim = ctypes.CDLL(os.path.join(os.path.dirname(os.path.abspath(__file__)), DLL_NAME))
    names = _export_names(shim._handle)
    patched = []
    for name in names:
        stub = k32.GetProcAddress(ucrt, name)
        if not stub or not _is_wine_stub(stub, name):
            continue
        code = _jump_to(k32.GetProcAddress(shim._handle, name))
        old = wintypes.DWORD()
        if not k32.VirtualProtect(stub, len(code), _PAGE_EXECUTE_READWRITE, ctypes.byref(old)):
            raise OSError(
                ctypes.get_last_error(), f"VirtualProtect failed for ucrtbase.{name.decode()}"
            )
        ctypes.memmove(stub, code, len(code))
        k32.VirtualProtect(stub, len(code), old.value, ctypes.byref(old))
        k32.FlushInstructionCache(k32.GetCurrentProcess(), stub, len(code))
        patched.append(name.decode())
    return patched


def _export_names(module: int) -> list[bytes]:
    """Read the export names of a loaded DLL from its PE export directory."""

    def u32(offset: int) -> int:
        return int.from_bytes(ctypes.string_at(module + offset, 4), "little")

    pe = u32(0x3C)
    exports = u32(pe + 24 + 112)  # optional header (PE32+) data directory 0
    count = u32(exports + 24)
    names = u32(exports + 32)
    return [ctypes.string_at(module + u32(names + 4 * i)) for i in range(count)]


if sys.platform == "win32":
    PATCHED = patch_ucrtbase()
