"""年会 pages: thin views — form → service → flash → redirect. The blueprint ``bp`` is defined in ``blueprint``."""
from __future__ import annotations

from election.assembly.views.blueprint import bp

__all__ = ["bp"]
