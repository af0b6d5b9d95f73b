"""Checks of the layout that import-linter's contracts do not cover (README, "Architecture").

- no import cycle between any two modules of ``bot`` and ``actions``;
- no import of the project's own modules inside a function (a hidden import dodges a cycle);
- no module over 600 lines and no function over 60 lines, except the few listed below with a reason.

``python scripts/check_architecture.py`` prints each problem and exits 1 when there is one.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "actions")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
#: Functions allowed to be longer, each with its reason.
LONG_FUNCTIONS = {
    # Alembic migrations are written once and never edited: each stays one readable script.
    "bot/catalogue/migrations/versions/0001_initial.py:upgrade": "a migration script",
}


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each a cycle or several."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.find_modules_directly_imported_by(node)):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def _imports_project(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(a.name.split(".")[0] in PACKAGES for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in PACKAGES
    return False


def source_problems(path: Path) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    out = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        out.append(f"{rel}: {lines} lines (at most {MAX_MODULE_LINES})")
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        length = fn.end_lineno - fn.lineno + 1
        if length > MAX_FUNCTION_LINES and f"{rel}:{fn.name}" not in LONG_FUNCTIONS:
            out.append(f"{rel}:{fn.lineno}: function {fn.name} is {length} lines (at most {MAX_FUNCTION_LINES})")
        for node in ast.walk(fn):
            if _imports_project(node):
                out.append(
                    f"{rel}:{node.lineno}: the project's own module imported inside {fn.name}(); "
                    "import it at the top (an import cycle is fixed by moving code, not by hiding the import)"
                )
    return out


def main() -> int:
    sys.path.insert(0, str(ROOT))
    problems: list[str] = []
    graph = grimp.build_graph(*PACKAGES)
    for group in cycles(graph):
        problems.append("import cycle between " + ", ".join(group))
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            problems += source_problems(path)
    for line in problems:
        print(line)
    print(f"architecture: {len(problems)} problem(s) in {len(graph.modules)} modules")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
