"""上下级 pages: setup (being built)."""
from __future__ import annotations

from election.levels.views.blueprint import bp  # noqa: F401
