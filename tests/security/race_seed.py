"""The world of the race harness (test_race_harness.py), written straight into a fresh database: the users, their
API tokens, and for each way in ("page", "api") one untouched object per case — a round with its entries, an
election in the right stage, a draft notice, a list ready to submit — so that every case starts clean.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

from sqlalchemy.orm import Session

from tests.security import conftest as sec
from workflow.common.idcard import make_id

CANDIDATES = ("丁一", "王芳", "李娜")  # 姓氏笔画 order
TOTALS = {"valid": 40, "invalid": 0, "for": {"丁一": 30, "王芳": 26, "李娜": 10}, "against": {}, "write_in": {}}
SHORT_TOTALS = {**TOTALS, "for": {"丁一": 30, "王芳": 15, "李娜": 10}}  # 王芳 short of half: one seat left empty
ROUND_FIGURES = {"seats": 2, "eligible": 50, "present": 40, "ballots_issued": 40, "ballots_collected": 40}
COLLECTED_BALLOTS = 3  # the ballot-by-ballot round: eight entries race for three papers
USERS = {  # username -> role
    "rh_office": "office", "rh_teller1": "teller", "rh_teller2": "teller", "rh_inspector": "inspector",
    "rh_unit": "unit", "rh_victim_page": "office", "rh_victim_api": "office",
}
TOKEN_USERS = ("rh_office", "rh_teller1", "rh_teller2", "rh_unit")
VIAS = ("page", "api")


def seed(url: str) -> dict:
    """-> {"users": {username: id}, "tokens": {username: secret}, "page": {object: id}, "api": {object: id}}."""
    from election.accounts.models import User
    from election.api import credentials as api_tokens
    from election.core.clock import utcnow
    from election.core.db import make_engine
    from election.directory.models import Unit

    engine = make_engine(url)
    ids: dict = {"users": {}, "tokens": {}}
    with Session(engine) as s:
        unit = Unit(code="RACE-U", name="竞态测试单位党工委", kind="党工委")
        s.add(unit)
        s.flush()
        for username, role in USERS.items():
            user = User(username=username, display_name=f"竞态{username[3:]}", role=role, password_hash=sec.cheap_hash(),
                        unit_id=unit.id if role == "unit" else None)
            s.add(user)
            s.flush()
            ids["users"][username] = user.id
        for username in TOKEN_USERS:
            ids["tokens"][username] = api_tokens.create_token(s, s.get(User, ids["users"][username]), "竞态测试", 30,
                                                              utcnow()).secret
        people = count(1)
        for via in VIAS:
            ids[via] = _objects(s, via, unit.id, ids["users"], people)
        s.commit()
    engine.dispose()
    return ids


def _objects(s, via: str, unit_id: int, users: dict, people) -> dict:
    from election.directory.models import ElectionUnit
    from election.elections.models import Election
    from election.vetting.models import InspectorAssignment, Notice
    from election.voting.models import BallotRound, TellerEntry

    def election(stage: str, what: str) -> Election:
        e = Election(title=f"竞态{what}（{via}）", seats=2, stage=stage, age_reference_date=date(2026, 4, 10), voters=50)
        s.add(e)
        s.flush()
        return e

    def eu_of(e: Election, **kw) -> ElectionUnit:
        eu = ElectionUnit(election_id=e.id, unit_id=unit_id, quota=kw.get("quota", 11), report_count=kw.get("report", 17))
        s.add(eu)
        s.flush()
        return eu

    def person(e: Election, eu: ElectionUnit, name: str, step: str):
        n = _nominee(e.id, eu.id, name, next(people), step)
        s.add(n)
        s.flush()
        return n

    def round_(e: Election, mode: str = "totals", **kw) -> BallotRound:
        figures = {**ROUND_FIGURES, **kw}
        r = BallotRound(election_id=e.id, round_no=1, candidates=list(CANDIDATES), count_mode=mode, **figures)
        s.add(r)
        s.flush()
        return r

    out: dict = {}
    ballot = election("ballot", "投票")
    out["round_entry_same"] = round_(ballot).id
    out["round_entry_two"] = round_(election("ballot", "双人录入")).id
    to_confirm = round_(election("ballot", "确认"))
    s.add_all([TellerEntry(round_id=to_confirm.id, entry_no=n, teller_id=users[f"rh_teller{n}"], totals=dict(TOTALS))
               for n in (1, 2)])
    out["round_confirm"] = to_confirm.id
    to_close = round_(election("ballot", "结束本轮"), status="confirmed", confirmed_totals=dict(TOTALS))
    out["round_close"] = to_close.id
    out["round_ballots"] = round_(election("ballot", "逐张录入"), "ballots", ballots_collected=COLLECTED_BALLOTS).id
    to_open = election("ballot", "开始投票")
    eu = eu_of(to_open)
    for name in CANDIDATES:
        person(to_open, eu, name, "confirmed")
    out["election_open"] = to_open.id
    advance = election("deploy", "推进")
    eu_of(advance)
    out["election_advance"] = advance.id
    out["election_return"] = election("shortlist", "退回").id
    vet = election("vet", "公示")
    eu = eu_of(vet)
    person(vet, eu, "赵敏", "shortlisted")
    notice = Notice(election_id=vet.id, kind="first", election_unit_id=eu.id, title=f"竞态公示（{via}）",
                    posted_on=date(2026, 5, 6), period_end=date(2026, 5, 12), office_name="区委组织部",
                    office_phone="010-12345678", office_address="区委大院", office_mailbox="zzb@example.cn",
                    backdate_reason="已于5月6日张贴，现补录")  # dated months back: publishing needs the reason
    s.add(notice)
    s.flush()
    out["notice"] = notice.id
    concl = election("vet", "考察结论")
    eu = eu_of(concl)
    vetted = person(concl, eu, "钱进", "shortlisted")
    s.add(InspectorAssignment(election_id=concl.id, nominee_id=vetted.id, user_id=users["rh_inspector"]))
    out["nominee_conclude"] = vetted.id
    bulk = election("vet", "批量考察结论")
    eu = eu_of(bulk)
    out["bulk_people"] = [person(bulk, eu, name, "shortlisted").id for name in ("冯一", "陈二", "褚三")]
    out["election_bulk_conclude"] = bulk.id
    nominate = election("nominate", "提交名单")
    eu = eu_of(nominate, quota=2, report=0)
    for name in ("孙立", "周平", "吴军"):
        person(nominate, eu, name, "nominated")
    out["eu_submit"] = eu.id
    ended = election("vet", "结束公示")
    eu = eu_of(ended)
    shown = person(ended, eu, "郑和", "shortlisted")
    notice = Notice(election_id=ended.id, kind="first", election_unit_id=eu.id, title=f"期满公示（{via}）",
                    posted_on=date(2026, 5, 6), period_end=date(2026, 5, 12), office_name="区委组织部",
                    office_phone="010-12345678", office_address="区委大院", office_mailbox="zzb@example.cn",
                    status="published", published_at=datetime(2026, 5, 6, 2, 0), people_ids=[shown.id])
    s.add(notice)
    s.flush()
    out["notice_end"] = notice.id
    out["election_result"] = _finished_ballot(s, election("ballot", "选举结果"), eu_of, person, users)
    out["election_transfer"] = _recorded_result(s, election("ballot", "转入代表名册"), eu_of, person, users)
    confirm = election("confirm", "圈选")
    eu = eu_of(confirm)
    out["election_confirm"] = confirm.id
    out["confirm_chosen"] = [person(confirm, eu, name, "preliminary").id for name in CANDIDATES[:2]]
    person(confirm, eu, CANDIDATES[2], "preliminary")
    out["election_plan"] = _finished_ballot(s, election("ballot", "另行选举"), eu_of, person, users, SHORT_TOTALS)
    s.flush()
    return out


def _finished_ballot(s, e, eu_of, person, users: dict, totals: dict = TOTALS) -> int:
    """An election whose one round (closed by the use case itself) elected both seats, so that its result may be
    recorded — or, with SHORT_TOTALS, only one, so that the next round must be planned."""
    from election.accounts.models import User
    from election.voting.models import BallotRound
    from election.voting.services import close_round

    eu = eu_of(e)
    for name in CANDIDATES:
        person(e, eu, name, "confirmed")
    r = BallotRound(election_id=e.id, round_no=1, candidates=list(CANDIDATES), status="confirmed",
                    confirmed_totals=dict(totals), **ROUND_FIGURES)
    s.add(r)
    s.flush()
    close_round(s, s.get(User, users["rh_office"]), r.id, datetime(2026, 6, 1, 2, 0))
    return e.id


def _recorded_result(s, e, eu_of, person, users: dict) -> int:
    """An election whose result is recorded (two elected): its elected may be transferred to the 代表名册."""
    from election.accounts.models import User
    from election.voting.services import record_result

    _finished_ballot(s, e, eu_of, person, users)
    record_result(s, s.get(User, users["rh_office"]), e.id, datetime(2026, 6, 1, 3, 0))
    return e.id


def _nominee(election_id: int, eu_id: int, name: str, seq: int, step: str):
    from election.nominations.models import Nominee

    born = date(1970, 1, 1) + timedelta(days=97 * seq)
    return Nominee(election_id=election_id, election_unit_id=eu_id, position=seq, name=name, gender="男", ethnicity="汉族",
                   id_number=make_id("110101", born, seq % 500, male=True), birth_date=born, native_place="北京",
                   education="大学", workplace_title="区发展改革委副主任", category=sec.NOMINATE_CATEGORY, step=step)
