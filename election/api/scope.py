"""What an API caller may reach: a 推荐单位 token reaches only its own unit (the scope is in the query, as
election.elections.queries.scoped_election_units does), and what is out of scope is "not found"."""
from __future__ import annotations

from sqlalchemy import false, select

from election.api import not_found
from election.core.db import db
from election.core.permissions import ELECTION_READERS, can_view_election
from election.core.roles import Role
from election.directory.models import ElectionUnit
from election.directory.scope import elections_in_scope
from election.elections.models import Election
from election.nominations.queries import scoped_election_units

READERS = tuple(ELECTION_READERS)                 # election-wide data
READERS_AND_UNIT = (*READERS, Role.unit)           # plus a unit's own part


def visible_elections(user):
    query = elections_in_scope(select(Election), user)
    if can_view_election(user):
        return query
    if user.role == Role.unit and user.unit_id is not None:
        return query.where(Election.id.in_(select(ElectionUnit.election_id)
                                           .where(ElectionUnit.unit_id == user.unit_id)))
    return query.where(false())


def election_or_404(user, election_id: int) -> Election:
    election = db.session.scalar(visible_elections(user).where(Election.id == election_id))
    if election is None:
        raise not_found("选举")
    return election


def election_unit_or_404(user, election_unit_id: int) -> ElectionUnit:
    eu = db.session.scalar(scoped_election_units(user).where(ElectionUnit.id == election_unit_id))
    if eu is None:
        raise not_found("推荐单位")
    return eu
