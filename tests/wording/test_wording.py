"""An election's own wording of the 公示 and the 情况报告: saved with one audit entry (before → after), unknown
placeholders refused by name, restored to the default, shown filled in the preview, and printed in the .docx
(read back with python-docx); only the office and the admin may see or change it. Both databases."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.exceptions import NotFound, PermissionDenied
from election.documents.wording import DEFAULTS, WordingKind
from election.vetting.models import Notice
from election.vetting.services import render_notice_document, render_report_document
from election.wording import services as svc
from election.wording.models import DocumentWording

NOW = datetime(2026, 3, 2, 9, 0)
TODAY = date(2026, 3, 2)
SECOND, REPORT = WordingKind.notice_second, WordingKind.report_preliminary
EDITED = ("根据工作安排，现将{选举名称}初步人选{人数}名予以公示。\n{名单表}\n"
          "公示期为{起止日期}，共{工作日数}个工作日。联系电话：{联系电话}。")


@pytest.fixture
def election(session, make_election):
    e = make_election(stage="preliminary", units=1, electing_body="中共某区委员会", convening_body="中共某市委员会",
                      title="出席某市第十二次党代会代表选举")
    session.commit()
    return e


def _notice(session, election) -> Notice:
    notice = Notice(election_id=election.id, kind="second", title="关于初步人选的公示", posted_on=TODAY,
                    working_days=5, period_end=date(2026, 3, 6), office_name="区委组织部", office_phone="0000-1234567",
                    office_address="某区行政中心", office_mailbox="zzb@example.cn", people_ids=[])
    session.add(notice)
    session.commit()
    return notice


def _role_kw(session, election, role: str) -> dict:
    """What a scoped role's account needs: the unit's own unit, a studio's office."""
    if role == "unit":
        return {"unit_id": election.units[0].unit_id}
    if role == "studio":
        from election.directory.models import DelegateOffice

        office = DelegateOffice(name=f"工作室{election.id}")
        session.add(office)
        session.flush()
        return {"office_id": office.id}
    return {}


def _texts(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text]


def _entries(session, action):
    return session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)).all()


def test_save_stores_one_row_and_one_audit_entry_with_before_and_after(session, election, make_user):
    office = make_user("office")
    assert svc.save_wording(session, office, election.id, SECOND, EDITED.replace("\n", "\r\n"), NOW) == []
    row = session.scalars(select(DocumentWording)).one()
    assert (row.election_id, row.kind, row.body, row.updated_by_id) == (election.id, "notice_second", EDITED, office.id)
    [entry] = _entries(session, "wording.save")
    assert entry.before == {"kind": SECOND.label, "body": svc.DEFAULT_MARK}
    assert entry.after == {"kind": SECOND.label, "body": EDITED}
    assert svc.save_wording(session, office, election.id, SECOND, EDITED + "\n如有疑问请来电。", NOW) == []
    second = _entries(session, "wording.save")[-1]
    assert second.before["body"] == EDITED and second.after["body"].endswith("如有疑问请来电。")
    assert session.scalar(select(func.count()).select_from(DocumentWording)) == 1


def test_unknown_placeholder_refused_by_name_and_nothing_stored(session, election, make_user):
    office = make_user("office")
    errors = svc.save_wording(session, office, election.id, SECOND, EDITED + "\n请联系{联系人}（{传真}）", NOW)
    assert errors == ["不认识的占位符：{联系人}、{传真}。请改用页面上列出的占位符（名称须完全一致）"]
    assert session.scalar(select(func.count()).select_from(DocumentWording)) == 0
    assert _entries(session, "wording.save") == []


def test_saving_the_default_text_stores_nothing(session, election, make_user):
    assert svc.save_wording(session, make_user("office"), election.id, REPORT, DEFAULTS[REPORT], NOW) == []
    assert session.scalar(select(func.count()).select_from(DocumentWording)) == 0


def test_restore_default_drops_the_text_with_an_entry(session, election, make_user):
    office = make_user("office")
    assert svc.restore_default(session, office, election.id, SECOND, NOW) is False
    svc.save_wording(session, office, election.id, SECOND, EDITED, NOW)
    assert svc.restore_default(session, office, election.id, SECOND, NOW) is True
    assert session.scalar(select(func.count()).select_from(DocumentWording)) == 0
    [entry] = _entries(session, "wording.reset")
    assert (entry.before["body"], entry.after["body"]) == (EDITED, svc.DEFAULT_MARK)
    item = next(i for i in svc.wording_items(session, office, election.id) if i.kind is SECOND)
    assert (item.changed, item.body) == (False, DEFAULTS[SECOND])


@pytest.mark.parametrize("role", ["unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"])
def test_other_roles_refused_by_the_use_cases(session, election, make_user, role):
    user = make_user(role, **_role_kw(session, election, role))
    with pytest.raises(PermissionDenied):
        svc.save_wording(session, user, election.id, SECOND, EDITED, NOW)
    with pytest.raises(PermissionDenied):
        svc.restore_default(session, user, election.id, SECOND, NOW)
    with pytest.raises(PermissionDenied):
        svc.wording_items(session, user, election.id)


def test_missing_election_and_unknown_kind_answer_as_missing(session, make_user):
    with pytest.raises(NotFound):
        svc.save_wording(session, make_user("office"), 999999, SECOND, EDITED, NOW)
    with pytest.raises(NotFound):
        svc.parse_kind("notice_third")


def test_the_notice_docx_prints_the_election_wording_and_the_default_again_after_restore(session, election, make_user):
    office = make_user("office")
    notice = _notice(session, election)
    default = _texts(render_notice_document(session, notice.id))
    assert "公示时间：2026年3月2日至3月6日（5个工作日）。" in default
    svc.save_wording(session, office, election.id, SECOND, EDITED, NOW)
    texts = _texts(render_notice_document(session, notice.id))
    assert "根据工作安排，现将出席某市第十二次党代会代表选举初步人选0名予以公示。" in texts
    assert "公示期为2026年3月2日至3月6日，共5个工作日。联系电话：0000-1234567。" in texts
    assert not any(t.startswith("公示时间：") for t in texts)
    assert texts[0] == default[0]  # the title and the rest of the layout are the renderer's
    svc.restore_default(session, office, election.id, SECOND, NOW)
    assert _texts(render_notice_document(session, notice.id)) == default


def test_the_report_docx_prints_the_edited_draft_with_its_counts(session, election, make_user):
    office = make_user("office")
    before = _texts(render_report_document(session, election.id, TODAY))
    assert "一、推荐提名情况" in before and "四、初步人选结构情况" in before
    draft = ("{发布机关}按照{上级党委}要求完成了考察工作，报告如下：\n一、总体情况\n共推荐{推荐人数}名，考察{考察对象人数}名。\n"
             "（一）公示\n收到反映{反映件数}件（{办结情况}）。\n二、初步人选\n{人数}名：{名单}。")
    assert svc.save_wording(session, office, election.id, REPORT, draft, NOW) == []
    texts = _texts(render_report_document(session, election.id, TODAY))
    assert "中共某区委员会按照中共某市委员会要求完成了考察工作，报告如下：" in texts
    assert {"一、总体情况", "共推荐0名，考察0名。", "（一）公示", "收到反映0件（无）。", "二、初步人选", "0名：。",
            "三、初步人选结构情况"} <= set(texts)
    assert "一、推荐提名情况" not in texts


def test_the_confirmed_report_keeps_its_text_by_default_and_prints_the_edited_one(session, election, make_user):
    """The 预备人选情况报告 has its own wording: the default prints what it always printed, an edit replaces it."""
    from election.voting.services import confirm_report_docx

    office = make_user("office")
    before = _texts(confirm_report_docx(session, election.id, TODAY))
    assert "一、预备人选产生情况" in before and "经全委会圈选，产生预备人选0名。" in before
    assert any(t.startswith("按照工作安排，中共某区委员会组织开展了出席某市第十二次党代会代表选举") for t in before)
    draft = "根据{上级党委}的批复要求，现报告{选举名称}预备人选情况。\n一、基本情况\n{圈选情况}应选{应选名额}名，差额{差额}名。"
    assert svc.save_wording(session, office, election.id, WordingKind.report_confirmed, draft, NOW) == []
    texts = _texts(confirm_report_docx(session, election.id, TODAY))
    assert "根据中共某市委员会的批复要求，现报告出席某市第十二次党代会代表选举预备人选情况。" in texts
    assert "经全委会圈选，产生预备人选0名。应选16名，差额0名。" in texts and "一、预备人选产生情况" not in texts
    assert svc.save_wording(session, office, election.id, WordingKind.report_confirmed, "{投票结果}", NOW) == [
        "不认识的占位符：{投票结果}。请改用页面上列出的占位符（名称须完全一致）"]


# ---------------------------------------------------------------------------------------------- pages


def test_office_edits_previews_and_restores_on_the_page(client, session, election, login_as):
    login_as("office")
    _notice(session, election)
    detail = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert 'data-testid="wording-link"' in detail
    listing = client.get(f"/elections/{election.id}/wording").get_data(as_text=True)
    assert "第二次公示（初步人选，全区范围）" in listing and "系统默认" in listing
    page = client.get(f"/elections/{election.id}/wording/notice_second").get_data(as_text=True)
    assert "{公示期}" in page and "{名单表}" in page and 'data-testid="wording-save"' in page
    assert 'data-testid="wording-reset"' not in page  # nothing to restore yet
    assert "公示时间：2026年3月2日至3月6日（5个工作日）。" in page  # the preview, filled with the notice's values

    shown = client.post(f"/elections/{election.id}/wording/notice_second", data={"body": EDITED, "preview": "预览"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "公示期为2026年3月2日至3月6日，共5个工作日。" in html
    assert session.scalar(select(func.count()).select_from(DocumentWording)) == 0  # a preview stores nothing

    bad = client.post(f"/elections/{election.id}/wording/notice_second",
                      data={"body": EDITED + "\n{公示日期}", "save": "保存"})
    assert bad.status_code == 422 and "不认识的占位符：{公示日期}" in bad.get_data(as_text=True)

    saved = client.post(f"/elections/{election.id}/wording/notice_second", data={"body": EDITED, "save": "保存"})
    assert saved.status_code == 302
    page = client.get(f"/elections/{election.id}/wording/notice_second").get_data(as_text=True)
    assert "本次选举已修改此措辞" in page and 'data-testid="wording-reset"' in page
    assert client.post(f"/elections/{election.id}/wording/notice_second/reset").status_code == 302
    assert session.scalar(select(func.count()).select_from(DocumentWording)) == 0


def test_preview_before_the_notice_exists_shows_placeholder_names(client, election, login_as):
    login_as("admin")
    page = client.get(f"/elections/{election.id}/wording/notice_first").get_data(as_text=True)
    assert "尚未生成这份公示" in page and "公示时间：〔公示期〕。" in page


@pytest.mark.parametrize("role", ["inspector", "discipline", "teller", "auditor", "delegate", "studio", "unit"])
def test_other_roles_get_403_and_see_no_link(client, session, election, login_as, role):
    login_as(role, **_role_kw(session, election, role))
    assert 'data-testid="wording-link"' not in client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert client.get(f"/elections/{election.id}/wording").status_code == 403
    assert client.get(f"/elections/{election.id}/wording/notice_second").status_code == 403
    assert client.post(f"/elections/{election.id}/wording/notice_second",
                       data={"body": EDITED, "save": "保存"}).status_code == 403
    assert client.post(f"/elections/{election.id}/wording/notice_second/reset").status_code == 403
    assert session.scalar(select(func.count()).select_from(DocumentWording)) == 0


def test_unknown_kind_and_election_are_404(client, election, login_as):
    login_as("office")
    assert client.get(f"/elections/{election.id}/wording/notice_third").status_code == 404
    assert client.get("/elections/999999/wording").status_code == 404
