"""The roles of the system and their Chinese labels."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    office = "office"
    unit = "unit"
    inspector = "inspector"
    discipline = "discipline"
    teller = "teller"
    delegate = "delegate"
    studio = "studio"
    auditor = "auditor"
    upper = "upper"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.admin: "组织部管理员",
    Role.office: "选举办工作人员",
    Role.unit: "推荐单位经办人",
    Role.inspector: "考察组",
    Role.discipline: "纪检",
    Role.teller: "监票计票人员",
    Role.delegate: "代表",
    Role.studio: "党代表工作室工作人员",
    Role.auditor: "只读审计",
    Role.upper: "上级组织部门",
}
