"""Pages of 预备人选 and the ballot: permissions, Chinese messages, no 500s, query budgets."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from election.directory.models import ElectionUnit
from election.elections.services import MEETING_RULES
from election.nominations.models import Nominee
from election.voting import services as svc
from election.voting.models import BallotRound
from workflow.common.idcard import make_id
from workflow.tally.rules import Totals

NOW = datetime(2019, 4, 10, 2, 0)


@pytest.fixture
def election_with_candidates(session, make_election):
    def make(names=("王芳", "李娜", "张伟"), seats=2, stage="ballot", step="confirmed"):
        election = make_election(stage=stage, units=1, seats=seats, voters=10,
                                 settings={"meeting_rules": MEETING_RULES["地方组织"]})
        eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
        for i, name in enumerate(names):
            session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender="女",
                                ethnicity="汉族", birth_date=date(1980, 1, 1 + i),
                                id_number=make_id("110105", date(1980, 1, 1 + i), i, False), category="其他一线",
                                step=step))
        session.commit()
        return election

    return make


def _round(session, make_user, election, collected=10):
    office = make_user("office")
    return svc.open_round(session, office, election.id, svc.RoundInput(10, 10, collected, collected), NOW), office


def test_teller_entry_form_errors_shown_next_to_fields(client, login_as, session, make_user, election_with_candidates):
    election = election_with_candidates()
    rnd, _ = _round(session, make_user, election)
    login_as("teller")
    response = client.post(f"/voting/rounds/{rnd.id}/entry/1", data={"valid": "abc", "for-0": "-1", "write_in": "赵敏"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "有效票应为不小于0的整数" in body and "另选他人第1行应写作" in body
    response = client.post(f"/voting/rounds/{rnd.id}/entry/1", data={"valid": "8", "invalid": "1"})
    assert response.status_code == 422 and "不等于收回选票10张" in response.get_data(as_text=True)


def test_double_entry_pages_show_every_difference(client, auth, session, make_user, election_with_candidates):
    election = election_with_candidates()
    rnd, _ = _round(session, make_user, election)
    t1, t2 = make_user("teller"), make_user("teller")
    auth.login(t1.username)
    assert client.post(f"/voting/rounds/{rnd.id}/entry/1",
                       data={"valid": "10", "invalid": "0", "for-0": "9", "for-1": "7"}).status_code == 302
    auth.logout()
    auth.login(t2.username)
    assert client.post(f"/voting/rounds/{rnd.id}/entry/2",
                       data={"valid": "10", "invalid": "0", "for-0": "9", "for-1": "6", "write_in": "赵敏 1"}).status_code == 302
    page = client.get(f"/voting/rounds/{rnd.id}").get_data(as_text=True)
    assert "2处不同" in page and "李娜的赞成票" in page and "赵敏的另选他人票" in page
    assert "确认计票结果</button>" not in page
    client.post(f"/voting/rounds/{rnd.id}/confirm")
    assert session.get(BallotRound, rnd.id).status == "open"
    client.post(f"/voting/rounds/{rnd.id}/entry/2", data={"valid": "10", "invalid": "0", "for-0": "9", "for-1": "7"})
    page = client.get(f"/voting/rounds/{rnd.id}").get_data(as_text=True)
    assert "两次录入完全一致" in page and "确认计票结果</button>" in page
    # the confirmation asks first and says what happens (docs/manual/05-tellers.md)
    assert f'data-confirm="确定确认第{rnd.round_no}轮计票结果？两次录入一致的数字即成为本轮计票结果，确认后不能再修改' in page
    assert client.post(f"/voting/rounds/{rnd.id}/confirm").status_code == 302
    assert session.get(BallotRound, rnd.id).status == "confirmed"


def test_office_cannot_open_entry_form_teller_cannot_close(client, auth, session, make_user, election_with_candidates):
    election = election_with_candidates()
    rnd, office = _round(session, make_user, election)
    auth.login(office.username)
    assert client.get(f"/voting/rounds/{rnd.id}/entry/1").status_code == 403
    page = client.get(f"/voting/rounds/{rnd.id}").get_data(as_text=True)
    assert f'data-confirm="确定结束第{rnd.round_no}轮？系统将按选举办法计算本轮结果、确定当选人' in page
    auth.logout()
    teller = make_user("teller")
    auth.login(teller.username)
    assert client.post(f"/voting/rounds/{rnd.id}/close").status_code == 403
    assert client.post(f"/elections/{election.id}/voting/rounds", data={"eligible": "10"}).status_code == 403


def test_unit_user_cannot_see_voting_pages(client, login_as, make_unit, election_with_candidates):
    election = election_with_candidates()
    login_as("unit", unit_id=make_unit().id)
    assert client.get(f"/elections/{election.id}/voting").status_code == 403
    assert client.get(f"/elections/{election.id}/voting/results").status_code == 403


def test_meeting_page_quorum_check_and_bad_round_input(client, login_as, election_with_candidates):
    election = election_with_candidates()
    login_as("office")
    page = client.get(f"/elections/{election.id}/voting?eligible=10&present=5").get_data(as_text=True)
    assert "须至少6人到会" in page and "不足法定人数" in page
    page = client.get(f"/elections/{election.id}/voting?eligible=10&present=6").get_data(as_text=True)
    assert "符合法定人数" in page
    response = client.post(f"/elections/{election.id}/voting/rounds",
                           data={"eligible": "10", "present": "12", "ballots_issued": "10", "ballots_collected": "10",
                                 "count_mode": "totals"}, follow_redirects=True)
    assert response.status_code == 200 and "实到会人数（12）应在0到应到会人数（10）之间" in response.get_data(as_text=True)
    response = client.post(f"/elections/{election.id}/voting/rounds",
                           data={"eligible": "x", "count_mode": "totals"}, follow_redirects=True)
    assert response.status_code == 200 and "应到会人数" in response.get_data(as_text=True)


def test_round_without_quorum_is_void_and_shown(client, login_as, session, election_with_candidates):
    election = election_with_candidates()
    login_as("office")
    response = client.post(f"/elections/{election.id}/voting/rounds",
                           data={"eligible": "10", "present": "5", "ballots_issued": "5", "ballots_collected": "5",
                                 "count_mode": "totals"}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "不足法定人数" in body and "已结束" in body


def test_confirm_meeting_page_chooses_by_votes(client, login_as, session, election_with_candidates):
    election = election_with_candidates(names=("王芳", "李娜", "张伟", "陈静"), stage="confirm", step="preliminary")
    ids = {n.name: n.id for n in session.scalars(select(Nominee).where(Nominee.election_id == election.id))}
    login_as("office")
    data = {"body": "区委全委会", "held_on": "2019-03-30", "members": "45", "attendance": "40", "mode": "votes",
            "max_chosen": "3", f"votes-{ids['王芳']}": "30", f"votes-{ids['李娜']}": "25", f"votes-{ids['张伟']}": "20",
            f"votes-{ids['陈静']}": "22"}
    body = client.post(f"/elections/{election.id}/voting/confirm-meeting", data=data,
                       follow_redirects=True).get_data(as_text=True)
    assert "已确定预备人选3名" in body
    assert session.get(Nominee, ids["张伟"]).step == "preliminary"
    data[f"votes-{ids['王芳']}"] = "abc"
    body = client.post(f"/elections/{election.id}/voting/confirm-meeting", data=data,
                       follow_redirects=True).get_data(as_text=True)
    assert "得票应为不小于0的整数" in body


def test_results_page_stroke_order_and_query_budget(client, login_as, session, make_user, count_queries,
                                                    election_with_candidates):
    names = ("陈静", "张伟", "李娜", "王芳", "马力", "刘伟", "丁一", "于洋")
    election = election_with_candidates(names=names, seats=4)
    office, t1, t2 = make_user("office"), make_user("teller"), make_user("teller")
    rnd = svc.open_round(session, office, election.id, svc.RoundInput(10, 10, 10, 10), NOW)
    votes = {"陈静": 9, "张伟": 8, "李娜": 2, "王芳": 7, "马力": 1, "刘伟": 6, "丁一": 4, "于洋": 3}
    for n, t in ((1, t1), (2, t2)):
        svc.enter_totals(session, t, rnd.id, n, Totals(10, 0, votes), NOW)
    svc.confirm_count(session, t1, rnd.id, NOW)
    svc.close_round(session, office, rnd.id, NOW)
    svc.record_result(session, office, election.id, NOW)
    login_as("office")
    client.get(f"/elections/{election.id}/voting/results")  # warm-up
    with count_queries() as q:
        page = client.get(f"/elections/{election.id}/voting/results").get_data(as_text=True)
    assert q.count <= 8, q.statements  # election, rounds, plans, result, user, notices
    assert "王芳、刘伟、张伟、陈静" in page  # 王4 刘6 张7 陈7(横折…) in 姓氏笔画 order
    for kind in ("result-report", "elected-roster", "elected-roster-xlsx", "elected-forms", "elected-forms-xlsx"):
        response = client.get(f"/elections/{election.id}/voting/documents/{kind}")
        assert response.status_code == 200 and len(response.data) > 1000, kind
    assert client.get(f"/voting/rounds/{rnd.id}/ballot.docx").status_code == 200
    assert client.get(f"/elections/{election.id}/voting/documents/nope").status_code == 404


def test_documents_before_result_are_a_message(client, login_as, election_with_candidates):
    election = election_with_candidates()
    login_as("office")
    response = client.get(f"/elections/{election.id}/voting/documents/elected-roster", follow_redirects=True)
    assert response.status_code == 200 and "尚未录入选举结果" in response.get_data(as_text=True)


def test_candidates_page_renders_for_reader(client, login_as, election_with_candidates):
    election = election_with_candidates(stage="confirm")
    login_as("auditor")
    page = client.get(f"/elections/{election.id}/voting/candidates").get_data(as_text=True)
    assert "全委会圈选" in page and "保存圈选结果" not in page and "王芳" in page
