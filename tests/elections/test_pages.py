from __future__ import annotations

from datetime import date

from sqlalchemy import select

from election.directory.models import ElectionUnit
from election.elections.models import Election, StageDue


def _create(client, **over):
    data = {"title": "网页新建选举", "level": "区", "seats": "16", "higher_nominated_seats": "0", "preset": "地方组织",
            "margin_unit_list": "50%", "margin_final_ballot": "20%", "quorum": "1/2", "quorum_strict": "y",
            "majority_base": "eligible", "categories": "基层一线：先进模范人物、专业技术人员、其他一线\n领导干部：局级领导干部、处级领导干部",
            "rules-0-code": "women", "rules-0-rule_label": "女性", "rules-0-kind": "gender", "rules-0-value": "女",
            "rules-0-min": "7", "rules-1-code": "front", "rules-1-rule_label": "基层一线", "rules-1-kind": "category_in",
            "rules-1-value": "基层一线", "rules-1-min_share": "1/3"}
    for i in range(2, 10):
        data[f"rules-{i}-kind"] = ""
    data.update(over)
    return client.post("/elections/new", data=data)


def test_office_creates_election_through_the_form(client, login_as, session):
    login_as("office")
    response = _create(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    election = session.scalar(select(Election).where(Election.title == "网页新建选举"))
    assert election.stage == "plan" and election.seats == 16
    assert election.quota_rules[1] == {"code": "front", "label": "基层一线", "where": {"category_in": ["基层一线"]},
                                       "min_share": "1/3"}
    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert "制定工作方案" in page and "还需完成" in page


def test_bad_setup_shows_chinese_errors_and_keeps_input(client, login_as):
    login_as("office")
    response = _create(client, seats="0", title="保留我的输入")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "应选名额应为正整数" in body and "保留我的输入" in body


def test_bad_quota_rule_is_a_message_not_a_500(client, login_as):
    login_as("office")
    body = _create(client, **{"rules-0-min": "", "rules-0-min_share": "abc"}).get_data(as_text=True)
    assert "结构要求" in body


def test_detail_lists_blockers_and_advance_button_agrees(client, login_as, make_election, session):
    login_as("office")
    election = make_election(stage="nominate", units=2)
    for stage, due in {"nominate": date(2099, 2, 21)}.items():
        session.add(StageDue(election_id=election.id, stage=stage, due_date=due))
    session.flush()
    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert 'data-code="nominate.unit_not_submitted"' in page and "进入“确定考察对象”阶段</button>" not in page
    eus = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)).all()
    for eu in eus:
        assert client.post(f"/elections/{election.id}/units/{eu.id}/exempt", data={"reason": "无推荐任务"}).status_code == 302
    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert "nominate.unit_not_submitted" not in page and "进入“确定考察对象”阶段</button>" in page
    response = client.post(f"/elections/{election.id}/advance", data={"version": str(election.version)})
    assert response.status_code == 302
    session.refresh(election)
    assert election.stage == "shortlist"


def test_stale_advance_form_gets_chinese_conflict(client, login_as, make_election, session):
    login_as("office")
    election = make_election(stage="plan", units=1)
    response = client.post(f"/elections/{election.id}/advance", data={"version": str(election.version - 1)})
    assert response.status_code == 409 and "已被他人推进" in response.get_data(as_text=True)


def test_return_requires_reason_in_the_page(client, login_as, make_election, session):
    login_as("office")
    election = make_election(stage="nominate", units=1)
    client.post(f"/elections/{election.id}/return", data={"version": str(election.version), "target": "plan",
                                                          "reason": ""})
    session.refresh(election)
    assert election.stage == "nominate"
    client.post(f"/elections/{election.id}/return", data={"version": str(election.version), "target": "deploy",
                                                          "reason": "补充推荐单位账号"})
    session.refresh(election)
    assert election.stage == "deploy"


def test_readers_see_detail_but_cannot_move(client, login_as, make_election):
    login_as("auditor")
    election = make_election(stage="plan", units=1)
    assert client.get(f"/elections/{election.id}").status_code == 200
    assert client.post(f"/elections/{election.id}/advance", data={"version": "1"}).status_code == 403


def test_timeline_page_and_holidays(client, login_as, make_election):
    login_as("admin")
    election = make_election(stage="plan", units=1)
    response = client.post(f"/elections/{election.id}/timeline", data={"plan": "2027-02-08", "deploy": "2027-02-10"})
    assert response.status_code == 302
    page = client.get(f"/elections/{election.id}/timeline").get_data(as_text=True)
    assert "2027年2月8日" in page
    response = client.post("/admin/holidays", data={"year": "2027", "holidays": "2027-10-01至2027-10-07",
                                                    "workdays": "2027-09-26"})
    assert response.status_code == 302
    assert "2027-10-07" in client.get("/admin/holidays").get_data(as_text=True)
    bad = client.post("/admin/holidays", data={"year": "2027", "holidays": "2027-13-01", "workdays": ""})
    assert "不是有效日期" in bad.get_data(as_text=True)


def test_timeline_page_tells_the_office_when_the_age_reference_moves(client, login_as, make_election, session):
    login_as("office")
    election = make_election(stage="nominate", units=1, age_reference_date=None)
    session.add(StageDue(election_id=election.id, stage="ballot", due_date=date(2027, 2, 26)))
    session.flush()
    response = client.post(f"/elections/{election.id}/timeline", data={"ballot": "2027-03-05"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "时间安排已保存" in page and "年龄计算基准日随选举日改为2027年3月5日，年龄将按新日期计算" in page
    response = client.post(f"/elections/{election.id}/timeline", data={"ballot": "2027-03-05", "report": "2027-03-10"},
                           follow_redirects=True)
    assert "年龄计算基准日随选举日" not in response.get_data(as_text=True)  # the election day did not move

    fixed = make_election(stage="nominate", units=1)  # its own 年龄计算基准日 (2019-04-10)
    response = client.post(f"/elections/{fixed.id}/timeline", data={"ballot": "2027-03-05"}, follow_redirects=True)
    assert "时间安排已保存" in response.get_data(as_text=True)
    assert "年龄计算基准日随选举日" not in response.get_data(as_text=True)


def test_detail_page_query_budget_does_not_grow_with_units(client, login_as, make_election, count_queries):
    login_as("office")
    small = make_election(stage="nominate", units=2)
    big = make_election(stage="nominate", units=12)
    with count_queries() as a:
        client.get(f"/elections/{small.id}")
    with count_queries() as b:
        client.get(f"/elections/{big.id}")
    assert a.count == b.count


def test_choosing_the_grassroots_preset_brings_its_meeting_rules(client, login_as, session):
    login_as("office")
    assert _create(client, title="基层预设选举", preset="基层组织").status_code == 302
    election = session.scalar(select(Election).where(Election.title == "基层预设选举"))
    assert election.settings["meeting_rules"] == {"quorum": "4/5", "quorum_strict": False, "majority_base": "present"}


def test_edited_meeting_rules_are_kept(client, login_as, session):
    login_as("office")
    assert _create(client, title="自定规则选举", preset="基层组织", quorum="2/3").status_code == 302
    election = session.scalar(select(Election).where(Election.title == "自定规则选举"))
    assert election.settings["meeting_rules"]["quorum"] == "2/3"
