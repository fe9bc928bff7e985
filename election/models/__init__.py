"""Typed SQLAlchemy 2 models, one module per aggregate."""
from election.db import Base
from election.models.audit import AuditEntry
from election.models.elections import CalendarDay, Election, ElectionDecision, Notification, StageChange, StageDue
from election.models.nominees import Nominee
from election.models.units import DelegateOffice, ElectionUnit, Unit
from election.models.users import User

# areas added by later issues register their tables here on import (a module per aggregate)
for _name in ("vetting", "voting", "duties", "api", "tasks"):
    try:
        __import__(f"election.models.{_name}")
    except ModuleNotFoundError as _exc:  # an area still being written
        if _exc.name != f"election.models.{_name}":
            raise

__all__ = [
    "AuditEntry",
    "Base",
    "CalendarDay",
    "DelegateOffice",
    "Election",
    "ElectionDecision",
    "ElectionUnit",
    "Nominee",
    "Notification",
    "StageChange",
    "StageDue",
    "Unit",
    "User",
]
