"""The house rules of the tree: each area in one folder, no file over 500 lines, no import circle, and the
README's architecture map naming exactly the packages that exist."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("election", "workflow")
MAX_LINES = 500
# Alembic migrations are generated; they are the one exception the rule allows
EXEMPT = ("election/migrations/versions/",)


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
                  if not any(str(p.relative_to(ROOT)).startswith(e) for e in EXEMPT))


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(files: dict[str, str]) -> dict[str, set[str]]:
    """module -> the modules of the tree it imports, at module level or inside a function alike (a lazy import
    that closes a circle is still a circle). ``from pkg import name`` counts as an import of ``pkg.name`` when that
    is a module of the tree, else of ``pkg``."""
    graph: dict[str, set[str]] = {}
    for module, source in files.items():
        is_package = source.startswith("\0package\0")
        tree = ast.parse(source.removeprefix("\0package\0"))
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in files)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolve against this module's package
                    package = module.split(".") if is_package else module.split(".")[:-1]
                    package = package[: len(package) - (node.level - 1)]
                    base = ".".join(package + ([node.module] if node.module else []))
                for alias in node.names:
                    if f"{base}.{alias.name}" in files:
                        edges.add(f"{base}.{alias.name}")
                    elif base in files:
                        edges.add(base)
        graph[module] = edges - {module}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _tree_sources() -> dict[str, str]:
    return {_module(p): ("\0package\0" if p.name == "__init__.py" else "") + p.read_text(encoding="utf-8")
            for p in _sources()}


def test_no_file_over_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in _sources()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"files over {MAX_LINES} lines: {long}"


def test_no_import_circle():
    assert circles(import_graph(_tree_sources())) == []


def test_circle_check_finds_a_lazy_circle_and_a_relative_one():
    files = {
        "app": "def make():\n    from app.cli import register\n",
        "app.cli": "from app import make\n",
        "app.a": "from .b import x\n",
        "app.b": "from app import a\nx = 1\n",
        "app.c": "import app.a\n",
    }
    assert sorted(circles(import_graph(files))) == [["app", "app.cli"], ["app.a", "app.b"]]
    del files["app.b"]
    files["app.b"] = "x = 1\n"
    assert circles(import_graph(files)) == [["app", "app.cli"]]


def _areas_on_disk() -> set[str]:
    """Every package of election/ and workflow/ (a folder with __init__.py), as 'election/duties'."""
    return {str(p.parent.relative_to(ROOT)) for pkg in PACKAGES for p in (ROOT / pkg).rglob("__init__.py")}


def _areas_in_readme() -> set[str]:
    """The packages the README's architecture map names: "name/" at the start of a line, nested by indentation
    (two spaces a level) under "election/" or "workflow/"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## 架构", 1)[1].split("```", 2)[1]
    named: set[str] = set()
    path: list[tuple[int, str]] = []
    for line in block.splitlines():
        m = re.match(r"^( *)([A-Za-z_][A-Za-z0-9_]*)/", line)
        if not m:
            continue
        indent, name = len(m.group(1)), m.group(2)
        while path and path[-1][0] >= indent:
            path.pop()
        path.append((indent, name))
        if path[0][1] in PACKAGES:
            named.add("/".join(n for _, n in path))
    return named


def test_readme_map_names_every_package_and_only_those():
    on_disk = {a for a in _areas_on_disk() if "/migrations" not in a}
    folders = {str(p.relative_to(ROOT)) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*")
               if p.is_dir() and p.name != "__pycache__"} | set(PACKAGES)
    in_readme = _areas_in_readme()
    assert sorted(on_disk - in_readme) == [], "packages missing from the README's architecture map"
    assert sorted(in_readme - folders) == [], "the README's architecture map names folders that do not exist"


@pytest.mark.parametrize("package", ["election", "workflow"])
def test_every_package_says_what_it_holds(package):
    silent = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("__init__.py")
              if "migrations" not in str(p) and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert silent == [], "a package's __init__.py starts with a docstring saying what the area holds"
