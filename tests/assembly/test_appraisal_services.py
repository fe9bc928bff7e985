"""民主测评 by double entry (docs/rules.md §7): set up in draft, opened at the session, two tellers' entries
compared and confirmed, published to the delegates; another district's staff reach none of it."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from election.assembly.models import Appraisal, AppraisalEntry
from election.assembly.services import appraisals as svc
from election.audit.models import AuditEntry
from election.core.exceptions import NotFound, PermissionDenied, ServiceError

NOW = datetime(2026, 12, 15, 2, 0)


def _status(session, w, status):
    w.session.status = status
    held = status == "held"
    w.session.held_at = NOW if held else None
    w.session.roll_count, w.session.present_count = (12, 11) if held else (None, None)
    session.commit()


def _setup(session, w, *, status="open"):
    data = svc.AppraisalInput("rating", objects=svc.parse_objects("区委领导班子\n张伟，区委书记\n李娜，区委副书记"))
    a = svc.create_appraisal(session, w.office, w.session.id, data, NOW)
    _status(session, w, status)
    return a


def _figures(a, invalid=1, first=(10, 5, 2, 1)):
    keys = [str(o.id) for o in a.objects]
    rows = {keys[0]: dict(zip(("好", "较好", "一般", "差"), first, strict=True)),
            keys[1]: {"好": 12, "差": 7}, keys[2]: {"好": 9, "较好": 9}}
    return {"invalid": invalid, "objects": rows}


def _opened(session, w):
    a = _setup(session, w)
    return svc.open_appraisal(session, w.office, a.id, 20, 20, NOW)


def test_setup_defaults_parse_and_edit_only_in_draft(session, assembly_world):
    w = assembly_world
    a = _setup(session, w, status="preparing")
    assert a.title == "对区委领导班子和班子成员的民主测评" and a.grades == ["好", "较好", "一般", "差"]
    assert [(o.seq, o.kind, o.name, o.post) for o in a.objects] == [
        (1, "unit", "区委领导班子", ""), (2, "person", "张伟", "区委书记"), (3, "person", "李娜", "区委副书记")]
    assert a.settings["poor_threshold"] == "1/3" and a.settings["flag_label"] == "不称职"
    changed = svc.update_appraisal(session, w.office, a.id, svc.AppraisalInput(
        "rating", "测评", svc.parse_grades("优秀、称职、基本称职、不称职"),
        {"good": ["优秀", "称职"], "poor": "不称职", "poor_threshold": "1/2"}, svc.parse_objects("李娜，区委副书记\n张伟")), NOW)
    assert changed.grades == ["优秀", "称职", "基本称职", "不称职"]
    assert [o.name for o in changed.objects] == ["李娜", "张伟"]
    with pytest.raises(ServiceError, match="计入差评率的等次"):
        svc.update_appraisal(session, w.office, a.id, svc.AppraisalInput("rating", "", ["好", "差"], {"poor": "很差"},
                                                                         svc.parse_objects("甲")), NOW)
    with pytest.raises(ServiceError, match="重复列出"):
        svc.update_appraisal(session, w.office, a.id, svc.AppraisalInput("rating", objects=svc.parse_objects("甲\n甲")),
                             NOW)
    with pytest.raises(ServiceError, match="会议开幕后"):
        svc.open_appraisal(session, w.office, a.id, 12, 12, NOW)
    _status(session, w, "open")
    svc.open_appraisal(session, w.office, a.id, 12, 12, NOW)
    with pytest.raises(ServiceError, match="不能再修改"):
        svc.update_appraisal(session, w.office, a.id, svc.AppraisalInput("rating", objects=svc.parse_objects("甲")), NOW)


def test_setup_refused_after_the_session_and_to_others(session, assembly_world):
    w = assembly_world
    _status(session, w, "held")
    data = svc.AppraisalInput("confidence", objects=svc.parse_objects("张伟，区委书记"))
    with pytest.raises(ServiceError, match="不能再增加测评"):
        svc.create_appraisal(session, w.office, w.session.id, data, NOW)
    with pytest.raises(NotFound):
        svc.create_appraisal(session, w.other_office, w.session.id, data, NOW)
    with pytest.raises(PermissionDenied):
        svc.create_appraisal(session, w.teller, w.session.id, data, NOW)


def test_more_collected_than_issued_must_be_redone(session, assembly_world):
    a = _setup(session, assembly_world)
    with pytest.raises(ServiceError, match="本次测评无效，应重新进行"):
        svc.open_appraisal(session, assembly_world.office, a.id, 12, 13, NOW)
    assert session.get(Appraisal, a.id).status == "draft"


def test_double_entry_by_two_tellers(session, assembly_world, make_user):
    w = assembly_world
    a = _opened(session, w)
    svc.enter_figures(session, w.teller, a.id, 1, _figures(a), NOW)
    with pytest.raises(ServiceError, match="两次录入须由两位计票人员分别独立完成"):
        svc.enter_figures(session, w.teller, a.id, 2, _figures(a), NOW)
    with pytest.raises(ServiceError, match="须两位计票人员分别录入"):
        svc.confirm_appraisal(session, w.teller, a.id, NOW)
    svc.enter_figures(session, w.teller2, a.id, 2, _figures(a, invalid=0, first=(9, 5, 2, 1)), NOW)
    third = make_user("teller")
    session.commit()
    with pytest.raises(ServiceError, match="第1次录入已由.*完成，只能由其本人修改"):
        svc.enter_figures(session, third, a.id, 1, _figures(a), NOW)
    cmp = svc.compare(session, session.get(Appraisal, a.id))
    assert [(d.object_name, d.grade, d.first, d.second) for d in cmp.differences] == [
        ("无效票", "—", 1, 0), ("区委领导班子", "好", 10, 9)]
    with pytest.raises(ServiceError, match="有2处不同"):
        svc.confirm_appraisal(session, w.office, a.id, NOW)
    svc.enter_figures(session, w.teller2, a.id, 2, _figures(a), NOW)  # the second teller corrects his own entry
    confirmed = svc.confirm_appraisal(session, w.office, a.id, NOW)
    assert confirmed.status == "confirmed" and confirmed.confirmed == _figures(a)
    with pytest.raises(ServiceError, match="不在计票中"):
        svc.enter_figures(session, w.teller, a.id, 1, _figures(a), NOW)
    with pytest.raises(ServiceError, match="已确认"):
        svc.confirm_appraisal(session, w.teller, a.id, NOW)
    assert session.scalar(select(func.count()).select_from(AuditEntry)
                          .where(AuditEntry.action == "assembly.appraisal.confirm")) == 1
    assert session.scalar(select(func.count()).select_from(AppraisalEntry)
                          .where(AppraisalEntry.appraisal_id == a.id)) == 2


def test_figures_over_the_valid_ballots_are_refused_naming_the_object(session, assembly_world):
    w = assembly_world
    a = _opened(session, w)
    with pytest.raises(ServiceError, match="区委领导班子：各等次票数之和（20）超过有效票数（19）"):
        svc.enter_figures(session, w.teller, a.id, 1, _figures(a, first=(10, 5, 3, 2)), NOW)
    with pytest.raises(ServiceError, match="整数"):
        svc.enter_figures(session, w.teller, a.id, 1, {"invalid": "x"}, NOW)
    with pytest.raises(PermissionDenied):
        svc.enter_figures(session, w.office, a.id, 1, _figures(a), NOW)
    assert session.scalar(select(func.count()).select_from(AppraisalEntry)) == 0


def test_publish_only_when_confirmed_and_delegates_see_only_published(session, assembly_world):
    w = assembly_world
    a = _opened(session, w)
    with pytest.raises(ServiceError, match="票数确认后才能公布"):
        svc.publish_appraisal(session, w.office, a.id, NOW)
    with pytest.raises(NotFound):
        svc.load_appraisal(session, w.delegate_user, a.id)
    assert svc.session_appraisals(session, w.delegate_user, w.session.id) == []
    svc.enter_figures(session, w.teller, a.id, 1, _figures(a), NOW)
    svc.enter_figures(session, w.teller2, a.id, 2, _figures(a), NOW)
    svc.confirm_appraisal(session, w.teller2, a.id, NOW)
    with pytest.raises(PermissionDenied):
        svc.publish_appraisal(session, w.teller, a.id, NOW)
    svc.publish_appraisal(session, w.office, a.id, NOW)
    seen = svc.load_appraisal(session, w.delegate_user, a.id)
    res = svc.results_of(seen)
    assert res.valid == 19 and res.invalid == 1
    first = res.rows[0]
    assert dict(first.result.counts) == {"好": 10, "较好": 5, "一般": 2, "差": 1}
    assert first.good_rate == "78.9%" and first.result.blank == 1 and first.result.verdict == "好"
    assert [r.obj.name for r in res.flagged] == ["张伟"]  # 7 of 19 差 is over one third
    assert res.rows[1].poor_share == "36.8%" and res.rows[2].result.verdict == "好、较好（票数相同）"
    with pytest.raises(NotFound):
        svc.load_appraisal(session, w.other_office, a.id)
