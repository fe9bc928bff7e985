"""Quota compliance in the browser: the quota counters follow the office's ticks without a page reload."""
from __future__ import annotations

from datetime import date, datetime

from playwright.sync_api import expect
from sqlalchemy import select

from election.core.db import db, transaction
from election.directory.models import ElectionUnit, Organisation, Unit
from election.elections.models import Election
from election.nominations.models import Nominee
from workflow.common.idcard import make_id

RULES = [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 2},
         {"code": "leaders", "label": "领导干部", "where": {"category_in": ["领导干部"]}, "max": 1}]
PEOPLE = [("王芳", "女", "工人"), ("李娜", "女", "专业技术人员"), ("张伟", "男", "局级领导干部"),
          ("刘强", "男", "处级领导干部"), ("陈静", "女", "其他一线")]


def test_counters_follow_the_ticks(login, page, live_server, live_app, screenshot):
    with live_app.app_context():
        s = db.session
        with transaction(s):
            unit = s.scalar(select(Unit).order_by(Unit.code))
            election = Election(title="结构比例即时核算测试", seats=3, stage="shortlist", quota_rules=RULES,
                                age_reference_date=date(2019, 4, 10))
            s.add(election)
            # the demo office works in the district's part of the directory (seeds/levels_demo.py)
            election.organisation_id = s.scalar(select(Organisation.id).where(Organisation.code == "QW"))
            s.flush()
            eu = ElectionUnit(election_id=election.id, unit_id=unit.id, quota=3, report_count=5, status="submitted",
                              submitted_at=datetime(2019, 2, 19))
            s.add(eu)
            s.flush()
            for i, (name, gender, category) in enumerate(PEOPLE):
                born = date(1975, 5, 1 + i)
                s.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender=gender,
                              ethnicity="汉族", id_number=make_id("110105", born, 300 + i, gender == "男"),
                              birth_date=born, category=category))
        election_id = election.id
    login("office")
    page.goto(f"{live_server}/vetting/{election_id}/shortlist")
    panel = page.get_by_test_id("live-panel")
    counters = page.get_by_test_id("counters")
    expect(panel.get_by_test_id("quota-count")).to_have_text("0")
    expect(counters.get_by_test_id("selected-count")).to_have_text("0")
    url_before = page.url
    page.get_by_label("选择王芳").check()
    expect(panel.get_by_test_id("quota-count")).to_have_text("1")
    expect(counters.get_by_test_id("selected-count")).to_have_text("1")  # 当前勾选 follows the ticks too
    expect(counters).to_contain_text("女性：1名")
    page.get_by_label("选择张伟").check()
    page.get_by_label("选择刘强").check()
    expect(panel.get_by_test_id("quota-count")).to_have_text("3")
    expect(panel.locator("tr[data-rule='leaders']")).to_contain_text("不符合")
    page.get_by_label("选择刘强").uncheck()
    page.get_by_label("选择李娜").check()
    expect(panel.get_by_test_id("quota-count")).to_have_text("3")
    expect(panel.locator("tr[data-rule='leaders']")).not_to_contain_text("不符合")
    expect(panel.locator("tr[data-rule='women']")).not_to_contain_text("不符合")
    expect(counters.get_by_test_id("selected-count")).to_have_text("3")
    # each count once: the rule 女性 stands for the plain 女, the rule 领导干部 for the category 领导干部
    items = counters.locator("li").all_inner_texts()
    labels = [item.split("：")[0] for item in items]
    assert len(labels) == len(set(labels)) and "女" not in labels and labels.count("领导干部") == 1, items
    assert page.url == url_before  # no navigation happened
    screenshot("quota-live-panel")
