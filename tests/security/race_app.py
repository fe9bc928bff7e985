"""The application the race harness serves with gunicorn: the real one, and one line per password checked against a
user's own hash (``User.check_password``) appended to the file named by ``RACE_PASSWORD_CHECKS``.

The line count per username is how the harness knows how many guesses were tried before the lockout: the answers
themselves are, rightly, all the same. Lines are short and written with O_APPEND, so the workers never mix them.
"""
from __future__ import annotations

import os

from election.accounts import models as _models

_real_check = _models.User.check_password


def _counted_check(self, password: str) -> bool:
    path = os.environ.get("RACE_PASSWORD_CHECKS")
    if path:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{self.username}\n".encode())
        finally:
            os.close(fd)
    return _real_check(self, password)


_models.User.check_password = _counted_check
# the users of the harness have cheap hashes (conftest.cheap_hash): the dummy hash of an unknown name or a locked
# account is made the same way, as in production both are scrypt
_models.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"

from election.wsgi import app  # after the wrapper, so every worker counts

__all__ = ["app"]
