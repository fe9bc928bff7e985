"""Typed SQLAlchemy 2 models, one module per aggregate."""
from election.db import Base
from election.models.audit import AuditEntry
from election.models.elections import Election, StageChange, StageDue
from election.models.nominees import Nominee
from election.models.units import DelegateOffice, ElectionUnit, Unit
from election.models.users import User

__all__ = ["AuditEntry", "Base", "DelegateOffice", "Election", "ElectionUnit", "Nominee", "StageChange",
           "StageDue", "Unit", "User"]
