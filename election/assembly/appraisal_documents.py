"""民主评议结果通报 (.docx, GB/T 9704): title, 主送, the session with its date and attendance (应到/实到), one table
per appraisal with its ballots issued, collected and valid, the objects flagged or not winning confidence named,
署名 the committee and the date. Built from the confirmed results (election.assembly.services.appraisals)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from election.assembly.models import AssemblySession
from election.assembly.services.appraisals import KIND_LABELS, Results
from election.documents import gbt9704 as g
from workflow.common.dates import cn_date

CHINESE_NO = "一二三四五六七八九十"


def _no(n: int) -> str:
    return CHINESE_NO[n - 1] if 0 < n <= 10 else str(n)


def attendance_line(meeting: AssemblySession, roll: int | None, present: int | None) -> str:
    """应到/实到: as recorded when the session was held, else from the sign-in so far."""
    if roll is None or present is None:
        return "到会情况以会议登记为准"
    held = "，符合规定人数" if meeting.status == "held" else ""
    return f"应到代表{roll}名，实到{present}名{held}"


def columns_of(res: Results) -> list[str]:
    cols = ["序号", "测评对象", *res.rules.grades, "未评"]
    if res.appraisal.kind == "confidence":
        return [*cols, "信任率", "结果"]
    return [*cols, "好评率", "差评率", "等次"]


def row_cells(i: int, row, res: Results) -> list[str]:
    name = row.obj.name + (f"（{row.obj.post}）" if row.obj.post else "")
    cells = [str(i), name, *(str(n) for _, n in row.result.counts), str(row.result.blank)]
    if res.appraisal.kind == "confidence":
        return [*cells, row.good_rate, row.result.verdict]
    verdict = row.result.verdict + (f"（{res.rules.flag_label}）" if row.result.flagged else "")
    return [*cells, row.good_rate, row.poor_share, verdict]


def render_results_docx(meeting: AssemblySession, results: Sequence[Results], signer: str, today: dt.date, *,
                        roll: int | None = None, present: int | None = None) -> bytes:
    doc = g.OfficialDocument(title="民主评议结果通报")
    doc.title(f"关于{meeting.title}\n民主评议（测评）结果的通报")
    doc.addressee("各代表团（代表小组），各位代表")
    when = cn_date(meeting.opens_on)
    kinds = "、".join(dict.fromkeys(KIND_LABELS[r.appraisal.kind] for r in results)) or "民主评议"
    doc.paragraph(f"{when}，{meeting.title}在{meeting.place or '会场'}召开，{attendance_line(meeting, roll, present)}。"
                  f"会议按照有关规定进行了{kinds}，由监票计票人员两人分别录入、核对一致后确认。"
                  "现将结果通报如下。")
    for n, res in enumerate(results, 1):
        a = res.appraisal
        doc.heading1(f"{_no(n)}、{a.title}")
        doc.paragraph(f"发出票{a.ballots_issued}张，收回{a.ballots_collected}张，其中有效票{res.valid}张，"
                      f"无效票{res.invalid}张。比率均按有效票计算。")
        columns = columns_of(res)
        rows = [row_cells(i, row, res) for i, row in enumerate(res.rows, 1)]
        doc.data_table(columns, rows, widths_mm=g.fit_columns(columns, rows, doc.text_width_mm))
        if a.kind == "confidence":
            lost = res.not_passed
            doc.paragraph("、".join(r.obj.name for r in lost) + "未获得信任。" if lost else "以上对象均获得信任。")
        else:
            flagged = res.flagged
            label = res.rules.flag_label
            if flagged:
                doc.paragraph("、".join(r.obj.name for r in flagged) + f"的差评率超过规定比例，评为“{label}”，"
                              "请按规定提出整改意见并在下一次年会上报告整改情况。")
            else:
                doc.paragraph(f"以上对象的差评率均未超过规定比例，无“{label}”评价。")
    doc.paragraph("民主评议只统计各等次的票数，不记录任何代表的评议意见。")
    doc.signature(signer, today)
    return doc.to_bytes()
