"""Results as data: what blocks an action, and why."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Blocker:
    """One reason an action cannot happen.

    code    stable dotted id that tests assert (``quota.women.below_min``)
    message Chinese text telling the user what to fix
    source  the governing text as the user reads it (``选举工作方案（结构要求）`` …; workflow.common.sources)
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
