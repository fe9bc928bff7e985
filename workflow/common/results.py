"""Results as data: what blocks an action, and why (style.md §4.1)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Blocker:
    """One reason an action cannot happen.

    code    stable dotted id that tests assert (``quota.women.below_min``)
    message Chinese text telling the user what to fix
    source  where the rule comes from (``domain.md §3.2`` …)
    """

    code: str
    message: str
    source: str = ""


class DomainError(ValueError):
    """Bad input to a pure rule; ``message`` is Chinese and says what to fix."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
