"""决议 as a GB/T 9704 document (docs/rules.md §7): the title 中国共产党…第N次会议关于…的决议, under it in 楷体 the line
（年月日…第N次会议通过）, then the text, one paragraph per line typed."""
from __future__ import annotations

from election.assembly.models import AssemblySession, Resolution
from election.documents import gbt9704 as g
from workflow.common.dates import cn_date


def resolution_heading(meeting: AssemblySession, resolution: Resolution) -> str:
    """中国共产党某区第十二次代表大会第五次会议关于…的决议 (a title already naming the session is kept as typed)."""
    title = resolution.title.strip()
    if title.startswith(("中国共产党", meeting.title)):
        return title
    return f"{meeting.title}{title}"


def render_resolution_docx(meeting: AssemblySession, resolution: Resolution) -> bytes:
    doc = g.OfficialDocument(title=resolution.title)
    doc.title(resolution_heading(meeting, resolution))
    doc.subtitle(f"（{cn_date(resolution.adopted_on)}{meeting.title}通过）")
    doc.blank()
    for line in resolution.text.splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    return doc.to_bytes()
