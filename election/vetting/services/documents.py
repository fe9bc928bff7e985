"""The documents of 考察 and 公示, built from the rows as plain data for ``election.documents``: the 公示 notice,
the 名册 and 登记表 of each step, and the 情况报告 on the 初步人选 with its counts; names in 姓氏笔画 order and never
an ID number (docs/rules.md §3.4, §3.5).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.exceptions import NotFound, ServiceError
from election.documents.data import (
    ContactOffice,
    NoticeData,
    PersonRow,
    RegistrationFormData,
    ReportData,
    ReportSection,
    ReportStat,
    resume_lines,
)
from election.documents.data import NoticeKind as DocNoticeKind
from election.documents.forms import render_registration_forms
from election.documents.notices import notice_values, render_publicity_notice
from election.documents.reports import render_situation_report
from election.documents.rosters import render_roster, roster_from_people
from election.documents.wording import DEFAULTS, WordingKind, report_text
from election.elections.models import Election
from election.nominations.models import Nominee
from election.vetting.models import Complaint, Notice, Vetting
from election.vetting.services.enums import ComplaintConclusion, Conclusion, RosterKind
from election.vetting.services.notices import _notice, notice_people
from election.vetting.services.people import _election, _pad, people_at, sort_people
from election.wording.store import stored_wording
from workflow.common.titles import join_title
from workflow.quotas.categories import CategoryTree
from workflow.quotas.rules import age_on


def person_row(n: Nominee) -> PersonRow:
    """A person as printed: the notice fields of docs/rules.md §3.5, never an ID number."""
    return PersonRow(name=n.name, gender=n.gender, ethnicity=n.ethnicity, birth_month=n.birth_date,
                     native_place=n.native_place, education=n.education, party_join=n.party_join_date,
                     workplace_title=n.workplace_title, category=n.category)


def registration_details(n) -> dict:
    """The 登记表 fields a unit collects beyond the notice fields (出生地 … 奖惩情况), as ``RegistrationFormData``
    keywords; a row without them (a write-in delegate, an upper-level nominee) gives empty ones."""
    return {"birthplace": getattr(n, "birthplace", "") or "", "health": getattr(n, "health", "") or "",
            "professional_title": getattr(n, "professional_title", "") or "",
            "resume": resume_lines(getattr(n, "resume", "") or ""), "rewards": getattr(n, "rewards", "") or ""}


def _order_note(election: Election) -> str:
    return "按姓氏笔画排序" + ("，单名姓名间空一字" if _pad(election) else "")


def _issuing_body(election: Election) -> str:
    return (election.electing_body or "").strip() or "选举工作领导小组"


_NOTICE_WORDING = {"first": WordingKind.notice_first, "second": WordingKind.notice_second}


def notice_data(session: Session, notice: Notice) -> NoticeData:
    election = _election(session, notice.election_id)
    people = sort_people(election, notice_people(session, notice))
    return NoticeData(
        kind=DocNoticeKind(notice.kind), title=("关于考察对象的公示" if notice.kind == "first" else "关于初步人选的公示"),
        election_title=election.title, issuing_body=_issuing_body(election), intro="",
        people=tuple(person_row(p) for p in people), period_start=notice.posted_on, period_end=notice.period_end,
        office=ContactOffice(notice.office_name, notice.office_phone, notice.office_address, notice.office_mailbox),
        signature=notice.office_name or _issuing_body(election), date=notice.posted_on,
        working_days=notice.working_days, pad_single_given_name=_pad(election),
        wording=stored_wording(session, election.id, _NOTICE_WORDING[notice.kind]))


def render_notice_document(session: Session, notice_id: int) -> bytes:
    """The .docx of a first (per unit) or second 公示."""
    return render_publicity_notice(notice_data(session, _notice(session, notice_id)))


def render_roster_document(session: Session, election_id: int, kind: str) -> bytes:
    """推荐人选名册 / 考察对象名册 / 初步人选名册 in 姓氏笔画 order; no ID numbers."""
    election = _election(session, election_id)
    which = RosterKind(kind)
    rows = people_at(session, election, which.value, submitted_only=which is RosterKind.nominated)
    people = [person_row(n) for n, _ in rows]
    roster = roster_from_people(join_title(election.title, which.label, "名册"), people, note=_order_note(election),
                                pad_single_given_name=_pad(election), extra_columns=("推荐单位",),
                                extra_values=[(u,) for _, u in rows])
    return render_roster(roster)


def _form_title(kind: RosterKind) -> str:
    return {"nominated": "推荐人选登记表", "shortlisted": "考察对象登记表", "preliminary": "代表候选人初步人选登记表"}[kind.value]


def render_registration_document(session: Session, election_id: int, kind: str, nominee_id: int | None = None,
                                 today: date | None = None) -> bytes:
    """登记表: one person, or everyone at a step (each on its own page), in 姓氏笔画 order."""
    from election.elections.facts import reference_date

    election = _election(session, election_id)
    which = RosterKind(kind)
    rows = people_at(session, election, which.value, submitted_only=which is RosterKind.nominated)
    if nominee_id is not None:
        rows = [r for r in rows if r[0].id == nominee_id]
        if not rows:
            raise NotFound("该人员不在此名单中。")
    if not rows:
        raise ServiceError(f"还没有{which.label}，无法生成登记表。")
    ref = reference_date(election, today or date.today())
    forms = [RegistrationFormData(
        title=_form_title(which), name=n.name, gender=n.gender, ethnicity=n.ethnicity, birth_month=n.birth_date,
        native_place=n.native_place, party_join=n.party_join_date, work_start=n.work_start_date,
        education=n.education, workplace_title=n.workplace_title, category=n.category,
        age=age_on(n.birth_date, ref), recommending_unit=unit, **registration_details(n)) for n, unit in rows]
    return render_registration_forms(forms)


@dataclass(frozen=True)
class ReportCounts:
    nominated: int
    shortlisted: int
    preliminary: int
    unfit: int
    removed_by_complaint: int
    appraisals: int
    interviews: int
    complaints: Counter = field(default_factory=Counter)


def compute_report_counts(session: Session, election: Election) -> ReportCounts:
    nominated = people_at(session, election, "nominated", include_removed=True, submitted_only=True)
    shortlisted = [n for n, _ in people_at(session, election, "shortlisted", include_removed=True)]
    vettings = list(session.scalars(select(Vetting).where(Vetting.election_id == election.id)))
    complaints = session.scalars(select(Complaint.conclusion).join(Notice, Notice.id == Complaint.notice_id)
                                 .where(Notice.election_id == election.id)).all()
    return ReportCounts(
        nominated=len(nominated), shortlisted=len(shortlisted),
        preliminary=len(people_at(session, election, "preliminary")),
        unfit=sum(1 for v in vettings if v.conclusion == Conclusion.unfit),
        removed_by_complaint=sum(1 for n in shortlisted if (n.removed_reason or "").startswith("公示期间")),
        appraisals=sum(v.appraisal_count or 0 for v in vettings),
        interviews=sum(v.interview_count or 0 for v in vettings),
        complaints=Counter(c or "open" for c in complaints))


def report_values(election: Election, c: ReportCounts, people: list[Nominee]) -> dict[str, str]:
    """The placeholders of the 情况报告 template (election.documents.wording) with the election's counts."""
    closed = {k: v for k, v in c.complaints.items() if k != "open"}
    return {"选举名称": election.title, "发布机关": _issuing_body(election),
            "上级党委": election.convening_body or "上级党委", "推荐人数": str(c.nominated),
            "考察对象人数": str(c.shortlisted), "民主测评人次": str(c.appraisals), "个别谈话人次": str(c.interviews),
            "不宜人数": str(c.unfit), "反映件数": str(sum(c.complaints.values())), "办结件数": str(sum(closed.values())),
            "办结情况": "、".join(f"{ComplaintConclusion(k).label}{v}件" for k, v in sorted(closed.items())) or "无",
            "移出人数": str(c.removed_by_complaint), "人数": str(len(people)), "名单": "、".join(p.name for p in people)}


def wording_values(session: Session, election: Election, kind: WordingKind, today: date) -> dict[str, str] | None:
    """What the election's document of KIND would be filled with now; None when no such 公示 exists yet."""
    if kind is WordingKind.report_preliminary:
        people = [n for n, _ in people_at(session, election, "preliminary")]
        return report_values(election, compute_report_counts(session, election), people)
    notice = session.scalars(select(Notice).where(Notice.election_id == election.id,
                                                  Notice.kind == ("first" if kind is WordingKind.notice_first
                                                                  else "second"))
                             .order_by(Notice.id.desc()).limit(1)).first()
    return None if notice is None else notice_values(notice_data(session, notice))


def render_report_document(session: Session, election_id: int, today: date) -> bytes:
    """情况报告 on the 初步人选 for the higher committee, with its counts filled in."""
    from election.elections.facts import reference_date

    election = _election(session, election_id)
    c = compute_report_counts(session, election)
    people = [n for n, _ in people_at(session, election, "preliminary")]
    ref = reference_date(election, today)
    tree = CategoryTree(election.categories or None)
    total = len(people)
    stats = [ReportStat("女性", sum(1 for p in people if p.gender == "女"), total),
             ReportStat("少数民族", sum(1 for p in people if p.ethnicity not in ("汉族", "汉")), total),
             ReportStat("50岁以下", sum(1 for p in people if age_on(p.birth_date, ref) < 50), total)]
    for root in tree.roots():
        stats.append(ReportStat(root, sum(1 for p in people if p.category in tree and tree.contains(root, p.category)),
                                total))
    wording = report_text(stored_wording(session, election.id, WordingKind.report_preliminary)
                          or DEFAULTS[WordingKind.report_preliminary], report_values(election, c, people))
    data = ReportData(
        title=join_title("关于", election.title, "初步人选的情况报告"),
        addressee=(election.convening_body or "上级党委") + "组织部",
        intro=wording.intro,
        sections=tuple(ReportSection(heading, texts, subs) for heading, texts, subs in wording.sections),
        signature=_issuing_body(election), date=today, stats=tuple(stats), stats_title="初步人选结构情况",
        attachments=("初步人选名册", "初步人选登记表"))
    return render_situation_report(data)
