"""The 代表名册 over the API (election/duties/api_delegates_admin.py): the .xlsx import (every row or none, errors
by row and column) and the 补选 a vacancy opens — the delegate pages' use cases: the effect and one audit entry,
every other role 403, a bad body 422 naming the field, a missing delegate 404."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.clock import today_local, utcnow
from election.duties import services as svc
from election.duties.models import TermDelegate
from election.elections.models import Election
from tests.api.test_api import error_code
from tests.duties.test_api import API, details
from workflow.duties.delegate_status import DecisionRecord

REFUSED = ("studio", "auditor", "delegate", "unit", "inspector", "discipline", "teller")
GOOD = ["导入一", "女", "1975-03", "汉族", "区", "区第十二次党代会", "2022-01-01", "2026-12-31", "导入党工委", "", "", "",
        "", "", ""]


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def roll(session) -> int:
    return session.scalar(select(func.count()).select_from(TermDelegate))


def sheet(*rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([h for h, _, _ in svc.DELEGATE_COLUMNS])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, headers, data: bytes):
    return client.post(f"{API}/delegates/file", headers=headers,
                       data={"file": (io.BytesIO(data), "代表名册.xlsx")}, content_type="multipart/form-data")


# ---------------------------------------------------------------------------------------------- import
def test_import_stores_every_row_with_one_audit(client, session, token_for):
    _, office = token_for("office")
    r = upload(client, office, sheet(GOOD, ["导入二", "男", "", "", "镇", *GOOD[5:]]))
    assert r.status_code == 201, r.get_json()
    assert r.get_json() == {"imported": 2, "names": ["导入一", "导入二"]}
    levels = dict(session.execute(select(TermDelegate.name, TermDelegate.level)).all())
    assert levels == {"导入一": "区", "导入二": "镇"} and audits(session, "duties.delegates.import") == 1
    # the raw .xlsx as the body works too; a name already on the roll is refused by row
    again = client.post(f"{API}/delegates/file", headers=office, data=sheet(GOOD),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert again.status_code == 422 and details(again)[0] == {
        "row": 2, "column": "姓名", "message": details(again)[0]["message"]}
    assert "已在代表名册中" in details(again)[0]["message"] and roll(session) == 2


def test_import_is_all_or_nothing_with_errors_by_row_and_column(client, session, token_for):
    _, admin = token_for("admin")
    bad = ["错行", "M", "", "", "省", "区第十二次党代会", "2022-01-01", "2021-12-31", "导入党工委", "", "", "不存在的工作室",
           "", "", ""]
    r = upload(client, admin, sheet(GOOD, bad))
    assert r.status_code == 422 and error_code(r) == "row_errors"
    where = {(d["row"], d["column"]) for d in details(r)}
    assert {(3, "性别"), (3, "层级"), (3, "任期结束"), (3, "党代表工作室")} <= where
    assert "未导入任何代表" in r.get_json()["error"]["message"]
    assert roll(session) == 0 and audits(session, "duties.delegates.import") == 0


def test_import_refuses_a_missing_or_non_excel_file(client, session, token_for):
    _, office = token_for("office")
    none = client.post(f"{API}/delegates/file", headers=office, data={}, content_type="multipart/form-data")
    assert none.status_code == 422 and details(none)[0]["field"] == "file"
    csv = upload(client, office, "姓名,性别\n张三,男\n".encode())
    assert csv.status_code == 422 and csv.get_json()["error"]["message"]
    assert roll(session) == 0


def test_import_refused_roles(client, session, token_for):
    for role in REFUSED:
        _, headers = token_for(role)
        r = upload(client, headers, sheet(GOOD))
        assert r.status_code == 403 and error_code(r) == "forbidden", role
    assert roll(session) == 0


# ---------------------------------------------------------------------------------------------- 补选
@pytest.fixture
def vacancy(session, make_user, make_unit):
    unit = make_unit("补选接口单位")
    common = {"gender": "男", "level": "区", "congress": "区第十二次党代会", "term_start": date(2022, 1, 1),
              "term_end": date(2026, 12, 31), "electing_unit": unit.name, "electing_unit_id": unit.id}
    gone, serving = TermDelegate(name="出缺代表", **common), TermDelegate(name="在任代表", **common)
    session.add_all([gone, serving])
    session.flush()
    svc.change_delegate_status(session, make_user("admin"), gone.id, "terminated", "resignation_accepted",
                               DecisionRecord("中共某区委", "区委〔2026〕9号", today_local()), today_local(), utcnow())
    session.commit()
    return gone, serving, unit


def test_by_election_started_from_a_vacancy_with_its_audit(client, session, token_for, vacancy):
    gone = vacancy[0]
    _, office = token_for("office")
    r = client.post(f"{API}/delegates/{gone.id}/by-election", headers=office, json={"start": "2026-12-01"})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["seats"] == 1 and body["stage"] == "plan" and body["title"] == "补选接口单位补选区第十二次党代会代表"
    session.expire_all()
    assert session.get(TermDelegate, gone.id).by_election_id == body["id"]
    assert session.get(Election, body["id"]) is not None and audits(session, "duties.by_election.start") == 1
    again = client.post(f"{API}/delegates/{gone.id}/by-election", headers=office, json={"start": "2026-12-01"})
    assert again.status_code == 422 and "已启动补选" in again.get_json()["error"]["message"]
    assert audits(session, "duties.by_election.start") == 1


def test_by_election_refused_for_a_serving_delegate_or_a_missing_one(client, session, token_for, vacancy):
    _, serving, _ = vacancy
    _, admin = token_for("admin")
    r = client.post(f"{API}/delegates/{serving.id}/by-election", headers=admin, json={"start": "2026-12-01"})
    assert r.status_code == 422 and "没有空缺名额" in r.get_json()["error"]["message"]
    missing = client.post(f"{API}/delegates/987654/by-election", headers=admin, json={"start": "2026-12-01"})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    assert audits(session, "duties.by_election.start") == 0


def test_by_election_bad_body_names_the_field(client, session, token_for, vacancy):
    gone = vacancy[0]
    _, office = token_for("office")
    for body, field in (({}, "start"), ({"start": "下个月"}, "start"), ({"start": "9999-12-31"}, "start"),
                        ({"start": "2026-12-01", "unit_id": 987654}, "unit_id"),
                        ({"start": "2026-12-01", "title": "补" * 201}, "title")):
        r = client.post(f"{API}/delegates/{gone.id}/by-election", headers=office, json=body)
        assert r.status_code == 422 and details(r)[0]["field"] == field, body
    session.expire_all()
    assert session.get(TermDelegate, gone.id).by_election_id is None


def test_by_election_refused_roles(client, session, token_for, vacancy):
    gone = vacancy[0]
    for role in REFUSED:
        _, headers = token_for(role)
        r = client.post(f"{API}/delegates/{gone.id}/by-election", headers=headers, json={"start": "2026-12-01"})
        assert r.status_code == 403 and error_code(r) == "forbidden", role
    assert audits(session, "duties.by_election.start") == 0
