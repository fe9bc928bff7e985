"""The 年会 (党代会年会) at city size: a congress roll of 2,000 delegates and one session, on SQLite and PostgreSQL.

In process (the services called directly, the pages through the Flask test client as the district's 选举办):
the 2,000 signed in by the bulk sign-in service, the 签到与到会 page (median of 5, its statement count), the
session recorded as held, a 民主评议 of 40 objects × 4 grades — both tellers' entries, the comparison, the
confirmation —, its results page and the 民主评议结果通报 .docx (median of 5 each), and the pure results over the
40 objects (best of 50). The names come from a fixed seed, so every run measures the same congress.

    .venv/bin/python bench/bench_assembly.py [--delegates 2000] [--objects 40] [--no-postgresql]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _common import Row, best_of, info_row, limit_row, median_of, peak_rss_mb, print_table

SEED = 23
DELEGATES = 2000
OBJECTS = 40
PAGE_REPEAT = 5
PURE_REPEAT = 50
SECRET = "assembly-bench-secret-key-0123456789"
PASSWORD = "bench-password-1"
CONGRESS = "市第十三次党代会"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红文斌宇浩凯健俊帆帅旭宁龙林欣玲雪"


def names(n: int, seed: int = SEED) -> list[str]:
    """N distinct names (a congress's roll holds a name once per 选举单位), the same for the same seed."""
    rnd, seen = random.Random(seed), {}
    while len(seen) < n:
        seen.setdefault(rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2)))), None)
    return list(seen)


def figures(object_keys: list[str], grades: list[str], valid: int, invalid: int, seed: int = SEED) -> dict:
    """One teller's totals: per object, votes for each grade adding up to at most the valid ballots."""
    rnd = random.Random(seed)
    out = {}
    for key in object_keys:
        left = valid - rnd.randint(0, 15)  # a few ballots leave the object unmarked (未评)
        row = {}
        for grade in grades[:-1]:
            n = rnd.randint(0, left)
            row[grade] = n
            left -= n
        row[grades[-1]] = left
        out[key] = row
    return {"invalid": invalid, "objects": out}


def populate(app, n: int, objects: int) -> dict:
    """The district, its congress's roll of N serving delegates, the accounts and a session opened for sign-in."""
    from election.accounts.models import User
    from election.assembly.models import AssemblySession
    from election.assembly.services import appraisals as apr
    from election.assembly.services.sessions import open_session
    from election.core.clock import today_local
    from election.directory.models import Organisation
    from election.duties.models import TermDelegate

    today = today_local()
    now = datetime.now(UTC)
    with app.app_context():
        db = app_session(app)
        org = Organisation(code="ASM-CITY", name="中共某市委员会", category="党委")
        db.add(org)
        db.flush()
        common = {"congress": CONGRESS, "level": "市", "term_start": today - timedelta(days=1500),
                  "term_end": today + timedelta(days=300)}
        db.add_all([TermDelegate(name=name, gender="女" if i % 3 == 0 else "男", group_name=f"第{i % 40 + 1}代表团",
                                 electing_unit=f"第{i % 40 + 1}选举单位",
                                 **common) for i, name in enumerate(names(n))])
        users = {}
        for key, role in (("office", "office"), ("teller1", "teller"), ("teller2", "teller")):
            u = User(username=f"asm_{key}", display_name=f"{key}用户", role=role,
                     organisation_id=org.id if role == "office" else None)
            u.set_password(PASSWORD)
            db.add(u)
            users[key] = u
        db.flush()
        meeting = AssemblySession(organisation_id=org.id, congress=CONGRESS, meeting_no=3,
                                  title="中国共产党某市第十三次代表大会第三次会议", opens_on=today, closes_on=today,
                                  place="市委党校礼堂", created_by_id=users["office"].id)
        db.add(meeting)
        db.commit()
        open_session(db, users["office"], meeting.id, today, now)
        data = apr.AppraisalInput(kind="appraisal", objects=[
            apr.ObjectInput(f"{nm}{i + 1}", f"市委委员{i + 1}") for i, nm in enumerate(names(objects, SEED + 1))])
        appraisal = apr.create_appraisal(db, users["office"], meeting.id, data, now)
        ids = [d for (d,) in db.query(TermDelegate.id).where(TermDelegate.congress == CONGRESS)
               .order_by(TermDelegate.id)]
        return {"session_id": meeting.id, "appraisal_id": appraisal.id, "delegate_ids": ids,
                "users": {k: u.id for k, u in users.items()}}


def app_session(app):
    """The request's session (what ``db.session`` is inside the app context): the services and the directory
    scope they call read through it; removed when the app context ends, as after a request."""
    return app.extensions["election_db"].session()


def logged_in(app, username: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def get_ok(client, url: str, mimetype: str | None = None):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    if mimetype:
        assert response.mimetype == mimetype, (url, response.mimetype)
    return response


def statements_of(engine, fn) -> int:
    from sqlalchemy import event

    seen = []

    def before(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(seen)


def run(url: str, label: str, n: int, objects: int) -> list[Row]:
    from election import create_app
    from election.accounts import models as user_models
    from election.accounts.models import User
    from election.assembly.services import appraisals as apr
    from election.assembly.services import attendance as att
    from election.assembly.services.sessions import hold_session
    from election.core.exceptions import ServiceError
    from election.models import Base

    user_models.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # three accounts; the bench is not about hashing
    uploads = tempfile.mkdtemp(prefix="bench-assembly-uploads-")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False, "UPLOAD_DIR": uploads,
                      "PAGE_CACHE_SIZE": 0})
    engine = app.extensions["election_db"].engine
    Base.metadata.create_all(engine)
    t = time.perf_counter()
    world = populate(app, n, objects)
    load_s = time.perf_counter() - t
    sid, aid, ids = world["session_id"], world["appraisal_id"], world["delegate_ids"]
    now = datetime.now(UTC)
    rows = [info_row(f"[{label}] 装载：{n:,}名代表的名册、年会、{objects}个对象的测评", load_s)]

    def service(fn, keep=lambda out: out):
        """Run FN(db, users) in a fresh session as a request would: (seconds, peak MB, KEEP(result)); KEEP reads
        what is checked afterwards while the session is still there, outside the time."""
        with app.app_context():
            db = app_session(app)
            users = {k: db.get(User, uid) for k, uid in world["users"].items()}
            t0 = time.perf_counter()
            peak, out = peak_rss_mb(lambda: fn(db, users))
            return time.perf_counter() - t0, peak, keep(out)

    # --- sign-in: the bulk service takes at most MAX_BULK delegates a call (all or nothing)
    refused = ""
    if n > att.MAX_BULK:
        try:
            service(lambda db, u: att.sign_in(db, u["office"], sid, ids, now))
        except ServiceError as exc:
            refused = f"；一次{n:,}人被拒绝：{exc}"
    chunks = [ids[i:i + att.MAX_BULK] for i in range(0, len(ids), att.MAX_BULK)]
    signed, sign_s, sign_peak = 0, 0.0, 0.0
    for chunk in chunks:
        s, peak, k = service(lambda db, u, chunk=chunk: att.sign_in(db, u["office"], sid, chunk, now))
        signed, sign_s, sign_peak = signed + k, sign_s + s, max(sign_peak, peak)
    assert signed == n, (signed, n)
    rows.append(info_row(f"[{label}] 批量签到 sign_in：{n:,}人", sign_s, peak_mb=sign_peak,
                         note=f"{len(chunks)}次调用×≤{att.MAX_BULK}人（每次一个事务、一条审计）{refused}"))

    office = logged_in(app, "asm_office")
    page = f"/assembly/sessions/{sid}/attendance"
    first = get_ok(office, page).get_data(as_text=True)  # warm: templates compiled
    assert all(name in first for name in names(n)[::97]), "the roll is not on the page"
    page_s = median_of(lambda: get_ok(office, page), PAGE_REPEAT)
    page_statements = statements_of(engine, lambda: get_ok(office, page))
    size_kb = len(get_ok(office, page).data) // 1024
    rows.append(limit_row(f"[{label}] 签到与到会页（{n:,}人名册）", page_s, 0.5,
                          note=f"{PAGE_REPEAT}次中位数；{page_statements}条SQL；{size_kb} KiB"))

    hold_s, hold_peak, (status, roll, present) = service(
        lambda db, u: hold_session(db, u["office"], sid, now), lambda m: (m.status, m.roll_count, m.present_count))
    assert status == "held" and roll == present == n, (status, roll, present)
    rows.append(info_row(f"[{label}] 确认会议召开 hold_session", hold_s, peak_mb=hold_peak,
                         note=f"应到{roll}人，实到{present}人"))

    # --- the appraisal: opened with the ballots of the session, both tellers' entries, compare, confirm
    issued, collected, invalid = n, n - 7, 12
    service(lambda db, u: apr.open_appraisal(db, u["office"], aid, issued, collected, now), lambda a: None)
    with app.app_context():
        db = app_session(app)
        a = apr.load_appraisal(db, db.get(User, world["users"]["office"]), aid)
        keys, grades = [k for k, _ in apr.object_keys(a)], list(a.grades)
    entry = figures(keys, grades, collected - invalid, invalid)
    for no, teller in ((1, "teller1"), (2, "teller2")):
        s, peak, _ = service(lambda db, u, no=no, teller=teller: apr.enter_figures(db, u[teller], aid, no, entry, now),
                             lambda e: None)
        rows.append(info_row(f"[{label}] 测评第{no}次录入 enter_figures（{objects}×{len(grades)}）", s, peak_mb=peak))
    s, peak, (agree, diffs) = service(lambda db, u: apr.compare(db, apr.load_appraisal(db, u["office"], aid)),
                                      lambda c: (c.agree, c.differences[:3]))
    assert agree, diffs
    rows.append(info_row(f"[{label}] 两次录入比对 compare", s, peak_mb=peak, note="一致"))
    s, peak, status = service(lambda db, u: apr.confirm_appraisal(db, u["teller1"], aid, now), lambda a: a.status)
    assert status == "confirmed", status
    rows.append(info_row(f"[{label}] 确认票数 confirm_appraisal", s, peak_mb=peak))

    results_page = f"/assembly/appraisals/{aid}"
    first = get_ok(office, results_page).get_data(as_text=True)
    assert all(f"{nm}{i + 1}" in first for i, nm in enumerate(names(objects, SEED + 1))), "results not on the page"
    res_s = median_of(lambda: get_ok(office, results_page), PAGE_REPEAT)
    res_statements = statements_of(engine, lambda: get_ok(office, results_page))
    rows.append(limit_row(f"[{label}] 测评结果页（{objects}个对象）", res_s, 0.3,
                          note=f"{PAGE_REPEAT}次中位数；{res_statements}条SQL"))

    docx_url = f"/assembly/appraisals/{aid}/result.docx"
    docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    size_kb = len(get_ok(office, docx_url, docx_mime).data) // 1024
    docx_s = median_of(lambda: get_ok(office, docx_url, docx_mime), PAGE_REPEAT)
    rows.append(limit_row(f"[{label}] 民主评议结果通报 .docx", docx_s, 1.0,
                          note=f"{PAGE_REPEAT}次中位数；{size_kb} KiB"))

    with app.app_context():
        app.extensions["election_db"].session.remove()
    engine.dispose()
    return rows


def pure_rows(objects: int) -> list[Row]:
    from workflow.assembly import appraisal as wa

    rules = wa.default_rules("appraisal")
    keys = [str(i) for i in range(1, objects + 1)]
    collected, invalid = DELEGATES - 7, 12
    figs = wa.figures_from_json(figures(keys, list(rules.grades), collected - invalid, invalid))
    out = wa.results(rules, keys, figs, collected)
    assert len(out) == objects
    t = best_of({"results": lambda: wa.results(rules, keys, figs, collected)}, PURE_REPEAT, clock=time.process_time)
    return [info_row(f"测评结果计算 workflow.assembly.appraisal.results（{objects}个对象×4等次）", t["results"],
                     note=f"{PURE_REPEAT}次最佳（CPU）")]


def measure(n: int = DELEGATES, objects: int = OBJECTS, postgresql: bool = True, url_base: str | None = None
            ) -> list[Row]:
    """The table's rows (run_all.py): SQLite, then PostgreSQL (a throwaway cluster unless URL_BASE names one)."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-assembly-") as tmp:
        rows += run(f"sqlite:///{tmp}/assembly.db", "SQLite", n, objects)
    if postgresql:
        from tests import pg

        cluster = None
        if url_base is None:
            cluster, why = pg.start_cluster()
            if cluster is None:
                rows.append(Row("[PostgreSQL] 年会各项", None, note=f"PostgreSQL 不可用，未测：{why}"))
            else:
                url_base = cluster.url_base
        try:
            if url_base is not None:
                rows += run(pg.create_database(url_base, "bench_assembly"), "PostgreSQL", n, objects)
        finally:
            if cluster is not None:
                cluster.stop()
    return rows + pure_rows(objects)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--delegates", type=int, default=DELEGATES)
    ap.add_argument("--objects", type=int, default=OBJECTS)
    ap.add_argument("--no-postgresql", action="store_true")
    args = ap.parse_args()
    t = time.perf_counter()
    rows = measure(args.delegates, args.objects, not args.no_postgresql)
    print_table(rows, f"年会（市级规模）：{args.delegates:,}名代表，{args.objects}个测评对象；用时 "
                      f"{time.perf_counter() - t:.0f} 秒")


if __name__ == "__main__":
    main()
