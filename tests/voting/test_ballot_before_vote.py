"""The ballot before the vote: once the 预备人选 are final (差额选举) the first round's paper downloads from the
预备人选 and 选举大会 pages, before any round is opened — the same paper the first round will use, labelled 正式选举,
with the 总监票人 / 监票人 signature places and the 印章 box, and a title that says 选举 once."""
from __future__ import annotations

import io

from docx import Document

from election.core.exceptions import ServiceError
from election.voting import services as svc
from tests.voting.test_services import NAMES, _open, ballot_election, office, tellers  # noqa: F401  (fixtures)
from workflow.common.titles import doubled_words


def texts(data: bytes) -> tuple[list[str], str]:
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    return paragraphs, cells


def test_the_first_ballot_before_any_round_is_the_first_rounds_paper(session, office, ballot_election):  # noqa: F811
    election = ballot_election(seats=2, title="出席区第十次党代会代表选举")
    before = svc.first_ballot_docx(session, election.id)
    paragraphs, cells = texts(before)
    assert paragraphs[0] == "出席区第十次党代会代表选举选票" and not doubled_words(paragraphs[0])
    assert paragraphs[1] == "正式选举"
    assert cells.index("王芳") < cells.index("李娜") < cells.index("张伟")  # 姓氏笔画
    assert "总监票人（签名）：" in cells and "监票人（签名）：" in cells and "（大会印章）" in cells
    assert any("应选2名" in p for p in paragraphs) and any("候选人3名" in p for p in paragraphs)
    rnd = _open(session, office, election)
    assert texts(svc.ballot_docx(session, rnd.id)) == texts(before)
    assert texts(svc.first_ballot_docx(session, election.id)) == texts(before)  # after opening: round 1's own


def test_a_title_without_选举_keeps_it_once(session, ballot_election):  # noqa: F811
    election = ballot_election(seats=2, title="出席区第十次党代会代表")
    paragraphs, _ = texts(svc.first_ballot_docx(session, election.id))
    assert paragraphs[0] == "出席区第十次党代会代表选举选票"


def test_not_before_the_list_is_final(session, ballot_election):  # noqa: F811
    election = ballot_election(stage="confirm")
    try:
        svc.first_ballot_docx(session, election.id)
    except ServiceError as exc:
        assert "差额选举" in exc.message
    else:
        raise AssertionError("a ballot before the 预备人选 are final")


def test_pages_offer_the_ballot_before_the_first_round(client, login_as, ballot_election):  # noqa: F811
    election = ballot_election(seats=2)
    login_as("teller")
    for page in (f"/elections/{election.id}/voting", f"/elections/{election.id}/voting/candidates"):
        html = client.get(page).get_data(as_text=True)
        assert f"/elections/{election.id}/voting/documents/ballot" in html, page
    response = client.get(f"/elections/{election.id}/voting/documents/ballot")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert "选票" in response.headers["Content-Disposition"] or "filename*" in response.headers["Content-Disposition"]


def test_pages_do_not_offer_it_while_the_list_may_change(client, login_as, ballot_election):  # noqa: F811
    election = ballot_election(stage="confirm")
    login_as("office")
    html = client.get(f"/elections/{election.id}/voting/candidates").get_data(as_text=True)
    assert "voting/documents/ballot" not in html
    refused = client.get(f"/elections/{election.id}/voting/documents/ballot")
    assert refused.status_code == 302  # back with the reason flashed, no file
