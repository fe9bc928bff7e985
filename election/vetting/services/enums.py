"""The states and kinds of 考察 and 公示, as ``StrEnum`` with their Chinese labels: the 考察结论, a 公示's status, how a
反映 came in, its status and 核查结论, and which 名册 (推荐人选, 考察对象, 初步人选) a document lists.
"""
from __future__ import annotations

from enum import StrEnum


class Conclusion(StrEnum):
    passed = "passed"
    unfit = "unfit"

    @property
    def label(self) -> str:
        return {"passed": "通过", "unfit": "不宜"}[self.value]


class NoticeStatus(StrEnum):
    draft = "draft"
    published = "published"
    ended = "ended"

    @property
    def label(self) -> str:
        return {"draft": "草稿", "published": "已发布", "ended": "已结束"}[self.value]


class Channel(StrEnum):
    phone = "phone"
    letter = "letter"
    visit = "visit"
    email = "email"
    other = "other"

    @property
    def label(self) -> str:
        return {"phone": "来电", "letter": "来信", "visit": "来访", "email": "电子邮件", "other": "其他"}[self.value]


class ComplaintStatus(StrEnum):
    registered = "registered"
    assigned = "assigned"
    checking = "checking"
    closed = "closed"

    @property
    def label(self) -> str:
        return {"registered": "已登记", "assigned": "已交办", "checking": "核查中", "closed": "已办结"}[self.value]


class ComplaintConclusion(StrEnum):
    true = "true"
    partly = "partly"
    false = "false"
    unverifiable = "unverifiable"

    @property
    def label(self) -> str:
        return {"true": "属实", "partly": "部分属实", "false": "不属实", "unverifiable": "无法核实"}[self.value]


class RosterKind(StrEnum):
    nominated = "nominated"
    shortlisted = "shortlisted"
    preliminary = "preliminary"

    @property
    def label(self) -> str:
        return {"nominated": "推荐人选", "shortlisted": "考察对象", "preliminary": "初步人选"}[self.value]
