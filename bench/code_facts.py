"""Facts about the code a newcomer can check, printed as JSON (issue 17's closing note).

    python bench/code_facts.py [REPO]        # REPO defaults to this checkout

- the longest functions on the request path (lines, file:function);
- `ThreadPoolExecutor(` constructions in ui/ and app/;
- reach-through chains on Core: `core.A.B` where A is a field of Core and B is a service A
  holds (e.g. `core.pipeline.consent.store`, `core.assistant.scheduler`), not a method;
- the modules that construct `Response(`, and those holding an attempt loop;
- `getattr(…, "text", …)` in ui/, and whether the generated phrase matcher exists.

Pure reading of the source (ast); nothing is imported or run.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Callable
from pathlib import Path

REQUEST_PATH = (
    "aurora_desktop/core/pipeline.py",
    "aurora_desktop/core/assistant.py",
    "aurora_desktop/core/local_hop.py",
    "aurora_desktop/core/cloud_hop.py",
    "aurora_desktop/core/cognition/conductor.py",
    "aurora_desktop/core/cognition/attempts.py",
    "aurora_desktop/core/routing/plan.py",
    "aurora_desktop/core/routing/router.py",
)
CORE_NAMES = ("core", "_core")  # `core.x`, `self.core.x`, `self._core.x`, `aurora.core.x`
# what one service holds of another: reaching it through the first is a reach-through chain
COLLABORATORS = {
    "assistant", "classifier", "cloud", "clouds", "consent", "decisions", "ledger", "local",
    "local_only", "pipeline", "policy", "providers", "registry", "scheduler", "seal", "store",
}  # fmt: skip


def _functions(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            out.append((length, node.name))
    return out


def longest_functions(root: Path, top: int = 5) -> list[str]:
    rows = []
    for name in REQUEST_PATH:
        path = root / name
        if path.exists():
            rows += [(n, f"{name.split('/')[-1]}:{f}") for n, f in _functions(path)]
    rows.sort(reverse=True)
    return [f"{n} lines {where}" for n, where in rows[:top]]


def _chain(node: ast.expr) -> list[str] | None:
    """`a.b.c` → ["a", "b", "c"] (None for anything but names and attributes)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _core_fields(root: Path) -> set[str]:
    tree = ast.parse((root / "aurora_desktop/app/wiring.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Core":
            return {
                item.target.id
                for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            }
    return set()


def reach_through(root: Path) -> list[str]:
    fields = _core_fields(root) - {"home"}  # home is a value (paths), not a service
    found = []
    for folder in ("aurora_desktop", "bench"):
        for path in sorted((root / folder).rglob("*.py")):
            if "/core/" in path.as_posix().replace(root.as_posix(), ""):
                continue  # the core does not see Core
            tree = ast.parse(path.read_text(encoding="utf-8"))
            called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
            for node in ast.walk(tree):
                if not isinstance(node, ast.Attribute) or id(node) in called:
                    continue
                parts = _chain(node)
                if parts is None:
                    continue
                for i, part in enumerate(parts[:-2]):
                    if (
                        part in CORE_NAMES
                        and parts[i + 1] in fields
                        and parts[i + 2] in COLLABORATORS
                    ):
                        rel = path.relative_to(root).as_posix()
                        found.append(f"{rel}:{node.lineno} {'.'.join(parts[i:])}")
                        break
    # a chain is also seen as its own prefixes: keep only the longest at each place
    found.sort(key=len, reverse=True)
    kept: list[str] = []
    for item in found:
        where, chain = item.split(" ")
        if not any(k.startswith(where + " ") and k.split(" ")[1].startswith(chain) for k in kept):
            kept.append(item)
    return sorted(kept)


def _calls(root: Path, folder: str, match: Callable[[ast.Call], bool]) -> list[str]:
    out = []
    for path in sorted((root / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and match(node):
                out.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return out


def _named(name: str) -> Callable[[ast.Call], bool]:
    def match(call: ast.Call) -> bool:
        func = call.func
        return (isinstance(func, ast.Name) and func.id == name) or (
            isinstance(func, ast.Attribute) and func.attr == name
        )

    return match


def _getattr_text(call: ast.Call) -> bool:
    return (
        _named("getattr")(call)
        and len(call.args) >= 2
        and isinstance(call.args[1], ast.Constant)
        and call.args[1].value == "text"
    )


def facts(root: Path) -> dict[str, object]:
    chains = reach_through(root)
    executors = _named("ThreadPoolExecutor")
    return {
        "longest_request_path_functions": longest_functions(root),
        "thread_pool_executors_ui": len(_calls(root, "aurora_desktop/ui", executors)),
        "thread_pool_executors_app": len(_calls(root, "aurora_desktop/app", executors)),
        "reach_through_chains": len(chains),
        "reach_through": chains,
        "response_built_at": _calls(root, "aurora_desktop", _named("Response")),
        "getattr_text_in_ui": len(_calls(root, "aurora_desktop/ui", _getattr_text)),
        "phrase_matcher": (root / "aurora_desktop/ui/core_phrases.py").exists(),
    }


if __name__ == "__main__":
    where = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    print(json.dumps(facts(where), indent=2, ensure_ascii=False))
