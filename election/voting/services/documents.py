"""The documents of the 差额选举, built as plain data for ``election.documents``: the ballot paper, the 预备人选
名册, 登记表 and 情况报告, the 选举情况报告 round by round, and the 当选代表名册 and 登记表 (.docx and .xlsx); every list
in 姓氏笔画 order (docs/rules.md §3.3, §3.4).
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.exceptions import ServiceError
from election.elections.facts import reference_date
from election.elections.models import Election
from election.nominations.models import Nominee
from election.voting.models import BallotRound, ConfirmMeeting, Delegate, HigherNominee
from election.voting.services.queries import voting_view
from election.voting.services.state import (
    KIND_LABELS,
    _unit_names,
    ballot_candidates,
    confirmed_people,
    higher_people,
    load_election,
    load_round,
    pads_single_names,
    total_seats,
)
from workflow.common.strokes import sort_by_name
from workflow.common.titles import join_title
from workflow.pipeline.stages import Stage


def _xlsx(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from election.core.xlsx_write import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, list(columns))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, list(row))
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(2, i).column_letter].width = max(8, min(40, 2 * len(str(col)) + 4))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()



def _title(election: Election) -> str:
    return election.title


def _signature(election: Election) -> str:
    return election.electing_body or "中共××区委"


def _person_row(p: Nominee | HigherNominee | Delegate, unit: str = ""):
    from election.documents.data import PersonRow

    return PersonRow(name=p.name, gender=p.gender, ethnicity=p.ethnicity, birth_month=p.birth_date,
                     native_place=getattr(p, "native_place", ""), education=getattr(p, "education", ""),
                     party_join=getattr(p, "party_join_date", None),
                     workplace_title=getattr(p, "workplace_title", "") or unit, category=p.category or "")


def ballot_docx(session: Session, round_id: int) -> bytes:
    """The ballot paper of a round: candidates in 姓氏笔画 order, seats stated, write-in lines.

    来源: docs/rules.md §3.3, §3.4."""
    rnd = load_round(session, round_id)
    election = load_election(session, rnd.election_id)
    kind = "" if rnd.kind == "regular" else f"（{KIND_LABELS[rnd.kind]}）"
    return _ballot(election, rnd.seats, rnd.candidates, kind, with_higher_note=rnd.kind == "regular")


BALLOT_STAGES = (Stage.ballot, Stage.report, Stage.completed)


def first_ballot_docx(session: Session, election_id: int) -> bytes:
    """The ballot of the first round, to print before the meeting: the final 预备人选 with the 上级提名 candidates,
    once the election is in 差额选举 (the list no longer changes) — the same paper as the first round's.

    来源: docs/rules.md §3.3 (选票), §3.4."""
    election = load_election(session, election_id)
    if Stage(election.stage) not in BALLOT_STAGES:
        raise ServiceError("预备人选确定、选举进入“差额选举”阶段后才能印制选票。")
    first = session.scalar(select(BallotRound).where(BallotRound.election_id == election.id, BallotRound.round_no == 1))
    if first is not None:
        return ballot_docx(session, first.id)
    candidates = ballot_candidates(session, election)
    if not candidates:
        raise ServiceError("还没有候选人：请先确定预备人选。")
    return _ballot(election, total_seats(election), candidates, "", with_higher_note=True)


def _ballot(election: Election, seats: int, candidates: Sequence[str], kind: str, with_higher_note: bool) -> bytes:
    from election.documents.ballot import render_ballot
    from election.documents.data import BallotData

    higher = election.higher_nominated_seats or 0
    note = f"，含上级党委提名名额{higher}名" if higher and with_higher_note else ""
    return render_ballot(BallotData(title=join_title(_title(election), "选举选票", kind), seats=seats,
                                    candidates=tuple(candidates), write_in_lines=min(seats, 6),
                                    seats_note=note, pad_single_given_name=pads_single_names(election)))


def _confirmed_sorted(session: Session, election: Election) -> list[Nominee]:
    return sort_by_name(confirmed_people(session, election.id), lambda p: p.name, pad_single_given_name=pads_single_names(election))


def confirmed_roster_docx(session: Session, election_id: int) -> bytes:
    """预备人选名册 (reported to the higher committee)."""
    from election.documents.rosters import render_roster, roster_from_people

    election = load_election(session, election_id)
    units = _unit_names(session, election_id)
    people = _confirmed_sorted(session, election)
    data = roster_from_people(join_title(_title(election), "预备人选名册"), [_person_row(p) for p in people],
                              pad_single_given_name=pads_single_names(election), extra_columns=("推荐单位",),
                              extra_values=[(units.get(p.election_unit_id, ""),) for p in people])
    return render_roster(data)


def _registration(p, title: str, unit: str, today: date):
    from election.documents.data import RegistrationFormData
    from election.vetting.services.documents import registration_details
    from workflow.quotas.rules import age_on

    return RegistrationFormData(title=title, name=p.name, gender=p.gender, ethnicity=p.ethnicity,
                                birth_month=p.birth_date, native_place=getattr(p, "native_place", ""),
                                party_join=getattr(p, "party_join_date", None),
                                work_start=getattr(p, "work_start_date", None),
                                education=getattr(p, "education", ""),
                                workplace_title=getattr(p, "workplace_title", ""), category=p.category or "",
                                age=age_on(p.birth_date, today) if p.birth_date else None, recommending_unit=unit,
                                **registration_details(p))


def registration_docx(session: Session, election_id: int, which: str, today: date) -> bytes:
    """登记表 of the 预备人选 (which='confirmed') or of the elected delegates (which='elected')."""
    from election.documents.forms import render_registration_forms

    election = load_election(session, election_id)
    units = _unit_names(session, election_id)
    ref = reference_date(election, today)
    if which == "elected":
        people = _elected_people(session, election)
        title = "当选代表登记表"
    else:
        people = _confirmed_sorted(session, election)
        title = "预备人选登记表"
    forms = [_registration(p, title, units.get(getattr(p, "election_unit_id", None), "上级党委提名"), ref)
             for p in people]
    if not forms:
        raise ServiceError("没有可以生成登记表的人员。")
    return render_registration_forms(forms)


def _elected_people(session: Session, election: Election) -> list:
    """The elected as their nominee / higher-nominee rows (write-ins as delegate rows), 姓氏笔画 order."""
    delegates = session.scalars(select(Delegate).where(Delegate.election_id == election.id)).all()
    nominee_ids = [d.nominee_id for d in delegates if d.nominee_id]
    nominees = {n.id: n for n in session.scalars(select(Nominee).where(Nominee.id.in_(nominee_ids)))} \
        if nominee_ids else {}
    higher = {h.id: h for h in higher_people(session, election.id)}
    people = [nominees.get(d.nominee_id) or higher.get(d.higher_nominee_id) or d for d in delegates]
    return sort_by_name(people, lambda p: p.name, pad_single_given_name=pads_single_names(election))


def confirm_report_values(session: Session, election: Election) -> dict[str, str]:
    """The placeholders of the 预备人选情况报告 template (election.documents.wording) with the election's figures."""
    people = _confirmed_sorted(session, election)
    meeting = session.scalar(select(ConfirmMeeting).where(ConfirmMeeting.election_id == election.id))
    n = len(people)
    meeting_text = (f"{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日，{meeting.body}"
                    f"应到会委员{meeting.members}名，实到会{meeting.attendance}名，以无记名投票方式圈选产生预备人选{n}名。"
                    if meeting else f"经全委会圈选，产生预备人选{n}名。")
    return {"选举名称": _title(election), "发布机关": _signature(election),
            "上级党委": election.convening_body or "上级党委", "圈选情况": meeting_text,
            "应选名额": str(election.seats), "人数": str(n), "差额": str(max(n - election.seats, 0)),
            "名单": "、".join(p.name for p in people)}


def confirm_report_docx(session: Session, election_id: int, today: date) -> bytes:
    """情况报告 on the 预备人选 to the higher committee, in the election's own wording, with the structure counts."""
    from election.documents.data import ReportData, ReportSection, ReportStat
    from election.documents.reports import render_situation_report
    from election.documents.wording import DEFAULTS, WordingKind, report_text
    from election.wording.store import stored_wording
    from workflow.quotas.rules import age_on

    election = load_election(session, election_id)
    people = _confirmed_sorted(session, election)
    n = len(people)
    ref = reference_date(election, today)
    stats = (ReportStat("女性", sum(p.gender == "女" for p in people), n),
             ReportStat("少数民族", sum(p.ethnicity != "汉族" for p in people), n),
             ReportStat("50岁以下", sum(age_on(p.birth_date, ref) < 50 for p in people), n))
    kind = WordingKind.report_confirmed
    wording = report_text(stored_wording(session, election.id, kind) or DEFAULTS[kind],
                          confirm_report_values(session, election))
    data = ReportData(
        title=join_title("关于", _title(election), "预备人选的情况报告"), addressee=f"{election.convening_body or '上级党委'}组织部：",
        intro=wording.intro,
        sections=tuple(ReportSection(heading, texts, subs) for heading, texts, subs in wording.sections),
        stats=stats, signature=_signature(election), date=today, attachments=("预备人选名册", "预备人选登记表"))
    return render_situation_report(data)


def result_report_docx(session: Session, election_id: int, today: date) -> bytes:
    """选举情况报告: every round with its figures and the elected in 姓氏笔画 order."""
    from election.documents.data import ResultReportData, ResultRound, VoteRow
    from election.documents.reports import render_result_report

    view = voting_view(session, election_id)
    election = view.election
    rounds = []
    for rnd in view.rounds:
        if rnd.status != "closed":
            continue
        r = rnd.result
        listed = set(rnd.candidates)
        valid = r["valid_ballots"]
        against = r.get("against", {})
        elected = set(r["elected"])
        rows = tuple(VoteRow(name=n, for_votes=v, against=against.get(n, 0),
                             abstain=(valid - v - against.get(n, 0)) if n in listed else 0,
                             write_in=n not in listed, elected=n in elected) for n, v in r["votes"].items())
        rounds.append(ResultRound(label=f"第{rnd.round_no}轮（{KIND_LABELS[rnd.kind]}）", eligible=rnd.eligible,
                                  present=rnd.present, ballots_issued=rnd.ballots_issued,
                                  ballots_collected=rnd.ballots_collected, valid=valid,
                                  invalid=r["invalid_ballots"], seats=rnd.seats, threshold=r["threshold"], votes=rows,
                                  explanation=rnd.explanation))
    elected = tuple(view.result.elected) if view.result else view.state.elected
    closing = tuple(f"结构要求：{w}" for w in (view.result.quota_warnings if view.result else []))
    data = ResultReportData(title=join_title("关于", _title(election), "选举情况的报告"),
                            addressee=f"{election.convening_body or '上级党委'}：",
                            intro=((f"{_signature(election)}召开会议，按照差额选举的办法选举{_title(election)}，"
                                    f"应选{total_seats(election)}名。现将选举情况报告如下。"),),
                            rounds=tuple(rounds), elected=elected, signature=_signature(election), date=today,
                            closing=closing, attachments=("当选代表名册", "当选代表登记表"))
    return render_result_report(data)


ROSTER_COLUMNS = ("序号", "姓名", "性别", "民族", "出生年月", "身份类别", "工作单位及职务", "得票数")


def _elected_rows(session: Session, election: Election) -> list[tuple]:
    delegates = sort_by_name(session.scalars(select(Delegate).where(Delegate.election_id == election.id)).all(),
                             lambda d: d.name, pad_single_given_name=pads_single_names(election))
    return [(i, d.name, d.gender, d.ethnicity, d.birth_date.strftime("%Y.%m") if d.birth_date else "", d.category,
             d.unit, d.votes) for i, d in enumerate(delegates, 1)]


def elected_roster_docx(session: Session, election_id: int) -> bytes:
    """当选代表名册 (.docx), 姓氏笔画 order."""
    from election.documents.data import RosterData
    from election.documents.rosters import render_roster

    election = load_election(session, election_id)
    rows = _elected_rows(session, election)
    if not rows:
        raise ServiceError("尚未录入选举结果。")
    return render_roster(RosterData(title=join_title(_title(election), "当选代表名册"), columns=ROSTER_COLUMNS,
                                    rows=tuple(tuple(str(c) for c in r) for r in rows), note="按姓氏笔画排序",
                                    subtitle=f"（共{len(rows)}名）"))


def elected_roster_xlsx(session: Session, election_id: int) -> bytes:
    """当选代表名册 (.xlsx)."""
    election = load_election(session, election_id)
    rows = _elected_rows(session, election)
    if not rows:
        raise ServiceError("尚未录入选举结果。")
    return _xlsx(join_title(_title(election), "当选代表名册"), ROSTER_COLUMNS, rows)


REGISTRATION_COLUMNS = ("序号", "姓名", "性别", "民族", "出生年月", "籍贯", "学历", "入党时间", "参加工作时间",
                        "工作单位及职务", "身份类别", "推荐单位")


def registration_xlsx(session: Session, election_id: int) -> bytes:
    """当选代表登记表 as a sheet, one row per delegate (.xlsx)."""
    election = load_election(session, election_id)
    units = _unit_names(session, election_id)
    people = _elected_people(session, election)
    if not people:
        raise ServiceError("尚未录入选举结果。")

    def month(d):
        return d.strftime("%Y.%m") if d else ""

    rows = [(i, p.name, p.gender, p.ethnicity, month(p.birth_date), getattr(p, "native_place", ""),
             getattr(p, "education", ""), month(getattr(p, "party_join_date", None)),
             month(getattr(p, "work_start_date", None)), getattr(p, "workplace_title", "") or getattr(p, "unit", ""),
             p.category, units.get(getattr(p, "election_unit_id", None), "上级党委提名"))
            for i, p in enumerate(people, 1)]
    return _xlsx("当选代表登记表", REGISTRATION_COLUMNS, rows)
