"""Reports upward: the 情况报告 (e.g. on the 预备人选, docs/rules.md §2 stage 7) and the 选举情况报告 (stage 8).

Both are official letters: title, 主送机关, text with "一、" (黑体) and "（一）" (楷体) headings, tables of
figures in 小四, 附件说明, 署名 and date. The service fills every count; nothing is computed here except the
printed share of a count (exact integer arithmetic, rounded half up to one decimal).
"""
from __future__ import annotations

from election.documents import gbt9704 as g
from election.documents.data import ReportData, ReportSection, ResultReportData, ResultRound

_NUMERALS = "一二三四五六七八九十"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for headings up to 99)."""
    if not 1 <= n <= 99:
        raise ValueError("标题序号应在1至99之间")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _NUMERALS[ones - 1]
    head = ("" if tens == 1 else _NUMERALS[tens - 1]) + "十"
    return head + (_NUMERALS[ones - 1] if ones else "")


def format_share(count: int, total: int) -> str:
    """8 of 21 → "38.1%", 7 of 14 → "50%": integers only, half up (never floats)."""
    if total <= 0:
        return "—"
    tenths = (count * 1000 * 2 + total) // (2 * total)
    whole, frac = divmod(tenths, 10)
    return f"{whole}%" if frac == 0 else f"{whole}.{frac}%"


def _has_number(heading: str) -> bool:
    return bool(heading) and heading[0] in _NUMERALS and "、" in heading[:4]


def _section(doc: g.OfficialDocument, number: int, section: ReportSection) -> None:
    heading = section.heading if _has_number(section.heading) else f"{chinese_ordinal(number)}、{section.heading}"
    doc.heading1(heading)
    for text in section.paragraphs:
        doc.paragraph(text)
    for i, (sub_heading, paragraphs) in enumerate(section.subsections, 1):
        doc.heading2(sub_heading if sub_heading.startswith("（") else f"（{chinese_ordinal(i)}）{sub_heading}")
        for text in paragraphs:
            doc.paragraph(text)


def _report_head(data: ReportData | ResultReportData) -> g.OfficialDocument:
    """Title, addressee and opening paragraphs, shared by the 情况报告 and the 选举情况报告."""
    doc = g.OfficialDocument(title=data.title)
    doc.title(data.title)
    doc.blank()
    doc.addressee(data.addressee)
    for text in data.intro:
        doc.paragraph(text)
    return doc


def render_situation_report(data: ReportData) -> bytes:
    """情况报告 with its counts: sections as given, then a table of the structure counts (人数, 占比)."""
    doc = _report_head(data)
    number = 0
    for number, section in enumerate(data.sections, 1):
        _section(doc, number, section)
    if data.stats:
        doc.heading1(f"{chinese_ordinal(number + 1)}、{data.stats_title}")
        rows = [(s.label, f"{s.count}名", format_share(s.count, s.total) if s.total is not None else "")
                for s in data.stats]
        columns = ("项目", "人数", "占比")
        doc.data_table(columns, rows, g.fit_columns(columns, rows, g.TEXT_WIDTH_MM),
                       aligns=("left", "center", "center"))
    doc.attachments(data.attachments)
    doc.signature(data.signature, data.date)
    return doc.to_bytes()


def _round_paragraph(r: ResultRound) -> str:
    return (f"应到会{r.eligible}人，实到会{r.present}人；发出选票{r.ballots_issued}张，收回{r.ballots_collected}张，"
            f"其中有效票{r.valid}张、无效票{r.invalid}张。应选{r.seats}名，得赞成票{r.threshold}票及以上方可当选。")


def render_result_report(data: ResultReportData) -> bytes:
    """选举情况报告: every round with its figures and vote table, then the elected in the order given."""
    doc = _report_head(data)
    number = 0
    for number, r in enumerate(data.rounds, 1):
        doc.heading1(f"{chinese_ordinal(number)}、{r.label}")
        doc.paragraph(_round_paragraph(r), keep_next=True)    # the figures, then their vote table
        rows = [
            (str(i), v.name + ("（另选人）" if v.write_in else ""), str(v.for_votes), str(v.against),
             str(v.abstain), "当选" if v.elected else "未当选")
            for i, v in enumerate(r.votes, 1)
        ]
        columns = ("序号", "姓名", "赞成票", "不赞成票", "弃权票", "结果")
        doc.data_table(columns, rows, g.fit_columns(columns, rows, g.TEXT_WIDTH_MM))
        if r.explanation:
            doc.paragraph(r.explanation)
    doc.heading1(f"{chinese_ordinal(number + 1)}、当选名单")
    names = "、".join(data.elected) if data.elected else "无"
    doc.paragraph(f"当选代表{len(data.elected)}名（按姓氏笔画排序）：{names}。")
    for text in data.closing:
        doc.paragraph(text)
    doc.attachments(data.attachments)
    doc.signature(data.signature, data.date)
    return doc.to_bytes()
