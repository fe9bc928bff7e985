"""Fixtures shared by the web tests of the JSON API."""
from __future__ import annotations

import pytest

from election.clock import utcnow
from election.services import api_tokens


@pytest.fixture
def token_for(session, make_user, make_unit):
    """token_for(role, **user_fields) -> (user, Authorization headers)."""

    def make(role: str = "admin", **kw):
        if role == "unit" and "unit_id" not in kw:
            kw["unit_id"] = make_unit().id
        if role == "studio" and "office_id" not in kw:
            from election.models import DelegateOffice

            office = DelegateOffice(name=f"工作室{make_unit().id}")
            session.add(office)
            session.flush()
            kw["office_id"] = office.id
        user = make_user(role, **kw)
        issued = api_tokens.create_token(session, user, "测试", 30, utcnow())
        return user, {"Authorization": f"Bearer {issued.secret}"}

    return make
