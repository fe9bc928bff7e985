"""The 年会通知 and 议程 (.docx, GB/T 9704): the notice names the session, its time and place, the agenda, the
materials and how to ask for leave; the 议程 numbers the items and lists under the follow-up item what the session
before raised, without anyone typing it in."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from election.assembly import documents as docs
from election.assembly.models import AssemblySession, FollowUp
from election.assembly.services import sessions as svc
from election.assembly.services.followup_report import followup_report

NOW = datetime(2026, 12, 1, 2, 0)


def _text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_notice_and_agenda(session, assembly_world):
    w = assembly_world
    earlier = AssemblySession(organisation_id=w.district.id, congress=w.congress, meeting_no=4, title="第四次会议",
                              opens_on=date(2025, 12, 1), closes_on=date(2025, 12, 2))
    session.add(earlier)
    session.flush()
    session.add(FollowUp(session_id=earlier.id, source="appraisal", problem="联系群众不够紧密", owner="区委办",
                         due_on=date(2026, 6, 30)))
    session.commit()
    svc.add_agenda_item(session, w.office, w.session.id, "report", "审议区委工作报告", "", NOW)
    svc.add_agenda_item(session, w.office, w.session.id, "followup", "", "", NOW)
    meeting = session.get(AssemblySession, w.session.id)
    notice = _text(docs.render_notice(session, meeting, date(2026, 12, 5)))
    assert f"关于召开{meeting.title}的通知" in notice and "区委党校礼堂" in notice
    assert "2026年12月15日至2026年12月16日" in notice and "1.审议区委工作报告" in notice and "请假" in notice
    assert "中共某区委员会" in notice
    agenda = _text(docs.render_agenda(meeting, followup_report(session, meeting, date(2026, 12, 5)), date(2026, 12, 5)))
    assert "一、审议区委工作报告" in agenda and "二、上次会议决议落实和整改情况" in agenda
    assert "（1）联系群众不够紧密（责任单位：区委办" in agenda
