"""Fixtures for the security tests: a seeded world with an own and an other unit/office, and one logged-in
client per role."""
from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

from election.core.config import PROJECT_DIR
from election.core.roles import Role
from tests.conftest import TEST_PASSWORD
from workflow.common.idcard import make_id

# Seeded names that must never reach a user who may not see them. Distinctive so a substring check is exact.
OWN_PERSON = "韩守诚"
OTHER_PERSON = "欧阳绮罗"
OTHER_PERSON_2 = "诸葛明澈"
OWN_UNIT_NAME = "甲方本单位党工委"
OTHER_UNIT_NAME = "乙方外单位党委"
OWN_OFFICE_NAME = "东门党代表工作室"
OTHER_OFFICE_NAME = "西岭党代表工作室"
OWN_ID = make_id("110101", date(1975, 3, 8), 12, male=True)
OTHER_ID = make_id("110102", date(1980, 6, 1), 34, male=False)
OTHER_ID_2 = make_id("110105", date(1969, 1, 2), 56, male=True)
OTHER_DELEGATE = "穆远山"  # a delegate of the other office (delegates may co-sign across offices: not secret)
MISSING_ID = 987_654  # an id no table reaches in a test run


@dataclass
class World:
    """Ids (never ORM objects: every request runs in its own rolled-back savepoint) of what was seeded."""

    users: dict[Role, int] = field(default_factory=dict)
    usernames: dict[Role, str] = field(default_factory=dict)
    own: dict[str, int] = field(default_factory=dict)  # object kind -> id owned by the scoped users
    own_by_role: dict[str, dict[Role, int]] = field(default_factory=dict)  # kind -> role -> that user's own id
    tokens: dict[Role, str] = field(default_factory=dict)  # API token secret per role (if the API is installed)
    other: dict[str, int] = field(default_factory=dict)  # the same kind, owned by someone else
    upper_org: int | None = None  # the upper committee above the seeded 选举单位 (the 上级组织部门 user's)

    @property
    def other_secrets(self) -> tuple[str, ...]:
        """What a unit/studio/inspector user must never see of the others."""
        return (OTHER_PERSON, OTHER_PERSON_2, OTHER_ID, OTHER_ID_2, OTHER_UNIT_NAME, OTHER_OFFICE_NAME)

    @property
    def all_secrets(self) -> tuple[str, ...]:
        """What a denial page must never show at all."""
        return (OWN_PERSON, OWN_ID, *self.other_secrets)


def _nominee(election_id: int, eu_id: int, name: str, id_number: str, position: int, step: str = "shortlisted"):
    from election.nominations.models import Nominee
    from workflow.common.idcard import parse_id_number

    info = parse_id_number(id_number, date(2026, 1, 1))
    return Nominee(election_id=election_id, election_unit_id=eu_id, position=position, name=name,
                   gender="男" if info.gender == "male" else "女", ethnicity="汉族", id_number=id_number, birth_date=info.birth_date, native_place="北京", education="大学",
                   workplace_title="区发展改革委副主任", category="局级领导干部", step=step)


def seed_world(session) -> World:
    """Two units in one election (own, other), a second election without the own unit, vetting, notices,
    complaints, ballot rounds, two 党代表工作室 and one user per role."""
    from election.accounts.models import User
    from election.directory.models import DelegateOffice, ElectionUnit, Organisation, Unit
    from election.elections.models import Election
    from election.vetting.models import Complaint, InspectorAssignment, Notice
    from election.voting.models import BallotRound

    w = World()
    ua = Unit(code="SEC-A", name=OWN_UNIT_NAME, kind="党工委")
    ub = Unit(code="SEC-B", name=OTHER_UNIT_NAME, kind="直属党委")
    oa = DelegateOffice(name=OWN_OFFICE_NAME, level="街道", address="东门路1号")
    ob = DelegateOffice(name=OTHER_OFFICE_NAME, level="镇", address="西岭路2号")
    session.add_all([ua, ub, oa, ob])
    session.flush()
    e1 = Election(title="安全测试选举", seats=16, stage="vet", age_reference_date=date(2026, 4, 10), voters=200)
    e2 = Election(title="另一场选举", seats=16, stage="vet", age_reference_date=date(2026, 4, 10), voters=200)
    session.add_all([e1, e2])
    session.flush()
    eua = ElectionUnit(election_id=e1.id, unit_id=ua.id, quota=11, report_count=17)
    eub = ElectionUnit(election_id=e1.id, unit_id=ub.id, quota=11, report_count=17)
    eub2 = ElectionUnit(election_id=e2.id, unit_id=ub.id, quota=11, report_count=17)
    session.add_all([eua, eub, eub2])
    session.flush()
    na = _nominee(e1.id, eua.id, OWN_PERSON, OWN_ID, 1)
    nb = _nominee(e1.id, eub.id, OTHER_PERSON, OTHER_ID, 1)
    nb2 = _nominee(e2.id, eub2.id, OTHER_PERSON_2, OTHER_ID_2, 1)
    session.add_all([na, nb, nb2])
    session.flush()

    for role in Role:
        kw = {}
        if role is Role.unit:
            kw["unit_id"] = ua.id
        if role is Role.studio:
            kw["office_id"] = oa.id
        if role is Role.upper:  # the upper committee's staff: an organisation above the seeded elections' world
            upper = Organisation(code="SEC-UP", name="安全上级党委", category="党委")
            session.add(upper)
            session.flush()
            kw["organisation_id"] = w.upper_org = upper.id
        user = User(username=f"sec_{role.value}", display_name=f"安全{role.label}", role=role.value, **kw)
        user.set_password(TEST_PASSWORD)
        session.add(user)
        session.flush()
        w.users[role] = user.id
        w.usernames[role] = user.username
    # a second unit handler (of the other unit) and a second inspector: owners of the "other" objects
    other_unit_user = User(username="sec_unit_b", display_name="外单位经办人", role="unit", unit_id=ub.id)
    other_inspector = User(username="sec_inspector_b", display_name="另一考察组", role="inspector")
    for u in (other_unit_user, other_inspector):
        u.set_password(TEST_PASSWORD)
        session.add(u)
    session.flush()

    session.add_all([
        InspectorAssignment(election_id=e1.id, nominee_id=na.id, user_id=w.users[Role.inspector]),
        InspectorAssignment(election_id=e1.id, nominee_id=nb.id, user_id=other_inspector.id),
    ])
    contact = {"office_name": "区委组织部", "office_phone": "010-12345678", "office_address": "区委大院",
               "office_mailbox": "zzb@example.cn"}
    now = datetime(2026, 5, 6, 2, 0)
    nta = Notice(election_id=e1.id, kind="first", election_unit_id=eua.id, title="甲方公示", status="published",
                 posted_on=date(2026, 5, 6), period_end=date(2026, 5, 12), published_at=now, people_ids=[na.id],
                 **contact)
    ntb = Notice(election_id=e1.id, kind="first", election_unit_id=eub.id, title="乙方公示", status="published",
                 posted_on=date(2026, 5, 6), period_end=date(2026, 5, 12), published_at=now, people_ids=[nb.id],
                 **contact)
    session.add_all([nta, ntb])
    session.flush()
    ca = Complaint(notice_id=nta.id, nominee_id=na.id, channel="letter", received_on=date(2026, 5, 7),
                   content="反映甲方人选问题", status="assigned", assigned_to_id=w.users[Role.inspector])
    cb = Complaint(notice_id=ntb.id, nominee_id=nb.id, channel="phone", received_on=date(2026, 5, 7),
                   content="反映乙方人选问题", status="assigned", assigned_to_id=other_inspector.id)
    session.add_all([ca, cb])
    round_kw = {"round_no": 1, "seats": 16, "eligible": 200, "present": 190, "ballots_issued": 190,
                "ballots_collected": 190}
    ra = BallotRound(election_id=e1.id, candidates=[OWN_PERSON, OTHER_PERSON], **round_kw)
    rb = BallotRound(election_id=e2.id, candidates=[OTHER_PERSON_2], **round_kw)
    session.add_all([ra, rb])
    session.flush()

    top = Organisation(code="SEC-TOP", name="安全测试区委", category="党委", parent_id=w.upper_org)
    session.add(top)
    session.flush()
    org_a = Organisation(code="SEC-A", name="安全测试甲党总支", category="党总支", parent_id=top.id)
    org_b = Organisation(code="SEC-B", name="安全测试乙党总支", category="党总支", parent_id=top.id)
    session.add_all([org_a, org_b])
    session.flush()
    w.own["organisation"], w.other["organisation"] = org_a.id, org_b.id
    w.own.update(election=e1.id, election_unit=eua.id, unit=ua.id, nominee=na.id, notice=nta.id, complaint=ca.id,
                 round=ra.id, office=oa.id, user=w.users[Role.inspector])
    w.other.update(election=e2.id, election_unit=eub.id, unit=ub.id, nominee=nb.id, notice=ntb.id, complaint=cb.id,
                   round=rb.id, office=ob.id, user=other_inspector.id)
    _seed_optional(session, w)
    session.commit()
    return w


def _seed_optional(session, w: World) -> None:
    """Objects of areas that may not be installed yet (duties, tasks): seeded when their models exist."""
    from election.accounts.models import User

    _seed_duties(session, w)
    _seed_tokens(session, w)
    _seed_congresses(session, w)
    _seed_reports(session, w)
    _seed_assembly(session, w)
    _seed_assembly_rooms(session, w)
    _seed_appraisals(session, w)
    _seed_between(session, w)

    try:
        from election.tasks.models import BackgroundTask
    except ImportError:  # pragma: no cover - area not installed
        return
    # one task per user (its own) and one of a user outside the matrix (the other)
    owners = {role: w.users[role] for role in Role}
    outsider = session.query(User).filter_by(username="sec_inspector_b").one()
    tasks = {}
    for role, uid in (*owners.items(), (None, outsider.id)):
        task = BackgroundTask(kind="export", title=f"测试任务{role or ''}", owner_id=uid)
        session.add(task)
        tasks[role] = task
    session.flush()
    w.own_by_role["task"] = {role: t.id for role, t in tasks.items() if role is not None}
    w.own["task"] = tasks[Role.office].id
    w.other["task"] = tasks[None].id


@pytest.fixture
def world(session) -> World:
    return seed_world(session)


@dataclass
class Isolated:
    """Run each request inside a SAVEPOINT rolled back afterwards, so POSTs of one check leave no trace."""

    app: object
    connection: object
    session_factory: object

    def __call__(self, fn: Callable):
        self.session_factory.remove()  # no session savepoint may straddle ours
        sp = self.connection.begin_nested()
        try:
            # a fresh application context per request: flask-login caches the user on `g`
            with self.app.app_context():
                return fn()
        finally:
            self.session_factory.remove()
            if sp.is_active:
                sp.rollback()


@pytest.fixture
def isolated(app, connection, session_factory) -> Isolated:
    return Isolated(app, connection, session_factory)


@pytest.fixture
def role_clients(app, world) -> Iterator[dict[Role | None, object]]:
    """A logged-in test client per role (None = anonymous)."""
    clients: dict[Role | None, object] = {None: app.test_client()}
    for role, username in world.usernames.items():
        c = app.test_client()
        with app.app_context():
            r = c.post("/login", data={"username": username, "password": TEST_PASSWORD})
        assert r.status_code == 302, f"{role} 登录失败"
        clients[role] = c
    yield clients


# --- figures for the closing note (routes × roles checked, bad inputs tried …) ------------------------------------
FIGURES: dict[str, int] = {"route_methods": 0, "roles": 0, "authz_checks": 0, "bad_inputs": 0,
                           "concurrent_requests": 0, "crashes_survived": 0}
FIGURE_LABELS = {"route_methods": "路由（端点×方法）", "roles": "角色（含未登录）",
                 "authz_checks": "权限检查请求（路由×角色×本单位/外单位/不存在的对象）", "bad_inputs": "异常输入",
                 "concurrent_requests": "并发请求", "crashes_survived": "强杀后恢复且数据无损"}


MAX_FIGURES = ("route_methods", "roles")  # the same in every process; the others add up
# the summary is printed by tests/conftest.py (the root conftest: the one pytest-xdist's controller loads too)


def _seed_congresses(session, w: World) -> None:
    """Two congresses of the upper committee (both in the 上级组织部门's part), each with an allocation to the
    seeded 区委 and a 市委提名人选."""
    from election.directory.models import Organisation
    from election.levels.models import Congress, CongressNominee, CongressUnit

    top = session.query(Organisation).filter_by(code="SEC-TOP").one()
    for pool, title in ((w.own, "安全测试上级选举"), (w.other, "另一次上级选举")):
        congress = Congress(title=title, organisation_id=w.upper_org, seats=50, categories={}, quota_rules=[],
                            timeline={})
        session.add(congress)
        session.flush()
        unit = CongressUnit(congress_id=congress.id, organisation_id=top.id, seats=10, higher_seats=1)
        session.add(unit)
        session.flush()
        nominee = CongressNominee(congress_id=congress.id, name=f"{title}提名人", gender="男",
                                  birth_date=date(1970, 1, 1), category="其他")
        session.add(nominee)
        session.flush()
        pool.update(congress=congress.id, congress_unit=unit.id, congress_nominee=nominee.id)


def _seed_reports(session, w: World) -> None:
    """A package reported up to the own congress (by an election of the seeded 区委, in the 上级组织部门's part) and
    one reported to another city's congress (out of its part)."""
    from election.directory.models import Organisation
    from election.elections.models import Election
    from election.levels.models import Congress, UpwardReport

    top = session.query(Organisation).filter_by(code="SEC-TOP").one()
    far_city = Organisation(code="SEC-UP2", name="安全测试另一上级党委", category="党委")
    session.add(far_city)
    session.flush()
    far = Organisation(code="SEC-TOP2", name="安全测试另一区委", category="党委", parent_id=far_city.id)
    far_congress = Congress(title="另一城市的上级选举", organisation_id=far_city.id, seats=50, categories={},
                            quota_rules=[], timeline={})
    session.add_all([far, far_congress])
    session.flush()
    person = {"key": "n0", "name": "报送测试人", "gender": "男", "ethnicity": "汉族", "birth_date": "1970-01-01",
              "unit": "", "category": "其他", "workplace_title": ""}
    for pool, org, congress_id in ((w.own, top.id, w.own["congress"]), (w.other, far.id, far_congress.id)):
        election = Election(title=f"安全测试子选举{org}", seats=2, stage="preliminary", organisation_id=org,
                            congress_id=congress_id, age_reference_date=date(2026, 4, 10))
        session.add(election)
        session.flush()
        report = UpwardReport(election_id=election.id, kind="consent", people=[person],
                              documents=[{"key": "preliminary-roster", "name": "初步人选名单"}])
        session.add(report)
        session.flush()
        pool.update(report=report.id)


def _seed_duties(session, w: World) -> None:
    """履职: a delegate of the own office (the delegate user) and one of the other office, with an activity, a
    petition and a proposal each."""
    try:
        from election.duties.models import ActivityRecord, ModelNomination, Petition, Proposal, TermDelegate
    except ImportError:  # pragma: no cover - area not installed
        return
    common = {"gender": "女", "level": "区", "congress": "区第十二次党代会", "term_start": date(2022, 1, 1),
              "term_end": date(2026, 12, 31)}
    da = TermDelegate(name="柏青岚", office_id=w.own["office"], user_id=w.users[Role.delegate],
                      electing_unit=OWN_UNIT_NAME, **common)
    db_ = TermDelegate(name=OTHER_DELEGATE, office_id=w.other["office"], electing_unit=OTHER_UNIT_NAME, **common)
    session.add_all([da, db_])
    session.flush()
    for key, d, office in (("own", da, w.own["office"]), ("other", db_, w.other["office"])):
        act = ActivityRecord(delegate_id=d.id, type_code="meeting", on=date(2026, 3, 2), place="会议室",
                             description=f"{d.name}参加活动")
        pet = Petition(office_id=office, delegate_id=d.id, resident_name=f"{d.name}接待群众", content="反映道路问题")
        prop = Proposal(lead_delegate_id=d.id, title=f"{d.name}的提案", grounds="依据", solution="方案",
                        submitted_on=date(2026, 3, 3))
        nom = ModelNomination(year=2026, delegate_id=d.id, unit_name="区委组织部")
        session.add_all([act, pet, prop, nom])
        session.flush()
        getattr(w, key).update(delegate=d.id, activity=act.id, petition=pet.id, proposal=prop.id, nomination=nom.id)


def _seed_assembly(session, w: World) -> None:
    """年会: a session of the seeded delegate's congress (his own) and one of another congress (not his; the
    组织部 users of this world reach both)."""
    from election.assembly.models import AssemblySession
    from election.directory.models import Organisation

    top = session.query(Organisation).filter_by(code="SEC-TOP").one()
    for pool, congress, no in ((w.own, "区第十二次党代会", 1), (w.other, "另一届党代会", 2)):
        s = AssemblySession(organisation_id=top.id, congress=congress, meeting_no=no, title=f"安全测试年会{no}",
                            opens_on=date(2026, 12, 20), closes_on=date(2026, 12, 21))
        session.add(s)
        session.flush()
        pool.update(assembly_session=s.id)


def _seed_assembly_rooms(session, w: World) -> None:
    """年会: a discussion group (the seeded delegate in the own one) and a distributed material in each session
    (no file behind it: the matrix probes only the denials of the download)."""
    from election.assembly.models import GroupMember, SessionGroup, SessionMaterial

    for key, pool in (("own", w.own), ("other", w.other)):
        if "assembly_session" not in pool:  # pragma: no cover - sessions not seeded
            return
        g = SessionGroup(session_id=pool["assembly_session"], name="安全测试代表小组")
        m = SessionMaterial(session_id=pool["assembly_session"], title="安全测试材料", original_name="材料.pdf",
                            stored_name=f"sec-material-{key}.pdf", content_type="application/pdf", size=10,
                            distributed_at=datetime(2026, 12, 10, 2, 0))
        session.add_all([g, m])
        session.flush()
        if key == "own" and "delegate" in pool:
            session.add(GroupMember(session_id=g.session_id, group_id=g.id, delegate_id=pool["delegate"]))
        pool.update(assembly_group=g.id, assembly_material=m.id)


def _seed_appraisals(session, w: World) -> None:
    """年会测评: a published 民主测评 in each seeded session (the own one of the delegate's congress)."""
    from election.assembly.models import Appraisal, AppraisalObject

    for pool in (w.own, w.other):
        if "assembly_session" not in pool:  # pragma: no cover - sessions not seeded
            return
        a = Appraisal(session_id=pool["assembly_session"], kind="rating", title="安全测试民主测评",
                      grades=["好", "较好", "一般", "差"], settings={}, status="published", ballots_issued=10,
                      ballots_collected=10, published_at=datetime(2026, 12, 20, 2, 0),
                      confirmed={"invalid": 0, "objects": {}})
        a.objects.append(AppraisalObject(seq=1, kind="unit", name="安全测试领导班子"))
        session.add(a)
        session.flush()
        a.confirmed = {"invalid": 0, "objects": {str(a.objects[0].id): {"好": 10}}}
        session.flush()
        pool.update(appraisal=a.id)


def _seed_between(session, w: World) -> None:
    """年会决议与整改 and 闭会期间: a resolution and a follow-up in each seeded session; a 列席 meeting inviting the
    seeded delegate (own) and one inviting the other delegate (other); an 询问 by each."""
    from election.assembly.models import FollowUp, Inquiry, Resolution, SitInInvitee, SitInMeeting
    from election.directory.models import Organisation

    if "assembly_session" not in w.own or "delegate" not in w.own:  # pragma: no cover - areas not installed
        return
    top = session.query(Organisation).filter_by(code="SEC-TOP").one()
    for pool in (w.own, w.other):
        r = Resolution(session_id=pool["assembly_session"], title="关于安全测试的决议", text="正文",
                       adopted_on=date(2026, 12, 20))
        session.add(r)
        session.flush()
        f = FollowUp(session_id=pool["assembly_session"], source="resolution", resolution_id=r.id, problem="安全测试问题",
                     owner="区委办", due_on=date(2027, 6, 30))
        m = SitInMeeting(organisation_id=top.id, congress="区第十二次党代会", kind="plenary", title="安全测试全会",
                         held_on=date(2026, 11, 20))
        i = Inquiry(organisation_id=top.id, kind="inquiry", delegate_id=pool["delegate"], department="区教育局",
                    subject="安全测试询问", content="内容", submitted_on=date(2026, 11, 1), due_on=date(2026, 11, 16))
        session.add_all([f, m, i])
        session.flush()
        session.add(SitInInvitee(meeting_id=m.id, delegate_id=pool["delegate"]))
        pool.update(resolution=r.id, followup=f.id, sitin=m.id, inquiry=i.id)


# --- real servers (gunicorn) for the concurrency and crash tests ---------------------------------------------------
VENV_BIN = Path(sys.executable).parent
SERVER_PASSWORD = "server-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(kind: str, request, tmp_path: Path, name: str) -> str:
    """An empty database with the schema of the models (the Alembic migration is regenerated separately)."""
    from election.core.db import make_engine
    from election.models import Base
    from tests import pg

    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / f'{name}.db'}"
    else:
        url = pg.create_database(request.getfixturevalue("pg_server"), name)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return url


def cheap_hash(password: str = SERVER_PASSWORD) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (its own process group)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(database_url: str, tmp_path: Path, *, workers: int, app_spec: str = "election.wsgi:app",
                 env: dict[str, str] | None = None, timeout: float = 60.0) -> Server:
    port = free_port()
    log = tmp_path / f"gunicorn-{port}.log"
    full_env = {**os.environ, "ELECTION_DATABASE_URL": database_url,
                "ELECTION_SECRET_KEY": "security-tests-secret-key-0123456789",
                "ELECTION_UPLOAD_DIR": str(tmp_path / "uploads"), **(env or {})}
    cmd = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120",
           "--graceful-timeout", "3", "--control-socket", str(tmp_path / f"gunicorn-{port}.ctl"), app_spec]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=str(PROJECT_DIR), env=full_env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn 启动失败：{log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn 未能在限定时间内启动")


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, "页面上没有 CSRF 令牌"
    return m.group(1)


def web_login(base: str, username: str, password: str = SERVER_PASSWORD):
    """A requests.Session logged in through the real login form (CSRF on)."""
    import requests

    s = requests.Session()
    token = csrf_of(s.get(f"{base}/login", timeout=30).text)
    r = s.post(f"{base}/login", data={"username": username, "password": password, "csrf_token": token},
               allow_redirects=False, timeout=30)
    assert r.status_code == 302, f"{username} 登录失败：{r.status_code}"
    return s


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: real gunicorn servers (concurrency, crash); deselect with -m 'not slow'")


# --- an election in 推荐 with N units, their handlers and an office user, straight into a fresh database ---------
NOMINATE_CATEGORY = "局级领导干部"


def seed_nomination_race(database_url: str, units: int) -> dict:
    from sqlalchemy.orm import Session as OrmSession

    from election.accounts.models import User
    from election.core.db import make_engine
    from election.directory.models import ElectionUnit, Unit
    from election.elections.models import Election

    engine = make_engine(database_url)
    ids: dict = {"units": []}
    with OrmSession(engine) as s:
        election = Election(title="并发报送测试选举", seats=16, stage="nominate", age_reference_date=date(2026, 4, 10))
        s.add(election)
        s.flush()
        office = User(username="race_office", display_name="选举办", role="office", password_hash=cheap_hash())
        s.add(office)
        for i in range(units):
            unit = Unit(code=f"RACE{i:02d}", name=f"并发测试单位{i:02d}", kind="党工委")
            s.add(unit)
            s.flush()
            eu = ElectionUnit(election_id=election.id, unit_id=unit.id, quota=2, report_count=0)
            user = User(username=f"race_unit{i:02d}", display_name=f"经办人{i:02d}", role="unit", unit_id=unit.id,
                        password_hash=cheap_hash())
            s.add_all([eu, user])
            s.flush()
            ids["units"].append({"eu": eu.id, "username": user.username, "rows": 3 + i % 4, "index": i})
        s.commit()
        ids["election"] = election.id
    engine.dispose()
    return ids


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红"


def nominee_workbook(unit_index: int, rows: int) -> tuple[bytes, list[str]]:
    """A valid list for one unit: unique names and ID numbers across units."""
    import io

    from openpyxl import Workbook

    from election.nominations.columns import COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = "推荐人选"
    ws.append([c.header for c in COLUMNS])
    names = []
    for r in range(rows):
        born = date(1966 + r, 1 + unit_index % 12, 1 + r)
        name = SURNAMES[unit_index % len(SURNAMES)] + GIVEN[r % len(GIVEN)] + GIVEN[(unit_index + r * 7) % len(GIVEN)]
        names.append(name)
        ws.append([name, "男", "汉族", make_id("110101", born, unit_index * 10 + r, True), f"{born:%Y-%m}", "北京",
                   "大学本科", "1995-07", "1990-08", f"某单位{unit_index}处长", NOMINATE_CATEGORY, ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), names


def _seed_tokens(session, w: World) -> None:
    """One API token per role (election/api/credentials.py), and one of a user outside the matrix."""
    try:
        from election.api import credentials as api_tokens
    except ImportError:  # pragma: no cover - API not installed
        return
    from election.accounts.models import User
    from election.core.clock import utcnow

    now = utcnow()  # checked against the real clock by the API
    w.own_by_role["token"] = {}
    for role in Role:
        issued = api_tokens.create_token(session, session.get(User, w.users[role]), "矩阵测试", 30, now)
        w.tokens[role] = issued.secret
        w.own_by_role["token"][role] = issued.token.id
        w.own.setdefault("token", issued.token.id)
    outsider = session.query(User).filter_by(username="sec_inspector_b").one()
    w.other["token"] = api_tokens.create_token(session, outsider, "他人令牌", 30, now).token.id
