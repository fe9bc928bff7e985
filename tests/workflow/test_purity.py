"""workflow/ is the pure core: it imports no web, database or document library (rules run without the app)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

WORKFLOW = Path(__file__).resolve().parents[2] / "workflow"
FORBIDDEN = ("flask", "flask_login", "flask_wtf", "wtforms", "sqlalchemy", "alembic", "docx", "openpyxl",
             "election", "apscheduler", "psycopg", "werkzeug")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(WORKFLOW.rglob("*.py")), ids=lambda p: str(p.relative_to(WORKFLOW)))
def test_workflow_module_imports_nothing_impure(path):
    assert not (_imports(path) & set(FORBIDDEN)), f"{path.name} imports {_imports(path) & set(FORBIDDEN)}"


def test_purity_check_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from sqlalchemy.orm import Session\nimport flask\n", encoding="utf-8")
    assert _imports(bad) & set(FORBIDDEN) == {"sqlalchemy", "flask"}
