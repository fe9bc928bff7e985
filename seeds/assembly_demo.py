"""Demo data of the congress in session (党代会年会, docs/rules.md §7), on the duty demo's roll (区第十二次党代会, 40
delegates in 第1–4代表小组) and belonging to the demo district 中共某区委员会, so its 选举办 (``office``) sees it:

- last year's 第四次会议, held: agenda, 列席, sign-in (36 of 40, 3 on leave, 1 absent — 4/5 inclusive needs 32),
  the four groups with minutes, six 提案 and their 立案 review, a 民主测评 entered by ``teller`` and ``teller2``,
  confirmed and published (one person's 差 share just under a third, so not flagged), two resolutions and four
  follow-ups;
- between sessions: a 全委会 five delegates were invited to 列席 (no activity credit under 盐田) and two 询问/质询;
- this year's 第五次会议, being prepared: opens in 12 days, its notice (7 days before) not yet sent, the 提案 window
  open with three 提案 waiting for review (one by 孙丽华, the ``delegate`` user), a draft 民主测评.

Dated from the day it is loaded; deterministic; idempotent (looked up by the congress and 第四次会议).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.assembly.models import (
    AgendaItem,
    Appraisal,
    AppraisalEntry,
    AppraisalObject,
    AssemblySession,
    Attendance,
    FollowUp,
    GroupMember,
    Inquiry,
    Resolution,
    SessionGroup,
    SessionGuest,
    SitInInvitee,
    SitInMeeting,
)
from election.audit.services import audit
from election.core.clock import LOCAL_TZ, today_local, utcnow
from election.core.db import transaction
from election.directory.models import Organisation
from election.duties.models import ActivityRecord, Proposal, TermDelegate
from seeds.directory import TOP_CODE
from seeds.duties_demo import CONGRESS
from workflow.assembly.appraisal import default_rules, rules_to_settings

TITLE = "中国共产党某区第十二次代表大会第{}次会议"
PLACE = "区委党校礼堂"
# 来源: docs/rules.md §7 — the demo offices work under the 盐田 rules; 4/5 of the roll, inclusive (待定 setting)
QUORUM = {"quorum_preset": "yantian", "quorum_num": 4, "quorum_den": 5, "quorum_inclusive": True}
LEAVE = {4: "因公出差（赴省外招商）", 17: "住院治疗", 29: "参加市委党校培训"}  # roll index → 请假理由
ABSENT = 33  # neither signed in nor on leave
LAST_AGENDA = (
    ("report", "听取和审议中共某区委员会工作报告"),
    ("report", "听取和审议中共某区纪律检查委员会工作报告"),
    ("proposals", "审议代表提案"),
    ("appraisal", "对区委领导班子、区纪委领导班子和区委主要领导进行民主测评"),
)
NEXT_AGENDA = (
    ("report", "听取和审议中共某区委员会工作报告"),
    ("report", "听取和审议中共某区纪律检查委员会工作报告"),
    ("followup", "听取上次会议决议落实和整改情况的报告"),
    ("proposals", "审议代表提案"),
    ("appraisal", "对区委领导班子、区纪委领导班子和区委主要领导进行民主测评"),
)
# (kind, name, post) in ballot order
OBJECTS = (
    ("unit", "区委领导班子", ""),
    ("unit", "区纪委领导班子", ""),
    ("person", "张建民", "区委书记"),
    ("person", "刘卫东", "区委副书记、区长"),
    ("person", "陈志刚", "区委常委、常务副区长"),
)
# the agreed count of last year's 民主测评: 36 collected, 1 invalid → 35 valid; 好/较好/一般/差 per object
# (区纪委领导班子: one ballot left it blank). 陈志刚's 差 11/35 = 31.4% is under one third: not flagged.
COUNTS = ((24, 8, 2, 1), (22, 9, 3, 0), (26, 6, 2, 1), (20, 10, 4, 1), (9, 8, 7, 11))
ISSUED, INVALID = 36, 1
# (lead's roll index, 案由, 承办单位, filing, reason, assessment) of last year's six 提案
LAST_PROPOSALS = (
    (2, "关于加快老旧小区加装电梯的建议", "区住房和城乡建设局", "filed", "", "very_satisfied"),
    (7, "关于完善农村生活垃圾分类收运体系的提案", "区城市管理和综合执法局", "filed", "", "satisfied"),
    (12, "关于增设中小学课后托管服务点的提案", "区教育局", "filed", "", None),
    (21, "关于规范社区网格员队伍管理的提案", "区委政法委", "filed", "", None),
    (26, "关于调整本人所在单位职工福利待遇的提案", "", "not_filed", "属于个人及单位内部事务，不属于提案受理范围。", None),
    (35, "关于丰富社区老年人文化活动的提案", "区文化广电旅游体育局", "suggestion", "内容较为具体，转为代表建议交承办单位办理。",
     None),
)
NEXT_PROPOSALS = (
    (0, "关于在城关街道增设便民停车位的提案"),
    (9, "关于推进社区卫生服务中心家庭医生签约的提案"),
    (18, "关于加强工业园区企业安全生产监管的提案"),
)
MINUTES = ("代表们一致认为区委工作报告实事求是、重点突出，建议进一步加大民生投入，关注老旧小区改造。",
           "代表们对纪委工作报告表示赞同，建议加强基层“微腐败”整治，畅通群众监督渠道。",
           "代表们围绕产业发展展开讨论，建议优化营商环境，加大对中小企业的扶持。",
           "代表们建议加强教育、医疗资源均衡配置，完善农村公共服务设施。")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 2月29日
        return day.replace(year=day.year - 1, day=28)


def session_dates(today: date) -> tuple[date, date]:
    """(last year's opening day, this year's opening day): this year's in 12 days, last year's on the same day a year
    earlier — kept in the last calendar year."""
    this = today + timedelta(days=12)
    return min(_year_before(this), date(today.year - 1, 12, 20)), this


def load_assembly_demo(session: Session, today: date | None = None, now: datetime | None = None) -> bool:
    """Create the sessions demo unless it is there (or the duty demo's roll or the district is missing)."""
    today = today or today_local()
    now = now or utcnow()
    if session.scalar(select(AssemblySession.id).where(AssemblySession.congress == CONGRESS,
                                                       AssemblySession.meeting_no == 4)) is not None:
        return False
    district = session.scalar(select(Organisation.id).where(Organisation.code == TOP_CODE))
    roll = list(session.scalars(select(TermDelegate).where(TermDelegate.congress == CONGRESS,
                                                           TermDelegate.status == "serving")
                                .order_by(TermDelegate.id)))
    if district is None or len(roll) < 40:
        return False
    users = {u.username: u.id for u in session.scalars(select(User).where(
        User.username.in_(["office", "teller", "teller2"])))}
    with transaction(session):
        build = _Build(session, district, roll, users, today, now)
        build.last_session()
        build.between_sessions()
        build.next_session()
        audit(session, None, "seed.assembly", object_type="assembly_sessions", object_id="",
              summary=f"载入年会演示数据：{CONGRESS}第四次会议（已召开）、第五次会议（筹备中），闭会期间列席会议1次、询问质询2件",
              after={"sessions": 2, "proposals": len(LAST_PROPOSALS) + len(NEXT_PROPOSALS)}, now=now)
    return True


class _Build:
    def __init__(self, session: Session, district: int, roll: list[TermDelegate], users: dict, today: date,
                 now: datetime):
        self.s, self.district, self.roll, self.today, self.now = session, district, roll, today, now
        self.office, self.teller, self.teller2 = users.get("office"), users.get("teller"), users.get("teller2")
        self.last_opens, self.next_opens = session_dates(today)
        self.last: AssemblySession | None = None

    def _session(self, no: int, opens: date, status: str, **kw) -> AssemblySession:
        meeting = AssemblySession(organisation_id=self.district, congress=CONGRESS, meeting_no=no,
                                  title=TITLE.format("四" if no == 4 else "五"), opens_on=opens,
                                  closes_on=opens + timedelta(days=1), place=PLACE, status=status, notice_days=7,
                                  self_sign_in=False, created_by_id=self.office, created_at=self.now, **QUORUM, **kw)
        self.s.add(meeting)
        self.s.flush()
        return meeting

    def _agenda(self, meeting: AssemblySession, items) -> None:
        self.s.add_all(AgendaItem(session_id=meeting.id, seq=i, kind=kind, title=title)
                       for i, (kind, title) in enumerate(items, start=1))

    # 第四次会议 ---------------------------------------------------------------------------------------------
    def last_session(self) -> None:
        opens = self.last_opens
        closes = opens + timedelta(days=1)
        present = len(self.roll) - len(LEAVE) - 1
        m = self._session(4, opens, "held", notified_at=_at(opens - timedelta(days=8), 10),
                          proposals_open_on=opens - timedelta(days=20), proposals_close_on=opens,
                          opened_at=_at(opens, 8, 30), held_at=_at(closes, 17), held_by_id=self.office,
                          roll_count=len(self.roll), present_count=present)
        self.last = m
        self._agenda(m, LAST_AGENDA)
        self.s.add_all([
            SessionGuest(session_id=m.id, name="赵德厚", workplace="区人大常委会主任", reason="不是党代会代表的区级领导干部"),
            SessionGuest(session_id=m.id, name="钱玉芬", workplace="区政协主席", reason="不是党代会代表的区级领导干部"),
        ])
        for i, d in enumerate(self.roll):
            if i == ABSENT:
                continue
            reason = LEAVE.get(i, "")
            self.s.add(Attendance(session_id=m.id, delegate_id=d.id, status="leave" if reason else "present",
                                  reason=reason, recorded_by_id=self.office,
                                  recorded_at=_at(opens, 8 if not reason else 7, 30 if not reason else 50)))
        self._groups(m, opens)
        self._last_proposals(m, opens)
        self._appraisal(m, opens)
        self._resolutions_and_followups(m, opens, closes)

    def _groups(self, m: AssemblySession, opens: date) -> None:
        for n in range(1, 5):
            name = f"第{n}代表小组"
            members = [d for d in self.roll if d.group_name == name]
            convener = next((d for d in members if d.group_role == "组长"), members[0])
            group = SessionGroup(session_id=m.id, name=name, convener_id=convener.id, minutes=MINUTES[n - 1],
                                 minutes_by_id=self.office, minutes_at=_at(opens, 17, 30))
            self.s.add(group)
            self.s.flush()
            self.s.add_all(GroupMember(session_id=m.id, group_id=group.id, delegate_id=d.id) for d in members)

    def _last_proposals(self, m: AssemblySession, opens: date) -> None:
        filed_at = _at(opens + timedelta(days=10), 15)
        for k, (lead, title, unit, filing, reason, assessment) in enumerate(LAST_PROPOSALS):
            replied = filing in ("filed", "suggestion")  # both go to the 承办单位 for a reply
            replied_on = opens + timedelta(days=30 + 15 * k) if replied else None
            self.s.add(Proposal(
                kind="proposal", lead_delegate_id=self.roll[lead].id, title=title,
                grounds="群众反映较多，经调研了解到相关问题较为突出。", solution="建议相关部门统筹研究，制定具体措施加以解决。",
                submitted_on=opens - timedelta(days=15 - k), handling_unit=unit,
                reply=f"{unit}答复：已列入年度工作计划，正在推进落实。" if replied else "", replied_on=replied_on,
                assessment=assessment, session_id=m.id, filing=filing, filing_reason=reason, filed_at=filed_at,
                filed_by_id=self.office, reply_due_on=opens + timedelta(days=120) if replied else None,
                created_at=self.now))

    def _appraisal(self, m: AssemblySession, opens: date) -> None:
        rules = default_rules("rating")
        a = Appraisal(session_id=m.id, kind="rating", title="区委领导班子和领导干部民主测评", grades=list(rules.grades),
                      settings=rules_to_settings(rules), status="published", ballots_issued=ISSUED,
                      ballots_collected=ISSUED, confirmed={}, opened_at=_at(opens + timedelta(days=1), 9),
                      published_at=_at(opens + timedelta(days=1), 16), published_by_id=self.office,
                      created_at=self.now)
        self.s.add(a)
        self.s.flush()
        objects = self._objects(a)
        figures = {"invalid": INVALID, "objects": {
            str(o.id): dict(zip(rules.grades, counts, strict=True)) for o, counts in zip(objects, COUNTS, strict=True)}}
        a.confirmed = figures
        for no, teller in ((1, self.teller), (2, self.teller2)):
            if teller is not None:
                self.s.add(AppraisalEntry(appraisal_id=a.id, entry_no=no, teller_id=teller, figures=figures,
                                          entered_at=_at(opens + timedelta(days=1), 11, 10 * no)))
        self.appraised = objects

    def _objects(self, a: Appraisal) -> list[AppraisalObject]:
        objects = [AppraisalObject(appraisal_id=a.id, seq=i, kind=kind, name=name, post=post)
                   for i, (kind, name, post) in enumerate(OBJECTS, start=1)]
        self.s.add_all(objects)
        self.s.flush()
        return objects

    def _resolutions_and_followups(self, m: AssemblySession, opens: date, closes: date) -> None:
        work = Resolution(session_id=m.id, title="关于中共某区委员会工作报告的决议",
                          text="大会同意区委工作报告，号召全区党员干部围绕年度目标任务，凝心聚力、真抓实干。",
                          adopted_on=closes, implementation="区委将决议确定的任务分解为重点工作，已按季度督查，主要任务进展顺利。",
                          implementation_reported_on=self.today - timedelta(days=20), created_at=self.now)
        discipline = Resolution(session_id=m.id, title="关于中共某区纪律检查委员会工作报告的决议",
                                text="大会同意区纪委工作报告，要求持续深化全面从严治党，加强对基层权力运行的监督。",
                                adopted_on=closes, created_at=self.now)
        self.s.add_all([work, discipline])
        weak = self.appraised[4]  # 陈志刚: the most 差 votes
        t = self.today
        rows = (  # (object, problem, 责任单位, deadline, status, done on): 2 done, 1 in progress, 1 open and late
            (self.appraised[0], "测评中反映联系基层群众不够经常", "区委办公室", closes + timedelta(days=90), "done",
             closes + timedelta(days=80)),
            (self.appraised[1], "测评中反映基层监督覆盖不够全面", "区纪委监委", closes + timedelta(days=120), "done",
             closes + timedelta(days=110)),
            (weak, "测评中反映分管领域项目推进较慢、服务企业不够主动", "区政府办公室", t + timedelta(days=60),
             "in_progress", None),
            (weak, "测评中反映重点项目审批环节多、时限长", "区发展和改革局", t - timedelta(days=30), "open", None),
        )
        progress = {"done": "已制定整改措施并按期完成。", "in_progress": "已制定整改方案，正在推进。", "open": ""}
        for obj, problem, owner, due, status, done_on in rows:
            self.s.add(FollowUp(session_id=m.id, source="appraisal", appraisal_object_id=obj.id, problem=problem,
                                owner=owner, due_on=due, status=status, progress=progress[status], done_on=done_on,
                                updated_at=self.now))

    # 闭会期间 -------------------------------------------------------------------------------------------------
    def between_sessions(self) -> None:
        held_on = self.today - timedelta(days=30)
        meeting = SitInMeeting(organisation_id=self.district, congress=CONGRESS, kind="plenary",
                               title="中共某区委员会第十二届全体会议（扩大）", held_on=held_on, place="区委常委会议室",
                               created_by_id=self.office, created_at=self.now)
        self.s.add(meeting)
        self.s.flush()
        for k, i in enumerate((3, 8, 14, 22, 31)):  # 来源: docs/rules.md §7 — 盐田 scores no 列席: no activity
            self.s.add(SitInInvitee(meeting_id=meeting.id, delegate_id=self.roll[i].id, attended=k != 4,
                                    leave_reason="外出学习，已向区委组织部请假" if k == 4 else ""))
        new_year = date(self.today.year, 1, 1)  # the activities they credit are this duty year's
        asked = max(self.today - timedelta(days=60), new_year)
        inquiries = [
            Inquiry(organisation_id=self.district, kind="inquiry", delegate_id=self.roll[5].id,
                    department="区教育局", subject="关于城区学校学位紧张问题的询问",
                    content="城区部分学校学位紧张，请说明新建学校的进度和下一年度的招生安排。",
                    submitted_on=asked, due_on=asked + timedelta(days=30),
                    reply="新建第三小学已完成主体工程，预计下学期投入使用，可增加学位540个。",
                    replied_on=asked + timedelta(days=(self.today - asked).days // 2), created_by_id=self.office,
                    created_at=self.now),
            Inquiry(organisation_id=self.district, kind="interpellation", delegate_id=self.roll[11].id,
                    department="区生态环境局", subject="关于工业园区夜间异味扰民问题的质询",
                    content="工业园区周边居民多次反映夜间有刺激性异味，请说明监测结果和整治措施。",
                    submitted_on=max(self.today - timedelta(days=5), new_year), due_on=self.today + timedelta(days=25),
                    created_by_id=self.office, created_at=self.now),
        ]
        for inquiry in inquiries:  # 盐田 scores 询问质询 (5 points): registered by the office, so verified
            word = "询问" if inquiry.kind == "inquiry" else "质询"
            record = ActivityRecord(delegate_id=inquiry.delegate_id, type_code="inquiry", on=inquiry.submitted_on,
                                    description=f"{word}{inquiry.department}：{inquiry.subject}", status="verified",
                                    verified_by_id=self.office, verified_at=self.now, created_by_id=self.office,
                                    created_at=self.now)
            self.s.add(record)
            self.s.flush()
            inquiry.activity_id = record.id
            self.s.add(inquiry)

    # 第五次会议 -----------------------------------------------------------------------------------------------
    def next_session(self) -> None:
        opens = self.next_opens
        m = self._session(5, opens, "preparing", proposals_open_on=self.today - timedelta(days=10),
                          proposals_close_on=opens - timedelta(days=2))
        self._agenda(m, NEXT_AGENDA)
        self.s.add(SessionGuest(session_id=m.id, name="赵德厚", workplace="区人大常委会主任",
                                reason="不是党代会代表的区级领导干部"))
        for k, (lead, title) in enumerate(NEXT_PROPOSALS):
            self.s.add(Proposal(kind="proposal", lead_delegate_id=self.roll[lead].id, title=title,
                                grounds="群众反映集中，代表走访调研后提出。", solution="建议相关部门研究制定具体方案，限期解决。",
                                submitted_on=self.today - timedelta(days=8 - 3 * k), session_id=m.id, filing="pending",
                                created_at=self.now))
        rules = default_rules("rating")
        draft = Appraisal(session_id=m.id, kind="rating", title="区委领导班子和领导干部民主测评", grades=list(rules.grades),
                          settings=rules_to_settings(rules), status="draft", created_at=self.now)
        self.s.add(draft)
        self.s.flush()
        self._objects(draft)
