"""上下级 pages: thin views — form → service → flash → redirect.

The blueprint ``bp`` is defined in ``blueprint``; the routes live in one module per part: ``setup`` (the upper
committee's election, its 选举单位' seats, structure and timeline, its own nominees), ``reports`` (the packages a
选举单位 reports up and the upper committee's decisions) and ``overview`` (the upper committee's view of every
选举单位 and of the whole congress, combined rosters and its documents).
"""
from __future__ import annotations

from election.levels.views import overview, reports, setup
from election.levels.views.blueprint import bp

__all__ = ["bp", "overview", "reports", "setup"]
