"""The 履职纪实表 is the 凤县 form (issue 21): the .docx table matches the seed's 附件 field for field (labels in
order, every value filled from what the system knows), fits one A4 page, and the print view shows the same fields
from the same builder (election/duties/services/record_form.py). Another rule set's record keeps working."""
from __future__ import annotations

import html
import re
from datetime import date, datetime

import pytest

from election.directory.models import DelegateOffice
from election.duties import services as svc
from election.duties.models import ActivityRecord, OfficeRuleAssignment, TermDelegate
from election.duties.services.record_form import record_form
from tests.documents.conftest import convert_to_pdf, open_docx, pdf_page_count, soffice_or_skip, table_rows

NOW = datetime(2026, 12, 20, 2, 0)
# The seed form's labels in reading order (photo box after the first row's pairs)
SEED_LABELS = ["姓名", "性别", "民族", "照片", "籍贯", "出生年月", "入党时间", "参加工作时间", "工作单位及职务",
               "所驻党代表工作室", "履职纪实评定", "参加县委活动", "驻室活动", "联系群众", "模范带头",
               "党组（党委、工委）意见", "县委组织部意见"]
VALUES = {"姓名": "欧阳丽", "性别": "女", "民族": "回族", "籍贯": "陕西凤县", "出生年月": "1978.05",
          "入党时间": "2001.07", "参加工作时间": "1999.08", "工作单位及职务": "凤县双石铺镇人民政府副镇长",
          "所驻党代表工作室": "双石铺镇党代表工作室"}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def fx(session, make_user):
    office = DelegateOffice(name="双石铺镇党代表工作室")
    other = DelegateOffice(name="盐田工作室")
    session.add_all([office, other])
    session.flush()
    session.add(OfficeRuleAssignment(office_id=office.id, ruleset_code="fengxian"))
    d = TermDelegate(name="欧阳丽", gender="女", ethnicity="回族", native_place="陕西凤县",
                     birth_date=date(1978, 5, 12), party_join_date=date(2001, 7, 1), work_start_date=date(1999, 8, 1),
                     workplace="凤县双石铺镇人民政府副镇长", level="区", congress="县第十六次党代会",
                     term_start=date(2021, 9, 1), term_end=date(2026, 12, 31), electing_unit="双石铺镇",
                     office_id=office.id)
    y = TermDelegate(name="张伟", gender="男", level="区", congress="区第十二次党代会", term_start=date(2022, 1, 1),
                     term_end=date(2026, 12, 31), electing_unit="沙头角", office_id=other.id)
    session.add_all([d, y])
    session.flush()
    acts = [("office_activity", date(2026, m, 6)) for m in (3, 6, 9, 11)] + [
        ("county_activity", date(2026, 4, 2)), ("contact_masses", date(2026, 5, 8)),
        ("exemplary", date(2026, 7, 1))]
    session.add_all(ActivityRecord(delegate_id=d.id, type_code=c, on=on, status="verified", verified_at=NOW)
                    for c, on in acts)
    session.add(ActivityRecord(delegate_id=y.id, type_code="duty_reception", on=date(2026, 2, 3), status="verified",
                               verified_at=NOW))
    session.flush()
    staff = make_user("studio", office_id=office.id)
    svc.rate_part(session, staff, d.id, 2026, "office_activity", "优秀", "", "", NOW)
    svc.rate_part(session, staff, d.id, 2026, "exemplary", "良好", "凤县双石铺镇人民政府", "", NOW)
    return d, y, staff


def test_docx_matches_the_seed_form_field_for_field(session, fx):
    d, _y, staff = fx
    form = record_form(session, staff, d.id, 2026)
    data = svc.duty_record_for(session, staff, d.id, 2026)
    rows = table_rows(open_docx(data))
    cells = [_flat(c) for row in rows for c in row]
    labels = [c for c in cells if c in {_flat(x) for x in SEED_LABELS}]
    assert labels == [_flat(x) for x in SEED_LABELS], labels
    # each value sits in the cell right after its label
    for label, value in VALUES.items():
        assert cells[cells.index(_flat(label)) + 1] == _flat(value), label
    assert rows[0][-1] == "照片" and rows[1][-1] == "" and rows[2][-1] == ""  # the empty photo box, 3 rows high
    by_part = {r[1].replace("\n", ""): r for r in rows if len(r) == 5 and r[1].replace("\n", "") in
               {"参加县委活动", "驻室活动", "联系群众", "模范带头"}}
    assert by_part["驻室活动"][2].startswith("共4次：3月6日驻室活动")
    assert by_part["驻室活动"][3:] == ["优秀", "工作室所在镇党委"]
    assert by_part["模范带头"][3:] == ["良好", "凤县双石铺镇人民政府"]
    assert by_part["参加县委活动"][3:] == ["", "组织部/镇党委"]  # not rated yet: the body that rates it
    seals = [r for r in rows if r[0].replace("\n", "") in ("党组（党委、工委）意见", "县委组织部意见")]
    assert len(seals) == 2 and all("（盖章）" in r[1] and "年\u3000\u3000月\u3000\u3000日" in r[1] for r in seals)
    assert "个人履职总结" not in "".join(cells)  # not on the seed form: no second page for it
    assert form.labels == SEED_LABELS


def test_print_view_shows_the_same_fields(client, auth, session, fx):
    d, _y, staff = fx
    session.commit()
    auth.login(staff.username)
    page = client.get(f"/duties/review/{d.id}/record?year=2026")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    table = body[body.index('data-testid="print-record"'):body.index("</table>")]
    cells = [_flat(html.unescape(re.sub(r"<[^>]+>", "", c)))
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.DOTALL)]
    labels = [c for c in cells if c in {_flat(x) for x in SEED_LABELS}]
    assert labels == [_flat(x) for x in SEED_LABELS]
    for label, value in VALUES.items():
        assert cells[cells.index(_flat(label)) + 1] == _flat(value), label
    assert "共4次：3月6日驻室活动" in "".join(cells) and cells.count("（盖章）年月日") == 2


def test_record_fits_one_a4_page(session, fx, tmp_path):
    soffice_or_skip()
    d, _y, staff = fx
    path = tmp_path / "record.docx"
    path.write_bytes(svc.duty_record_for(session, staff, d.id, 2026))
    assert pdf_page_count(convert_to_pdf([path], tmp_path)["record"]) == 1


def test_other_rule_set_keeps_its_own_texts(session, fx, make_user):
    _d, y, _staff = fx
    admin = make_user("admin")
    rows = table_rows(open_docx(svc.duty_record_for(session, admin, y.id, 2026)))
    text = "".join(c for r in rows for c in r)
    assert "组织部意见" in text and "县委组织部意见" not in text
    assert "2月3日值班接访" in text and "履职积分" in text and "合计5分" in text
