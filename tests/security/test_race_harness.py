"""The race harness (issue 19): the same write request sent K times at once, against gunicorn with 4 workers on
PostgreSQL (where a read-check-write use case races unless it locks) and with 2 on SQLite. Afterwards, counted in
the database: exactly the effect of one request (rows and audit rows), and every other request refused cleanly — a
4xx or a page with a Chinese message, never a 500. One server and one seeded database per database kind
(race_seed.py); every case acts on its own untouched object.

Endpoints covered (page = the form of the web pages, api = /api/v1 with a bearer token):

* teller entries, one teller sending entry 1 and entry 2 at once — page ``POST /voting/rounds/<id>/entry/<n>``,
  api ``PUT /api/v1/rounds/<id>/entries/<n>``: one entry, under his name
* teller entries, both tellers sending entry 1 at once — the same two: one entry, the other teller refused
* confirm the count — page ``POST /voting/rounds/<id>/confirm``, api ``POST /api/v1/rounds/<id>/confirm``
* close a round — page ``POST /voting/rounds/<id>/close``, api ``POST /api/v1/rounds/<id>/close``
* open a round — page ``POST /elections/<id>/voting/rounds``, api ``POST /api/v1/elections/<id>/rounds``
* ballot entry, 8 at once for 3 collected ballots — page ``POST /voting/rounds/<id>/ballots``,
  api ``POST /api/v1/rounds/<id>/ballots``: exactly 3 papers
* advance the stage — page ``POST /elections/<id>/advance``, api ``POST /api/v1/elections/<id>/advance``
* return the stage — page ``POST /elections/<id>/return``, api ``POST /api/v1/elections/<id>/return``
* publish a notice — page ``POST /vetting/notices/<id>/publish``, api ``POST /api/v1/notices/<id>/publish``
* end a notice — page ``POST /vetting/notices/<id>/end``, api ``POST /api/v1/notices/<id>/end``
* record the election's result — page ``POST /elections/<id>/voting/result`` (no API)
* submit a unit's list — page ``POST /units/<id>/submit``, api ``POST /api/v1/election-units/<id>/submit``
* record a vetting conclusion — page ``POST /vetting/people/<id>/conclude`` (no API)
* record the conclusions of a list at once — api ``POST /api/v1/elections/<id>/examinations/conclusions``: one set
  of conclusions (one audit entry per person), the repeats refused (422, 已有考察结论)
* register a 监票人 — page ``POST /elections/<id>/voting/scrutineers`` (no API): one row, the repeats told so
* plan the next round (另行选举) after a round that left a seat empty — page ``POST /elections/<id>/voting/plan``,
  api ``POST /api/v1/elections/<id>/rounds/plan``: one plan, the repeats told 现在不需要另行选举
* record the 全委会 圈选 — page ``POST /elections/<id>/voting/confirm-meeting``, api ``PUT
  /api/v1/elections/<id>/confirm-meeting``: re-recording replaces it, so every request may succeed, but one meeting
  row (the unique index), one audit entry per success and never a 500
* transfer the elected to the 代表名册 — page ``POST /duties/transfer/<id>``, api ``POST
  /api/v1/elections/<id>/transfer``: each elected person once (the unique source_delegate_id), one audit entry, the
  repeats told 已转入代表名册
* login failures, 60 wrong passwords at once — page ``POST /login``, api ``POST /api/v1/tokens`` (HTTP Basic):
  exactly 5 passwords tried before the lockout (counted by race_app.py), one lockout, one answer for all

Adding an endpoint is one line in CASES (and, if it needs one, an object in race_seed.py).
"""
from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.security import conftest as sec
from tests.security import race_seed

pytestmark = pytest.mark.slow
K = 6
CJK = re.compile(r"[\u4e00-\u9fff]")
FLASH = re.compile(r'class="flash flash-(\w+)"[^>]*>([^<]*)<')
ERROR_PAGE = re.compile(r'class="card narrow error-page">\s*<h1>[^<]*</h1>\s*<p>([^<]*)</p>')


# --- what each case writes, counted afterwards -------------------------------------------------------------------
def _rows(model, *where) -> Callable[[Session, int], int]:
    def count(s: Session, obj: int) -> int:
        return s.scalar(select(func.count()).select_from(model).where(*(w(obj) for w in where)))
    return count


def _models():
    from election.directory.models import ElectionUnit
    from election.elections.models import StageChange
    from election.vetting.models import Notice, Vetting
    from election.voting.models import (
        BallotPaper,
        BallotRound,
        ConfirmMeeting,
        RoundPlan,
        Scrutineer,
        TellerEntry,
        VotingResult,
    )

    return SimpleNamespace(**{m.__name__: m for m in (ElectionUnit, StageChange, Notice, Vetting, BallotPaper,
                                                      BallotRound, ConfirmMeeting, RoundPlan, Scrutineer, TellerEntry,
                                                      VotingResult)})


M = _models()
ENTRIES = _rows(M.TellerEntry, lambda o: M.TellerEntry.round_id == o)
ROUND_IS = {st: _rows(M.BallotRound, lambda o: M.BallotRound.id == o, lambda o, st=st: M.BallotRound.status == st)
            for st in ("confirmed", "closed")}
ROUNDS_OF = _rows(M.BallotRound, lambda o: M.BallotRound.election_id == o)
PAPERS = _rows(M.BallotPaper, lambda o: M.BallotPaper.round_id == o)
MOVES = {k: _rows(M.StageChange, lambda o: M.StageChange.election_id == o, lambda o, k=k: M.StageChange.kind == k)
         for k in ("advance", "return")}
PUBLISHED = _rows(M.Notice, lambda o: M.Notice.id == o, lambda o: M.Notice.status == "published")
ENDED = _rows(M.Notice, lambda o: M.Notice.id == o, lambda o: M.Notice.status == "ended")
RESULTS = _rows(M.VotingResult, lambda o: M.VotingResult.election_id == o)
CONCLUDED = _rows(M.Vetting, lambda o: M.Vetting.nominee_id == o, lambda o: M.Vetting.conclusion.is_not(None))
CONCLUDED_IN = _rows(M.Vetting, lambda o: M.Vetting.election_id == o, lambda o: M.Vetting.conclusion.is_not(None))
SCRUTINEERS = _rows(M.Scrutineer, lambda o: M.Scrutineer.election_id == o)
MEETINGS = _rows(M.ConfirmMeeting, lambda o: M.ConfirmMeeting.election_id == o)
PLANS = _rows(M.RoundPlan, lambda o: M.RoundPlan.election_id == o)
SUBMITTED = _rows(M.ElectionUnit, lambda o: M.ElectionUnit.id == o, lambda o: M.ElectionUnit.status == "submitted")


def _transferred(s: Session, election_id: int) -> int:
    """The first elected person's term delegate rows (one transfer makes one; the unique index forbids a second)."""
    from election.duties.models import TermDelegate
    from election.voting.models import Delegate

    first = select(Delegate.id).where(Delegate.election_id == election_id).order_by(Delegate.id).limit(1)
    return s.scalar(select(func.count()).select_from(TermDelegate).where(
        TermDelegate.source_delegate_id == first.scalar_subquery()))


def _rounds_of(s: Session, election_id: int) -> list[int]:
    return list(s.scalars(select(M.BallotRound.id).where(M.BallotRound.election_id == election_id)))


def _plans_of(s: Session, election_id: int) -> list[int]:
    return list(s.scalars(select(M.RoundPlan.id).where(M.RoundPlan.election_id == election_id)))


def _nominees_of(s: Session, election_id: int) -> list[int]:
    from election.nominations.models import Nominee

    return list(s.scalars(select(Nominee.id).where(Nominee.election_id == election_id)))


def _bulk_unfit(ids: dict) -> dict:
    return {"items": [{"nominee_id": n, "conclusion": "unfit", "reason": "竞态测试：批量不宜"} for n in ids["bulk_people"]]}


def _scrutineers_of(s: Session, election_id: int) -> list[int]:
    return list(s.scalars(select(M.Scrutineer.id).where(M.Scrutineer.election_id == election_id)))


@dataclass(frozen=True)
class Case:
    name: str
    via: str                      # "page" (form + CSRF, session cookie) or "api" (JSON, bearer token)
    method: str
    paths: tuple[str, ...]        # "{obj}" = the seeded object; cycled over the K requests
    obj: str                      # its key in race_seed's ids[via]
    actors: tuple[str, ...]       # usernames, cycled over the K requests
    action: str                   # the audit action of one effect
    effect: Callable[[Session, int], int]
    body: dict | Callable[[dict], dict] = field(default_factory=dict)  # or made from race_seed's ids[via]
    expect: int = 1               # effects (rows and audit rows) of the whole burst
    k: int = K
    corrections: bool = False     # the same user may redo it (his own entry): audit rows = successes >= 1
    audited_on: Callable[[Session, int], list[int]] | None = None  # the objects the audit names (default: obj)
    batch: int = 1                # effects (rows and audit rows) of ONE success: a bulk call acts on several objects

    @property
    def id(self) -> str:
        return f"{self.name}-{self.via}"


PAGE_TOTALS = {"valid": "40", "invalid": "0", "for-0": "30", "for-1": "26", "for-2": "10"}
API_TOTALS = {"valid": 40, "invalid": 0, "for": race_seed.TOTALS["for"]}
OPENING = {"eligible": 50, "present": 40, "ballots_issued": 40, "ballots_collected": 40, "count_mode": "totals"}
MEETING = {"body": "全委会", "held_on": "2026-06-01", "members": 31, "attendance": 29, "mode": "list"}
RETURN = {"target": "nominate", "reason": "竞态测试：退回补充材料"}
TELLERS, OFFICE = ("rh_teller1", "rh_teller2"), ("rh_office",)
E, R, A = "/elections/{obj}", "/voting/rounds/{obj}", "/api/v1/rounds/{obj}"

CASES = [
    Case("entry-same-teller", "page", "POST", (f"{R}/entry/1", f"{R}/entry/2"), "round_entry_same", ("rh_teller1",),
         "voting.enter_totals", ENTRIES, PAGE_TOTALS, corrections=True),
    Case("entry-same-teller", "api", "PUT", (f"{A}/entries/1", f"{A}/entries/2"), "round_entry_same", ("rh_teller1",),
         "voting.enter_totals", ENTRIES, API_TOTALS, corrections=True),
    Case("entry-two-tellers", "page", "POST", (f"{R}/entry/1",), "round_entry_two", TELLERS, "voting.enter_totals",
         ENTRIES, PAGE_TOTALS, corrections=True),
    Case("entry-two-tellers", "api", "PUT", (f"{A}/entries/1",), "round_entry_two", TELLERS, "voting.enter_totals",
         ENTRIES, API_TOTALS, corrections=True),
    Case("confirm-count", "page", "POST", (f"{R}/confirm",), "round_confirm", (*TELLERS, *OFFICE),
         "voting.confirm_count", ROUND_IS["confirmed"]),
    Case("confirm-count", "api", "POST", (f"{A}/confirm",), "round_confirm", (*TELLERS, *OFFICE),
         "voting.confirm_count", ROUND_IS["confirmed"]),
    Case("close-round", "page", "POST", (f"{R}/close",), "round_close", OFFICE, "voting.close_round", ROUND_IS["closed"]),
    Case("close-round", "api", "POST", (f"{A}/close",), "round_close", OFFICE, "voting.close_round", ROUND_IS["closed"]),
    Case("open-round", "page", "POST", (f"{E}/voting/rounds",), "election_open", OFFICE, "voting.open_round", ROUNDS_OF,
         OPENING, audited_on=_rounds_of),
    Case("open-round", "api", "POST", ("/api/v1/elections/{obj}/rounds",), "election_open", OFFICE, "voting.open_round",
         ROUNDS_OF, OPENING, audited_on=_rounds_of),
    Case("ballot-entry", "page", "POST", (f"{R}/ballots",), "round_ballots", TELLERS, "voting.enter_ballot", PAPERS,
         {"mark-0": "for", "write_in": ""}, expect=race_seed.COLLECTED_BALLOTS, k=8),
    Case("ballot-entry", "api", "POST", (f"{A}/ballots",), "round_ballots", TELLERS, "voting.enter_ballot", PAPERS,
         {"for": ["丁一"]}, expect=race_seed.COLLECTED_BALLOTS, k=8),
    Case("advance-stage", "page", "POST", (f"{E}/advance",), "election_advance", OFFICE, "election.advance",
         MOVES["advance"], {"reason": ""}),
    Case("advance-stage", "api", "POST", ("/api/v1/elections/{obj}/advance",), "election_advance", OFFICE,
         "election.advance", MOVES["advance"]),
    Case("return-stage", "page", "POST", (f"{E}/return",), "election_return", OFFICE, "election.return", MOVES["return"],
         RETURN),
    Case("return-stage", "api", "POST", ("/api/v1/elections/{obj}/return",), "election_return", OFFICE,
         "election.return", MOVES["return"], RETURN),
    Case("publish-notice", "page", "POST", ("/vetting/notices/{obj}/publish",), "notice", OFFICE, "notice.publish",
         PUBLISHED),
    Case("publish-notice", "api", "POST", ("/api/v1/notices/{obj}/publish",), "notice", OFFICE, "notice.publish",
         PUBLISHED),
    Case("end-notice", "page", "POST", ("/vetting/notices/{obj}/end",), "notice_end", OFFICE, "notice.end", ENDED),
    Case("end-notice", "api", "POST", ("/api/v1/notices/{obj}/end",), "notice_end", OFFICE, "notice.end", ENDED),
    Case("record-result", "page", "POST", (f"{E}/voting/result",), "election_result", OFFICE, "voting.result", RESULTS),
    Case("transfer-elected", "page", "POST", ("/duties/transfer/{obj}",), "election_transfer", OFFICE,
         "duties.delegates.transfer", _transferred, {"term_start": "2026-06-02", "years": "5"}),
    Case("transfer-elected", "api", "POST", ("/api/v1/elections/{obj}/transfer",), "election_transfer", OFFICE,
         "duties.delegates.transfer", _transferred, {"term_start": "2026-06-02"}),
    Case("submit-list", "page", "POST", ("/units/{obj}/submit",), "eu_submit", ("rh_unit",), "nominations.submit",
         SUBMITTED),
    Case("submit-list", "api", "POST", ("/api/v1/election-units/{obj}/submit",), "eu_submit", ("rh_unit",),
         "nominations.submit", SUBMITTED),
    Case("vetting-conclusion", "page", "POST", ("/vetting/people/{obj}/conclude",), "nominee_conclude",
         ("rh_inspector",), "vetting.conclude", CONCLUDED, {"conclusion": "unfit", "reason": "竞态测试：不宜"}),
    Case("bulk-conclusions", "api", "POST", ("/api/v1/elections/{obj}/examinations/conclusions",),
         "election_bulk_conclude", OFFICE, "vetting.conclude", CONCLUDED_IN, _bulk_unfit, batch=3,
         audited_on=_nominees_of),
    Case("add-scrutineer", "page", "POST", (f"{E}/voting/scrutineers",), "election_open", OFFICE, "voting.scrutineer",
         SCRUTINEERS, {"name": "竞态监票人", "duty": "scrutineer"}, audited_on=_scrutineers_of),
    Case("plan-next-round", "page", "POST", (f"{E}/voting/plan",), "election_plan", OFFICE, "voting.plan", PLANS,
         {"action": "additional", "candidates_count": "2", "basis": "", "note": ""}, audited_on=_plans_of),
    Case("plan-next-round", "api", "POST", ("/api/v1/elections/{obj}/rounds/plan",), "election_plan", OFFICE,
         "voting.plan", PLANS, {"action": "additional", "candidates_count": 2}, audited_on=_plans_of),
    Case("confirm-meeting", "page", "POST", (f"{E}/voting/confirm-meeting",), "election_confirm", OFFICE,
         "voting.confirm_meeting", MEETINGS, lambda ids: {**MEETING, "chosen": ids["confirm_chosen"]}, corrections=True),
    Case("confirm-meeting", "api", "PUT", ("/api/v1/elections/{obj}/confirm-meeting",), "election_confirm", OFFICE,
         "voting.confirm_meeting", MEETINGS, lambda ids: {**MEETING, "chosen_ids": ids["confirm_chosen"]},
         corrections=True),
]


# --- one server and one seeded database per database kind ---------------------------------------------------------
@dataclass
class Harness:
    server: sec.Server
    url: str
    ids: dict
    checks: object  # the file race_app.py appends one line per password check to
    engine: object
    logged_in: dict = field(default_factory=dict)  # username -> (cookies, CSRF token)

    def page_session(self, username: str) -> tuple[requests.Session, str]:
        """A fresh requests.Session carrying USERNAME's login (made once) and its CSRF token."""
        if username not in self.logged_in:
            s = sec.web_login(self.server.url, username)
            token = sec.csrf_of(s.get(f"{self.server.url}/account/password", timeout=60).text)
            self.logged_in[username] = (list(s.cookies), token)
        cookies, token = self.logged_in[username]
        clone = requests.Session()
        for cookie in cookies:  # the same domain and path: the answer's cookie (its flash) then replaces it
            clone.cookies.set_cookie(copy.copy(cookie))
        return clone, token


@pytest.fixture(scope="module", params=[("postgresql", 4), ("sqlite", 2)], ids=["postgresql-4workers", "sqlite-2workers"])
def harness(request, tmp_path_factory):
    from election.core.db import make_engine

    kind, workers = request.param
    tmp = tmp_path_factory.mktemp(f"race-{kind}")
    url = sec.fresh_database(kind, request, tmp, "election_race_harness")
    ids = race_seed.seed(url)
    checks = tmp / "password-checks.log"
    server = sec.start_server(url, tmp, workers=workers, app_spec="tests.security.race_app:app",
                              env={"RACE_PASSWORD_CHECKS": str(checks)})
    engine = make_engine(url)
    yield Harness(server, url, ids, checks, engine)
    server.stop()
    engine.dispose()


def fire_at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Every call waits at one barrier, then all go together."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(run, calls))
    sec.FIGURES["concurrent_requests"] += len(calls)
    return results


@dataclass(frozen=True)
class Outcome:
    kind: str       # "success", "refused" or "error"
    status: int
    message: str


def _page_outcome(base: str, s: requests.Session, r: requests.Response) -> Outcome:
    if r.status_code >= 500:
        return Outcome("error", r.status_code, r.text[-300:])
    text = r.text
    if r.status_code in (302, 303):
        text = s.get(base + r.headers["Location"] if r.headers["Location"].startswith("/") else r.headers["Location"],
                     timeout=60).text
    flashes = FLASH.findall(text)
    if r.status_code in (302, 303) and any(cat == "success" for cat, _ in flashes):
        return Outcome("success", r.status_code, "；".join(m for cat, m in flashes if cat == "success"))
    refusals = [m for cat, m in flashes if cat == "danger"] + ERROR_PAGE.findall(text)
    return Outcome("refused" if refusals else "error", r.status_code, "；".join(refusals) or text[-300:])


def _api_outcome(r: requests.Response) -> Outcome:
    if 200 <= r.status_code < 300:
        return Outcome("success", r.status_code, "")
    try:
        message = r.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = ""
    kind = "refused" if 400 <= r.status_code < 500 and message else "error"
    return Outcome(kind, r.status_code, message or r.text[-300:])


def run_case(h: Harness, case: Case) -> list[Outcome]:
    base, obj = h.server.url, h.ids[case.via][case.obj]
    body = case.body(h.ids[case.via]) if callable(case.body) else case.body
    calls, finish = [], []
    for i in range(case.k):
        actor, path = case.actors[i % len(case.actors)], case.paths[i % len(case.paths)].format(obj=obj)
        if case.via == "page":
            s, token = h.page_session(actor)
            calls.append(lambda s=s, path=path, token=token: s.request(
                case.method, base + path, data={**body, "csrf_token": token}, allow_redirects=False, timeout=120))
            finish.append(lambda r, s=s: _page_outcome(base, s, r))
        else:
            headers = {"Authorization": f"Bearer {h.ids['tokens'][actor]}"}
            calls.append(lambda path=path, headers=headers: requests.request(
                case.method, base + path, json=body, headers=headers, timeout=120))
            finish.append(_api_outcome)
    return [f(r) for f, r in zip(finish, fire_at_once(calls), strict=True)]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sent_at_once_it_happens_once(harness, case):
    from election.audit.models import AuditEntry

    outcomes = run_case(harness, case)
    log_tail = harness.server.log.read_text(errors="replace")[-2000:]
    errors = [o for o in outcomes if o.kind == "error"]
    assert not errors, f"{case.id}: 出错（500 或无说明）：{errors}\n服务器日志：\n{log_tail}"
    refused = [o for o in outcomes if o.kind == "refused"]
    assert all(CJK.search(o.message) for o in refused), f"{case.id}: 拒绝时应有中文说明：{refused}"
    successes = sum(o.kind == "success" for o in outcomes)
    obj = harness.ids[case.via][case.obj]
    with Session(harness.engine) as s:
        rows = case.effect(s, obj)
        audited = [str(o) for o in (case.audited_on(s, obj) if case.audited_on else [obj])]
        audits = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == case.action,
                                                                            AuditEntry.object_id.in_(audited)))
    assert rows == case.expect * case.batch, f"{case.id}: 应有{case.expect * case.batch}项结果，实有{rows}项；{outcomes}"
    assert audits == successes * case.batch, f"{case.id}: 审计{audits}条，成功{successes}次；{outcomes}"
    if case.corrections:  # the same person may redo his own entry; anyone else is refused
        assert successes >= 1
    else:
        assert successes == case.expect, f"{case.id}: 成功{successes}次，应为{case.expect}次；{outcomes}"


WRONG = "wrong-password-0"


def _login_call(h: Harness, via: str, username: str, password: str) -> Callable[[], str]:
    """One login attempt -> the answer's message (page: the flash; api: the error of POST /api/v1/tokens)."""
    base = h.server.url
    if via == "api":
        def api() -> str:
            r = requests.post(f"{base}/api/v1/tokens", json={"name": "竞态"}, auth=(username, password), timeout=120)
            assert r.status_code == 401, r.text
            return r.json()["error"]["message"]
        return api
    anonymous = requests.Session()
    token = sec.csrf_of(anonymous.get(f"{base}/login", timeout=60).text)
    cookies = list(anonymous.cookies)

    def page() -> str:
        s = requests.Session()
        for cookie in cookies:
            s.cookies.set_cookie(copy.copy(cookie))
        r = s.post(f"{base}/login", data={"username": username, "password": password, "csrf_token": token},
                   allow_redirects=False, timeout=120)
        assert r.status_code == 200, r.status_code
        return "；".join(m for cat, m in FLASH.findall(r.text) if cat == "danger")
    return page


@pytest.mark.parametrize("via", ["page", "api"])
def test_sixty_wrong_passwords_at_once_try_five_then_lock(harness, via):
    """Exactly LOGIN_MAX_FAILURES (5) passwords are checked against the account's hash, one lockout is audited, and
    every answer — before, at and after the lockout, and for an unknown name — is the same."""
    from election.audit.models import AuditEntry

    username = f"rh_victim_{via}"
    messages = fire_at_once([_login_call(harness, via, username, WRONG)] * 60)
    assert len(set(messages)) == 1 and CJK.search(messages[0]), set(messages)
    tried = harness.checks.read_text().split().count(username) if harness.checks.exists() else 0
    assert tried == 5, f"锁定前检查了{tried}次密码，应为5次"
    with Session(harness.engine) as s:
        locks = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "user.locked", AuditEntry.object_id == str(harness.ids["users"][username])))
    assert locks == 1
    # an unknown name reads the same; the right password while locked too, and is not even checked
    assert _login_call(harness, via, "rh_nobody", WRONG)() == messages[0]
    assert _login_call(harness, via, username, sec.SERVER_PASSWORD)() == messages[0]
    assert harness.checks.read_text().split().count(username) == 5
