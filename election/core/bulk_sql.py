"""Writing many rows of one table in one statement, for the use cases that act on a list at once (the bulk 考察 calls
and their audit entries): the unit of work would send a statement per row, and a VALUES list of thousands of bind
parameters costs more to compile and to parse than to run. PostgreSQL gets one array parameter per column, unpacked
by ``unnest``; SQLite (in-process) one executemany. Callers pass complete, already-checked rows; the columns' Python
defaults fill what a row leaves out, as an ORM insert would.
"""
from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import JSON, Table, bindparam, insert, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

_PG = postgresql.dialect()


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _array(table: Table, key: str, name: str) -> str:
    """The bound list of column KEY as a typed array (JSON travels as text)."""
    column = table.c[key]
    if isinstance(column.type, JSON):
        return f"CAST(CAST(:{name} AS TEXT[]) AS JSON[])"
    return f"CAST(:{name} AS {column.type.compile(dialect=_PG)}[])"


def _values(table: Table, key: str, values: list) -> list:
    if isinstance(table.c[key].type, JSON):
        return [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
    return values


def _with_defaults(table: Table, rows: list[dict]) -> list[dict]:
    """Fill the columns a row leaves out from their Python defaults (one value for the whole list)."""
    missing = {}
    for column in table.columns:
        if column.key not in rows[0] and column.default is not None and not column.primary_key:
            arg = column.default.arg
            missing[column.key] = arg(None) if column.default.is_callable else arg
    return [{**row, **missing} for row in rows] if missing else rows


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """Insert ROWS (dicts with the same keys) into TABLE in one statement."""
    if not rows:
        return
    rows = _with_defaults(table, rows)
    if not _postgres(session):
        session.execute(insert(table), rows)
        return
    keys = list(rows[0])
    quote = _PG.identifier_preparer.quote
    statement = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
                 f"SELECT * FROM unnest({', '.join(_array(table, k, f'p{i}') for i, k in enumerate(keys))})")
    session.execute(text(statement), {f"p{i}": _values(table, k, [row[k] for row in rows]) for i, k in enumerate(keys)})


def update_rows(session: Session, table: Table, keys: Sequence[str], rows: list[tuple]) -> None:
    """Set the columns KEYS[1:] of the rows whose id is KEYS[0]'s value, from ROWS (tuples in the order of KEYS), in
    one statement."""
    if not rows:
        return
    key, fields = keys[0], list(keys[1:])
    if not _postgres(session):
        statement = update(table).where(table.c[key] == bindparam("match_key")).values(
            {f: bindparam(f"new_{f}") for f in fields})
        session.execute(statement, [{"match_key": r[0], **{f"new_{f}": v for f, v in zip(fields, r[1:])}}
                                    for r in rows])
        return
    quote = _PG.identifier_preparer.quote
    names = [quote(k) for k in keys]
    statement = (f"UPDATE {quote(table.name)} SET {', '.join(f'{n} = given.{n}' for n in names[1:])} "
                 f"FROM unnest({', '.join(_array(table, k, f'p{i}') for i, k in enumerate(keys))}) "
                 f"AS given({', '.join(names)}) WHERE {quote(table.name)}.{names[0]} = given.{names[0]}")
    session.execute(text(statement), {f"p{i}": _values(table, k, [r[i] for r in rows]) for i, k in enumerate(keys)})
