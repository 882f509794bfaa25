# CMake toolchain for cross-compiling to 64-bit Windows with Debian's MinGW-w64 (posix threads).
# Used by installer/windows/llama_win.py; the -posix compilers are needed for std::thread.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_AR x86_64-w64-mingw32-ar CACHE FILEPATH "")
set(CMAKE_RANLIB x86_64-w64-mingw32-ranlib CACHE FILEPATH "")

# GCC cannot keep the Win64 stack aligned to 32 bytes (GCC bug 54412), so aligned AVX
# spills can fault; the assembler turns aligned vector moves into unaligned ones, which
# cost nothing on aligned data.
set(_flags "-Wa,-muse-unaligned-vector-move")

# mingw-w64 before 11 (Debian 12 has 10) lacks THREAD_POWER_THROTTLING_STATE, which
# ggml-cpu.c uses; PROCESS_POWER_THROTTLING_STATE has the same three ULONGs.
set(_threads_h /usr/${CMAKE_SYSTEM_PROCESSOR}-w64-mingw32/include/processthreadsapi.h)
if(EXISTS ${_threads_h})
  file(STRINGS ${_threads_h} _has_thread_throttling REGEX "THREAD_POWER_THROTTLING_CURRENT_VERSION")
  if(NOT _has_thread_throttling)
    string(APPEND _flags " -DTHREAD_POWER_THROTTLING_STATE=PROCESS_POWER_THROTTLING_STATE"
                         " -DTHREAD_POWER_THROTTLING_CURRENT_VERSION=1"
                         " -DTHREAD_POWER_THROTTLING_EXECUTION_SPEED=1")
  endif()
endif()
set(CMAKE_C_FLAGS_INIT "${_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_flags}")

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
