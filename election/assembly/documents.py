"""年会 documents in GB/T 9704 layout (election.documents.gbt9704): the 年会通知 to the delegates and the 议程 with
what the earlier sessions raised (整改情况, 决议落实情况) listed without anyone typing them in."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from election.assembly.models import AssemblySession
from election.documents import gbt9704 as g
from workflow.common.dates import cn_date

CN_NUMBERS = "一二三四五六七八九十"


def _signer(meeting: AssemblySession) -> str:
    return meeting.organisation.name if meeting.organisation is not None else "中共党委"


def _when(meeting: AssemblySession) -> str:
    if meeting.closes_on == meeting.opens_on:
        return cn_date(meeting.opens_on)
    return f"{cn_date(meeting.opens_on)}至{cn_date(meeting.closes_on)}"


def _cn(n: int) -> str:
    return CN_NUMBERS[n - 1] if 0 < n <= 10 else str(n)


def render_notice(db: Session, meeting: AssemblySession, today: dt.date) -> bytes:
    """年会通知: time, place, agenda summary, what to bring, the materials, how to ask for leave."""
    doc = g.OfficialDocument(title="年会通知")
    doc.title(f"关于召开{meeting.title}的通知")
    doc.paragraph("各位代表：", indent=False)
    doc.paragraph(f"经研究，定于{_when(meeting)}召开{meeting.title}。现将有关事项通知如下。")
    doc.heading1("一、会议时间和地点")
    doc.paragraph(f"会议时间：{_when(meeting)}。会议地点：{meeting.place or '另行通知'}。")
    doc.heading1("二、会议主要议程")
    if meeting.agenda:
        doc.paragraph("；".join(f"{i}.{item.title}" for i, item in enumerate(meeting.agenda, start=1)) + "。")
    else:
        doc.paragraph("议程另行通知。")
    doc.heading1("三、有关要求")
    doc.paragraph("请各位代表按时出席会议，携带代表证和本通知所附会议材料，提前做好审议准备。")
    materials = [m.title for m in meeting.materials]
    if materials:
        doc.paragraph("会议材料：" + "、".join(f"《{t}》" for t in materials) + "。")
    doc.paragraph(f"代表因故不能出席的，请于会前向{_signer(meeting)}选举办书面请假，说明理由。")
    if meeting.proposals_open_on and meeting.proposals_close_on:
        doc.paragraph(f"代表提案征集时间为{cn_date(meeting.proposals_open_on)}至{cn_date(meeting.proposals_close_on)}。")
    doc.signature(_signer(meeting), today)
    return doc.to_bytes()


def render_agenda(meeting: AssemblySession, report, today: dt.date) -> bytes:
    """议程: the numbered items, and under the follow-up item (or after the items) what earlier sessions raised."""
    doc = g.OfficialDocument(title="议程")
    doc.title(f"{meeting.title}\n议程")
    doc.paragraph(f"（{_when(meeting)}，{meeting.place or '地点另行通知'}）", indent=False, align="center")
    lines = _followup_lines(report)
    placed = False
    for i, item in enumerate(meeting.agenda, start=1):
        doc.paragraph(f"{_cn(i)}、{item.title}" + (f"（{item.note}）" if item.note else ""))
        if item.kind == "followup" and lines:
            for text in lines:
                doc.paragraph(text)
            placed = True
    if lines and not placed:
        doc.heading1("附：上次会议决议落实和民主评议整改情况")
        for text in lines:
            doc.paragraph(text)
    doc.signature(_signer(meeting), today)
    return doc.to_bytes()


def _followup_lines(report) -> list[str]:
    out = []
    for n, line in enumerate(report.followups, start=1):
        out.append(f"（{n}）{_line_text(line)}")
    for n, r in enumerate(report.resolutions, start=len(out) + 1):
        out.append(f"（{n}）{r.text}")
    return out


def _line_text(line) -> str:
    return getattr(line, "text", None) or str(line)
