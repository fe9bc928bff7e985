"""A user's part of the organisation directory: with levels on one installation, a 选举单位's staff see only the
elections of their own 选举单位 (and of the organisations under it), and the upper committee's staff the elections
of all its 选举单位. A user without an organisation works on the whole installation, as before there were levels.

What is out of a user's part is "not found", for a page and an API call alike: every id a URL names that leads
to an election (the election, a unit's part in it, a nominee, a 公示, a 反映, a voting round) or to an organisation
is checked before the view runs (``check_path_scope``); lists are filtered with ``elections_in_scope``.
"""
from __future__ import annotations

from flask import Flask, abort, g, request
from flask_login import current_user
from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from election.core.db import Base, db
from election.directory.models import ElectionUnit, Organisation
from election.elections.models import Election


def subtree_ids(session: Session, organisation_id: int) -> frozenset[int]:
    """The organisation and every organisation under it (retired ones too: their history stays theirs)."""
    tree = select(Organisation.id).where(Organisation.id == organisation_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Organisation.id).where(Organisation.parent_id == tree.c.id))
    return frozenset(session.scalars(select(tree.c.id)))


def reach_test(session: Session):
    """A function (user's organisation_id, an election's organisation_id) -> whether that user's part holds it,
    for choosing the recipients of a reminder; each organisation's part is read once."""
    parts: dict[int, frozenset[int]] = {}

    def reaches(user_org: int | None, election_org: int | None) -> bool:
        if user_org is None:
            return True
        if user_org not in parts:
            parts[user_org] = subtree_ids(session, user_org)
        return election_org in parts[user_org]
    return reaches


def org_scope(user) -> frozenset[int] | None:
    """The organisations the user may reach, or None for the whole installation (once per request)."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None or not getattr(user, "is_authenticated", False):
        return None
    cache = g.setdefault("_org_scope", {})
    if organisation_id not in cache:
        cache[organisation_id] = subtree_ids(db.session, organisation_id)
    return cache[organisation_id]


def election_in_scope(user, election: Election | None) -> bool:
    scope = org_scope(user)
    return scope is None or (election is not None and election.organisation_id in scope)


def elections_in_scope(query: Select, user) -> Select:
    """Filter a query over Election to the elections the user's part of the directory holds."""
    scope = org_scope(user)
    if scope is None:
        return query
    if not scope:
        return query.where(false())
    return query.where(Election.organisation_id.in_(scope))


def _election_org(table_name: str):
    """An object with an election_id column, by table (the areas' models are not imported here)."""
    def lookup(session: Session, value: int) -> int | None:
        table = Base.metadata.tables[table_name]
        return session.scalar(select(Election.organisation_id).join(table, table.c.election_id == Election.id)
                              .where(table.c.id == value))
    return lookup


def _column(session: Session, table_name: str, column: str, value: int) -> int | None:
    table = Base.metadata.tables[table_name]
    return session.scalar(select(table.c[column]).where(table.c.id == value))


def _direct_election(session: Session, value: int) -> int | None:
    return session.scalar(select(Election.organisation_id).where(Election.id == value))


def _complaint(session: Session, value: int) -> int | None:
    complaints, notices = Base.metadata.tables["complaints"], Base.metadata.tables["notices"]
    return session.scalar(select(Election.organisation_id).join(notices, notices.c.election_id == Election.id)
                          .join(complaints, complaints.c.notice_id == notices.c.id).where(complaints.c.id == value))


def _unit_part(session: Session, value: int) -> int | None:
    return session.scalar(select(Election.organisation_id).join(ElectionUnit, ElectionUnit.election_id == Election.id)
                          .where(ElectionUnit.id == value))


def _session_org(session: Session, table_name: str, value: int) -> int | None:
    table, sessions = Base.metadata.tables[table_name], Base.metadata.tables["assembly_sessions"]
    return session.scalar(select(sessions.c.organisation_id).join(table, table.c.session_id == sessions.c.id)
                          .where(table.c.id == value))


# URL argument -> the organisation the named object belongs to (its election's 选举单位, or itself)
PATH_ARGS = {
    "election_id": _direct_election,
    "election_unit_id": _unit_part,
    "nominee_id": _election_org("nominees"),
    "notice_id": _election_org("notices"),
    "round_id": _election_org("ballot_rounds"),
    "complaint_id": _complaint,
    "org_id": lambda session, value: value,
    # between levels: the congress is its upper committee's; an allocation its 选举单位's; a package its election's
    "congress_id": lambda session, value: _column(session, "congresses", "organisation_id", value),
    "congress_unit_id": lambda session, value: _column(session, "congress_units", "organisation_id", value),
    "report_id": _election_org("upward_reports"),
    "congress_nominee_id": lambda session, value: session.scalar(
        select(Base.metadata.tables["congresses"].c.organisation_id)
        .join(Base.metadata.tables["congress_nominees"],
              Base.metadata.tables["congress_nominees"].c.congress_id == Base.metadata.tables["congresses"].c.id)
        .where(Base.metadata.tables["congress_nominees"].c.id == value)),
    # the congress in session: a session, its appraisals and groups are the committee's whose congress it is
    "assembly_session_id": lambda session, value: _column(session, "assembly_sessions", "organisation_id", value),
    "appraisal_id": lambda session, value: _session_org(session, "assembly_appraisals", value),
    "group_id": lambda session, value: _session_org(session, "assembly_groups", value),
    "followup_id": lambda session, value: _session_org(session, "assembly_followups", value),
    "resolution_id": lambda session, value: _session_org(session, "assembly_resolutions", value),
    "sitin_id": lambda session, value: _column(session, "assembly_sitins", "organisation_id", value),
    "inquiry_id": lambda session, value: _column(session, "assembly_inquiries", "organisation_id", value),
}


def path_in_scope(user, view_args: dict | None) -> bool:
    """Whether every object the URL's arguments name lies in the user's part of the directory."""
    if not view_args or not any(isinstance(view_args.get(name), int) for name in PATH_ARGS):
        return True
    scope = org_scope(user)
    if scope is None:
        return True
    for name, lookup in PATH_ARGS.items():
        value = view_args.get(name)
        if isinstance(value, int) and lookup(db.session, value) not in scope:
            return False
    return True


def check_path_scope() -> None:
    """Before every page request of a user limited to a part of the directory: a URL naming an object outside
    it answers 404, exactly as for an object that does not exist. (The API checks its caller — known only from
    the token — the same way in election.api.run.)"""
    if request.blueprint != "api" and not path_in_scope(current_user, request.view_args):
        abort(404)


def register_org_scope(app: Flask) -> None:
    app.before_request(check_path_scope)
