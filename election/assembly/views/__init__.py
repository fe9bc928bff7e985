"""年会 pages: thin views — form → service → flash → redirect.

The blueprint ``bp`` is defined in ``blueprint``; the routes live in one module per part: ``sessions`` (the session,
its agenda, 列席, materials, notice and 召开), ``attendance`` (sign-in and groups), ``proposals`` (提案 and their 立案
review), ``appraisals`` (民主评议、测评、信任投票), ``resolutions`` (决议与整改) and ``between`` (闭会期间的列席与询问、质询).
"""
from __future__ import annotations

from election.assembly.views import appraisals, attendance, between, proposals, resolutions, sessions
from election.assembly.views.blueprint import bp

__all__ = ["appraisals", "attendance", "between", "bp", "proposals", "resolutions", "sessions"]
