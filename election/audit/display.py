"""Audit entries as a clerk reads them: the action in Chinese, the object by its name, before → after."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.labels import ACTION_LABELS, FIELD_LABELS, OBJECT_LABELS, VALUE_LABELS
from election.audit.models import AuditEntry
from election.core.db import Base

NAME_COLUMNS = ("name", "title", "display_name")  # the first a table has names its rows
_MAX_ITEMS = 8


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    action: str
    object_kind: str
    object_name: str
    changes: list[str]


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, "其他操作")


def object_label(table: str) -> str:
    return OBJECT_LABELS.get(table, "其他对象" if table else "")


def _table(name: str):
    for mapper in Base.registry.mappers:
        if getattr(mapper, "local_table", None) is not None and mapper.local_table.name == name:
            return mapper.class_
    return None


def name_column(table: str):
    model = _table(table)
    if model is None:
        return None
    return next((getattr(model, c) for c in NAME_COLUMNS if c in model.__table__.c), None)


def object_names(session: Session, entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """{(table, id): name} for the entries' objects: one statement per kind of object on the page."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for e in entries:
        if e.object_type and e.object_id.isdigit():
            wanted[e.object_type].add(int(e.object_id))
    names: dict[tuple[str, str], str] = {}
    for table, ids in wanted.items():
        column = name_column(table)
        if column is None:
            continue
        model = column.class_
        for row_id, name in session.execute(select(model.id, column).where(model.id.in_(ids))):
            names[(table, str(row_id))] = str(name)
    return names


def _value(key: str, value: Any) -> str:
    from workflow.pipeline.stages import Stage

    if value is None or value == "" or value == [] or value == {}:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "stage" and isinstance(value, str):
        try:
            return Stage(value).label
        except ValueError:
            return value
    if key == "role" and isinstance(value, str):
        from election.core.roles import ROLE_LABELS

        return next((label for role, label in ROLE_LABELS.items() if role.value == value), value)
    if isinstance(value, str) and value in VALUE_LABELS.get(key, {}):
        return VALUE_LABELS[key][value]
    if isinstance(value, list):
        shown = "、".join(_value("", v) for v in value[:_MAX_ITEMS])
        return shown + (f"等{len(value)}项" if len(value) > _MAX_ITEMS else "")
    if isinstance(value, dict):
        return f"{len(value)}项"
    return str(value)


def describe_changes(before: dict | None, after: dict | None) -> list[str]:
    """'阶段：推荐提名 → 确定考察对象' per recorded field; fields without a Chinese name are counted, not named."""
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    lines, unnamed = [], 0
    for key in list(dict.fromkeys([*before, *after])):
        label = FIELD_LABELS.get(key)
        if label is None:
            unnamed += 1
            continue
        old, new = before.get(key), after.get(key)
        if key in before and key in after:
            if old != new:
                lines.append(f"{label}：{_value(key, old)} → {_value(key, new)}")
        elif key in after:
            lines.append(f"{label}：{_value(key, new)}")
        else:
            lines.append(f"{label}：原为{_value(key, old)}")
    if unnamed:
        lines.append(f"另有{unnamed}项记录未列出")
    return lines


def audit_rows(session: Session, entries: list[AuditEntry]) -> list[AuditRow]:
    names = object_names(session, entries)
    rows = []
    for e in entries:
        kind = object_label(e.object_type)
        name = names.get((e.object_type, e.object_id), "")
        if not name and e.object_id:
            name = f"第{e.object_id}号" if e.object_id.isdigit() else ("" if e.object_type == "calendar" else e.object_id)
            if e.object_type == "calendar":
                name = f"{e.object_id}年"
        rows.append(AuditRow(e, action_label(e.action), kind, name, describe_changes(e.before, e.after)))
    return rows
