"""选票: the ballot paper of the 差额选举 (docs/rules.md §3.3, §3.4), one A4 page where it fits.

Title (2号 小标宋), the seats ("应选16名"), the candidates in the order given (the caller sorts them by 姓氏笔画)
in rows of ``columns`` with a box under each name for the mark, then ``write_in_lines`` blank name boxes for
另选人 with their own mark boxes, then the 说明 on how to mark: ○ 赞成, × 不赞成 (and a name may be written in),
no mark = 弃权 (an abstainer cannot write in); more "○" than seats (write-ins included) voids the ballot.
Under the title, the 正式选举 label; at the foot, the places where the 总监票人 and 监票人 sign and the box for the
大会印章 (a ballot is valid only stamped and signed, docs/rules.md §3.3). Names are 4号 仿宋_GB2312, the 说明 小四.
A ballot has no page number.
"""
from __future__ import annotations

from election.documents import gbt9704 as g
from election.documents.data import BallotData

_LABEL_MM = 22
_NAME_ROW_MM = 10
_MARK_ROW_MM = 12


def standard_instructions(data: BallotData) -> tuple[str, ...]:
    """The 说明 printed when the caller gives none (来源: docs/rules.md §3.3 marks and ballot validity)."""
    return (
        f"1．本次选举应选{data.seats}名{data.seats_note}，候选人{len(data.candidates)}名，按姓氏笔画为序排列。",
        "2．赞成的，在候选人姓名下方的空格内划“○”；不赞成的，划“×”；弃权的，不划任何符号。",
        ("3．对不赞成的候选人，可以另选他人：在“另选人姓名”栏内写上另选人的姓名，并在其下方的空格内划“○”。"
        "对候选人弃权的，不能另选他人。"),
        f"4．每张选票划“○”的人数（含另选人）等于或少于{data.seats}名的为有效票，多于{data.seats}名的为无效票。",
        "5．符号要划在规定的空格内，清楚准确，不得涂改。",
    )


def _grid_rows(label_name: str, names: list[str], columns: int) -> list[g.Row]:
    """Pairs of rows: names (kept with the next row), then the boxes for the marks. The unused end of the
    last row is one merged grey cell, so there is no stray box to write a name or a mark in."""
    rows: list[g.Row] = []
    for start in range(0, len(names), columns):
        chunk = names[start:start + columns]
        filler = (g.Cell(span=columns - len(chunk), shade="D9D9D9"),) if len(chunk) < columns else ()
        name_cells = (g.Cell(label_name, keep_next=True),) + tuple(
            g.Cell(n, size=g.SIZE_4, keep_next=True) for n in chunk) + filler
        mark_cells = (g.Cell("划符号处"),) + tuple(g.Cell("") for _ in chunk) + filler
        rows.append(g.Row(name_cells, _NAME_ROW_MM))
        rows.append(g.Row(mark_cells, _MARK_ROW_MM, exact=True))
    return rows


def _columns_for(names: list[str], wanted: int) -> int:
    """Fewer names a row when the longest name would not fit its cell on one line in 4号 (买买提·艾力)."""
    need = max(g.cell_need_mm(n, g.SIZE_4) for n in names)
    columns = wanted
    while columns > 1 and (g.TEXT_WIDTH_MM - _LABEL_MM) / columns < need:
        columns -= 1
    return columns


def render_ballot(data: BallotData) -> bytes:
    """The .docx of a ballot paper; candidates exactly in the order given."""
    if not data.candidates:
        raise ValueError("选票上没有候选人")
    if data.seats <= 0:
        raise ValueError("应选名额须大于0")
    if data.columns < 1:
        raise ValueError("每行候选人数须大于0")
    names = [g.format_name_cell(n, data.pad_single_given_name) for n in data.candidates]
    columns = _columns_for(names, data.columns)
    cell_mm = (g.TEXT_WIDTH_MM - _LABEL_MM) / columns
    widths = (_LABEL_MM,) + (cell_mm,) * columns

    doc = g.OfficialDocument(title=data.title, page_numbers=False)
    doc.title(data.title, after_twips=120)
    if data.label:
        doc.paragraph(data.label, indent=False, align="center", font=g.HEITI, size=g.SIZE_4, line_exact_twips=360)
    doc.subtitle(f"（应选{data.seats}名{data.seats_note}）", font=g.HEITI)
    doc.grid_table(widths, _grid_rows("候选人\n姓名", names, columns))
    if data.write_in_lines > 0:
        doc.paragraph("另选人", indent=False, font=g.HEITI, size=g.SIZE_SMALL_4, keep_next=True,
                      line_exact_twips=400)
        doc.grid_table(widths, _grid_rows("另选人\n姓名", [""] * data.write_in_lines, columns))
    doc.paragraph("说明：", indent=False, font=g.HEITI, size=g.SIZE_SMALL_4, line_exact_twips=400)
    for text in data.instructions or standard_instructions(data):
        doc.paragraph(text, indent=False, size=g.SIZE_SMALL_4, line_exact_twips=320)
    if data.signatures:
        doc.grid_table(_FOOT_MM, [_foot_row(data.signatures)])
    return doc.to_bytes()


_FOOT_MM = (g.TEXT_WIDTH_MM - 40, 40)


def _foot_row(signers: tuple[str, ...]) -> g.Row:
    """The signatures (one line each, written by hand) and the 印章 box at the foot of the ballot."""
    lines = tuple((f"{who}（签名）：", "left") for who in signers)
    return g.Row((g.Cell(lines=lines, align="left", valign="center"),
                  g.Cell("（大会印章）", size=g.SIZE_SMALL_4)), 12, exact=True)
