/* Aurora's Windows launchers: run the bundled embeddable Python's aurora_desktop in this process.
 *
 * Built twice by installer/windows/build.py with MinGW-w64:
 *   Aurora.exe      windows subsystem (no console), in the install folder: the tray app;
 *   bin\aurora.exe  console subsystem, for the terminal: `aurora ask ...`.
 * (Windows file names ignore case, so the two cannot share a folder.)
 *
 * The launcher loads <install>\python\python313.dll and calls Py_Main with
 *   <this exe> -X utf8 -m aurora_desktop <the arguments it was given>
 * so the process is Aurora.exe itself (its icon and name in Task Manager, Ctrl+C reaches Python,
 * the exit code is Python's). python313._pth next to the DLL sets the module search path, so the
 * interpreter runs isolated from any other Python on the machine. sys.executable is the bundled
 * python.exe (pythonw.exe), see launch().
 */

#define WIN32_LEAN_AND_MEAN
#define _WIN32_WINNT 0x0A00 /* AddDllDirectory */
#include <windows.h>
#include <stdlib.h>
#include <wchar.h>

#ifndef PYTHON_DIR
#error "PYTHON_DIR must name the Python folder relative to the launcher, e.g. L\"python\""
#endif
#ifndef PYTHON_DLL
#define PYTHON_DLL L"python313.dll"
#endif
#ifdef AURORA_WINDOWED
#define PYTHON_EXE L"pythonw.exe"
#else
#define PYTHON_EXE L"python.exe"
#endif

#define EXIT_LAUNCH_FAILED 9009 /* what cmd.exe uses for "cannot run this command" */

typedef int(__cdecl *py_main_fn)(int argc, wchar_t **argv);

/* __argc and __wargv: the C runtime's parse of the command line (the same rules python.exe
 * and pythonw.exe rely on); filled at start-up because the program is built with -municode. */
extern int __argc;
extern wchar_t **__wargv;

typedef int(WINAPI *message_box_fn)(HWND, LPCWSTR, LPCWSTR, UINT);

static void report(const wchar_t *message) {
#ifdef AURORA_WINDOWED
    /* user32 is loaded only here: see give_python_stdio */
    HMODULE user32 = LoadLibraryW(L"user32.dll");
    message_box_fn message_box =
        user32 ? (message_box_fn)(void *)GetProcAddress(user32, "MessageBoxW") : NULL;
    if (message_box != NULL) message_box(NULL, message, L"Aurora", MB_OK | MB_ICONERROR);
#else
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    DWORD mode, written;
    if (err != NULL && err != INVALID_HANDLE_VALUE && GetConsoleMode(err, &mode)) {
        WriteConsoleW(err, message, (DWORD)wcslen(message), &written, NULL);
        WriteConsoleW(err, L"\r\n", 2, &written, NULL);
    } else if (err != NULL && err != INVALID_HANDLE_VALUE) {
        /* redirected: UTF-8, like the Python it would have run (-X utf8) */
        char buffer[4 * 2048];
        int n = WideCharToMultiByte(CP_UTF8, 0, message, -1, buffer, sizeof buffer, NULL, NULL);
        if (n > 1) {
            WriteFile(err, buffer, (DWORD)(n - 1), &written, NULL);
            WriteFile(err, "\r\n", 2, &written, NULL);
        }
    }
#endif
}

#ifdef AURORA_WINDOWED
/* A program without a console starts without standard handles, and Python then sets
 * sys.stdout and sys.stderr to None: any print to stderr (a warning, "already running")
 * would raise. Handles that point to NUL, set before python313.dll loads the C runtime
 * (which reads them once, at its start), give Python real files that discard the text.
 * Handles the parent did pass (pipes, a redirect) are kept. */
static void give_python_stdio(void) {
    static const DWORD which[] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
    for (int i = 0; i < 3; i++) {
        HANDLE handle = GetStdHandle(which[i]);
        if (handle != NULL && handle != INVALID_HANDLE_VALUE) continue;
        HANDLE nul = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        if (nul != INVALID_HANDLE_VALUE) SetStdHandle(which[i], nul);
    }
}
#endif

/* The full path of this executable, or NULL; grows the buffer for long paths. */
static wchar_t *module_path(void) {
    DWORD size = MAX_PATH;
    for (;;) {
        wchar_t *path = malloc(size * sizeof(wchar_t));
        if (path == NULL) return NULL;
        DWORD n = GetModuleFileNameW(NULL, path, size);
        if (n == 0) {
            free(path);
            return NULL;
        }
        if (n < size) return path;
        free(path);
        if (size >= 32768) return NULL;
        size *= 2;
    }
}

static int launch(void) {
    wchar_t message[2048];
    wchar_t *exe = module_path();
    if (exe == NULL) {
        report(L"Aurora cannot start: Windows did not give the launcher its own path.");
        return EXIT_LAUNCH_FAILED;
    }
    wchar_t *slash = wcsrchr(exe, L'\\');
    size_t dir_len = slash ? (size_t)(slash - exe) : 0;
    size_t cap = dir_len + wcslen(PYTHON_DIR) + wcslen(PYTHON_DLL) + wcslen(PYTHON_EXE) + 3;
    wchar_t *python_dir = malloc(cap * sizeof(wchar_t));
    wchar_t *dll = malloc(cap * sizeof(wchar_t));
    wchar_t *python_exe = malloc(cap * sizeof(wchar_t));
    if (python_dir == NULL || dll == NULL || python_exe == NULL) {
        report(L"Aurora cannot start: out of memory.");
        return EXIT_LAUNCH_FAILED;
    }
    swprintf(dll, cap, L"%.*ls\\%ls", (int)dir_len, exe, PYTHON_DIR);
    /* bin\..\python -> python: sys.executable and error messages read better */
    DWORD full = GetFullPathNameW(dll, (DWORD)cap, python_dir, NULL);
    if (full == 0 || full >= cap) wcscpy(python_dir, dll);
    swprintf(dll, cap, L"%ls\\%ls", python_dir, PYTHON_DLL);
    swprintf(python_exe, cap, L"%ls\\%ls", python_dir, PYTHON_EXE);

    /* sys.executable: the bundled python.exe (pythonw.exe for the windowless launcher), not
     * this launcher, so that `sys.executable -m pip ...` (the model fetcher) runs Python.
     * This is how a venv's python.exe names itself: Python reads the variable at start-up,
     * whatever its isolation, and removes it from the environment (children don't see it). */
    SetEnvironmentVariableW(L"__PYVENV_LAUNCHER__", python_exe);

#ifdef AURORA_WINDOWED
    give_python_stdio();
#endif
    /* The DLL's own folder first for its dependencies (vcruntime140.dll), and for the
     * extension modules Python loads later (they search the default folders only). */
    HMODULE python = LoadLibraryExW(dll, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (python == NULL) {
        DWORD code = GetLastError();
        swprintf(message, 2048,
                 L"Aurora cannot start: %ls could not be loaded (Windows error %lu). "
                 L"Reinstall Aurora to repair it.",
                 dll, (unsigned long)code);
        report(message);
        return EXIT_LAUNCH_FAILED;
    }
    AddDllDirectory(python_dir);
    py_main_fn py_main = (py_main_fn)(void *)GetProcAddress(python, "Py_Main");
    if (py_main == NULL) {
        swprintf(message, 2048, L"Aurora cannot start: %ls has no Py_Main. Reinstall Aurora.", dll);
        report(message);
        return EXIT_LAUNCH_FAILED;
    }

    static const wchar_t *const fixed[] = {L"-X", L"utf8", L"-m", L"aurora_desktop"};
    const int n_fixed = (int)(sizeof fixed / sizeof fixed[0]);
    int argc = 1 + n_fixed + (__argc > 1 ? __argc - 1 : 0);
    wchar_t **argv = calloc((size_t)argc + 1, sizeof(wchar_t *));
    if (argv == NULL) {
        report(L"Aurora cannot start: out of memory.");
        return EXIT_LAUNCH_FAILED;
    }
    argv[0] = exe;
    for (int i = 0; i < n_fixed; i++) argv[1 + i] = (wchar_t *)fixed[i];
    for (int i = 1; i < __argc; i++) argv[n_fixed + i] = __wargv[i];
    return py_main(argc, argv);
}

#ifdef AURORA_WINDOWED
int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, LPWSTR command_line, int show) {
    (void)instance;
    (void)previous;
    (void)command_line;
    (void)show;
    return launch();
}
#else
int wmain(void) { return launch(); }
#endif
