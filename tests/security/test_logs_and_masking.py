"""Web hygiene: no ID numbers or passwords in logs; ID numbers masked for roles that do not need them.

- logging is captured at DEBUG for every logger while users log in (right and wrong passwords, a lockout),
  upload a list (good and faulty) and hit an error page: no password and no full ID number appears;
- the audit log — a log too — holds neither passwords nor full ID numbers;
- every GET page and download (.xlsx/.docx unpacked) a non-admin role may open shows ID numbers masked only;
  the 管理员 (election.core.permissions.can_see_full_id_numbers) sees them whole.
"""
from __future__ import annotations

import io
import logging
import zipfile

import pytest
from sqlalchemy import select

from election.core.permissions import can_see_full_id_numbers
from election.core.roles import Role
from tests.conftest import TEST_PASSWORD
from tests.security import conftest as sec
from tests.security.authz_table import TABLE
from workflow.common.idcard import mask_id

WRONG_PASSWORD = "Wr0ng-Passw0rd-XYZ"
FULL_IDS = (sec.OWN_ID, sec.OTHER_ID, sec.OTHER_ID_2)
# who needs a whole ID number besides the 管理员: the unit handler correcting a person of their own list (the
# edit form's ID field must hold the number it edits)
NEEDS_FULL_ID = {("units.edit", Role.unit)}


def _log_text(caplog) -> str:
    parts = []
    for rec in caplog.records:
        parts.append(rec.getMessage())
        if rec.exc_text:
            parts.append(rec.exc_text)
        if rec.exc_info:
            parts.append(logging.Formatter().formatException(rec.exc_info))
    return "\n".join(parts)


def test_logs_hold_no_passwords_during_login(app, world, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    with app.app_context():
        assert client.post("/login", data={"username": "sec_office", "password": TEST_PASSWORD}).status_code == 302
    for _ in range(6):  # wrong passwords up to and past the lockout
        c = app.test_client()
        with app.app_context():
            c.post("/login", data={"username": "sec_unit", "password": WRONG_PASSWORD})
            c.post("/login", data={"username": WRONG_PASSWORD, "password": WRONG_PASSWORD})
    logs = _log_text(caplog)
    assert TEST_PASSWORD not in logs and WRONG_PASSWORD not in logs


def test_logs_hold_no_id_numbers_during_import_and_errors(app, session, world, role_clients, isolated, caplog):
    from election.directory.models import ElectionUnit
    from election.elections.models import Election

    eu_id = world.own["election_unit"]
    session.get(Election, session.get(ElectionUnit, eu_id).election_id).stage = "nominate"
    session.commit()
    good, _names = sec.nominee_workbook(3, 4)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(good))
    ids_in_file = [str(c.value) for c in wb.active["D"][1:]]
    wb.active["B3"] = "未知"  # a faulty row next to valid ID numbers
    wb.active["D4"] = sec.OTHER_ID  # an ID already nominated by the other unit
    faulty = io.BytesIO()
    wb.save(faulty)
    caplog.set_level(logging.DEBUG)
    client = role_clients[Role.unit]
    for data in (faulty.getvalue(), good):
        status = isolated(lambda d=data: client.post(f"/units/{eu_id}/upload",
                                                      data={"file": (io.BytesIO(d), "名单.xlsx")}).status_code)
        assert status < 500
    # an error page reached with an ID number in the URL and in a form
    isolated(lambda: client.get(f"/units/999999?id={sec.OWN_ID}"))
    isolated(lambda: client.post("/login", data={"username": sec.OWN_ID, "password": sec.OWN_ID}))
    logs = _log_text(caplog)
    leaked = [i for i in (*FULL_IDS, *ids_in_file) if i in logs]
    assert not leaked, f"日志中出现了完整身份证号：{leaked}"


def test_audit_log_holds_no_passwords_or_full_id_numbers(app, session, world, role_clients, isolated):
    from election.audit.models import AuditEntry
    from election.directory.models import ElectionUnit
    from election.elections.models import Election

    eu_id = world.own["election_unit"]
    session.get(Election, session.get(ElectionUnit, eu_id).election_id).stage = "nominate"
    session.commit()
    good, _names = sec.nominee_workbook(5, 4)
    from openpyxl import load_workbook

    ids_in_file = [str(c.value) for c in load_workbook(io.BytesIO(good)).active["D"][1:]]
    client = role_clients[Role.unit]
    assert client.post(f"/units/{eu_id}/upload", data={"file": (io.BytesIO(good), "名单.xlsx")}).status_code == 302
    with app.app_context():
        app.test_client().post("/login", data={"username": "sec_admin", "password": WRONG_PASSWORD})
    entries = session.scalars(select(AuditEntry)).all()
    assert entries
    text = "\n".join(f"{e.summary} {e.before} {e.after}" for e in entries)
    assert WRONG_PASSWORD not in text and TEST_PASSWORD not in text and "pbkdf2:" not in text and "scrypt:" not in text
    leaked = [i for i in (*FULL_IDS, *ids_in_file) if i in text]
    assert not leaked, f"审计日志中出现了完整身份证号：{leaked}"


# ------------------------------------------------------------------------------------------------ masking in pages
def _visible_text(data: bytes, mimetype: str) -> str:
    if mimetype.startswith(("text/", "application/json")):
        return data.decode("utf-8", errors="replace")
    if data[:2] == b"PK":  # .xlsx / .docx: every XML part
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", errors="replace") for n in z.namelist() if n.endswith(".xml"))
    return ""


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_id_numbers_masked_for_roles_that_do_not_need_them(role, app, world, role_clients, isolated):
    from tests.security.test_authz_matrix import _endpoints, _object_kind, _owns, build_url

    class _User:  # the predicate looks at the role only
        is_authenticated = True

    probe_user = _User()
    probe_user.role = role.value
    full_allowed = can_see_full_id_numbers(probe_user)
    client = role_clients[role]
    shown_masked = False
    problems = []
    for endpoint, methods in sorted(_endpoints(app).items()):
        route = TABLE.get(endpoint)
        if route is None or route.get is None or "GET" not in methods or endpoint == "static":
            continue
        kind = _object_kind(app, endpoint)
        for variant in (("own", "other") if kind and kind in world.own else ("plain",)):
            if not route.get.allows(role, _owns(world, role, kind, variant)) or not route.get.probe_allowed:
                continue
            url = build_url(app, world, role, endpoint, variant)

            def go(u=url):
                r = client.get(u)
                return r.status_code, _visible_text(r.get_data(), r.mimetype)

            status, text = isolated(go)
            sec.FIGURES["authz_checks"] += 1
            if status != 200:
                continue
            full = [i for i in FULL_IDS if i in text]
            if full and not full_allowed and (endpoint, role) not in NEEDS_FULL_ID:
                problems.append(f"{role.value} GET {url}: 显示了完整身份证号 {full}")
            shown_masked = shown_masked or any(mask_id(i) in text for i in FULL_IDS)
    assert not problems, "\n".join(problems)
    if role in (Role.office, Role.unit):
        assert shown_masked, "选举办/推荐单位页面上应能看到脱敏后的身份证号"


def test_admin_sees_full_id_numbers(app, world, role_clients, isolated):
    body = isolated(lambda: role_clients[Role.admin].get(f"/units/{world.own['election_unit']}").get_data(as_text=True))
    assert sec.OWN_ID in body
