"""Exceptions that services raise and the web layer turns into Chinese pages or messages."""
from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    """Someone else changed the same thing first (optimistic locking, a double submit)."""

    status = 409
