"""The session's 提案 page, its forms and its 汇总表 (docs/rules.md §7), and the same use cases over the API: counts by
state, review forms only for the 组织部, the submit form only while the window is open, the proposal's session and
state on its own page; the API's list, submit and review; the page's cost at two sizes."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from election.core.clock import today_local
from election.duties.models import Proposal
from tests.fixtures.costs import cost


def _proposal(session, world, n: int, **kw) -> Proposal:
    p = Proposal(lead_delegate_id=world.delegates[n % 12].id, title=kw.pop("title", f"第{n}号提案"), grounds="案据",
                 solution="方案", submitted_on=today_local(), session_id=world.session.id,
                 filing=kw.pop("filing", "pending"), **kw)
    session.add(p)
    return p


def _page(client, world, query=""):
    return client.get(f"/assembly/sessions/{world.session.id}/proposals{query}")


def test_page_counts_states_and_shows_review_forms_to_managers_only(client, auth, session, assembly_world):
    w = assembly_world
    today = today_local()
    _proposal(session, w, 1, title="待审的提案")
    _proposal(session, w, 2, filing="filed", handling_unit="区住建局", reply_due_on=today - timedelta(days=1))
    _proposal(session, w, 3, filing="not_filed", filing_reason="不属于职责")
    _proposal(session, w, 4, filing="suggestion", handling_unit="区民政局", reply_due_on=today, filing_reason="建议",
              reply="已办理", replied_on=today, assessment="satisfied")
    session.commit()
    auth.login(w.office.username)
    html = _page(client, w).get_data(as_text=True)
    assert 'data-testid="count-pending">待审查 1' in html and 'data-testid="count-overdue">逾期未答复 1' in html
    assert 'data-testid="count-replied">已答复 1' in html and "基本满意" in html and "不属于职责" in html
    assert html.count('data-testid="review-form"') == 3  # not the replied one
    assert html.count('data-testid="overdue"') == 1
    only = _page(client, w, "?state=overdue").get_data(as_text=True)
    assert "第2号提案" in only and "待审的提案" not in only
    auth.logout()
    auth.login(w.teller.username)
    html = _page(client, w).get_data(as_text=True)
    assert "待审的提案" in html and 'data-testid="review-form"' not in html and "submit-proposal" not in html
    assert client.post(f"/assembly/sessions/{w.session.id}/proposals/review", data={}).status_code == 403


def test_other_district_gets_404(client, auth, assembly_world):
    auth.login(assembly_world.other_office.username)
    assert _page(client, assembly_world).status_code == 404
    assert client.get(f"/assembly/sessions/{assembly_world.session.id}/proposals/print").status_code == 404


def test_delegate_submits_in_the_window_and_manager_files_it(client, auth, session, assembly_world):
    w = assembly_world
    today = today_local()
    w.session.proposals_open_on, w.session.proposals_close_on = today, today
    session.commit()
    auth.login(w.delegate_user.username)
    assert "submit-proposal" in _page(client, w).get_data(as_text=True)
    r = client.post(f"/assembly/sessions/{w.session.id}/proposals",
                    data={"kind": "proposal", "lead_delegate_id": w.delegates[0].id,
                          "cosigner_ids": [w.delegates[1].id], "title": "关于增设公交线路的提案", "grounds": "出行难",
                          "solution": "增设线路"}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "提案已提交，等待立案审查" in html and "关于增设公交线路的提案" in html and "李娜" in html
    p = session.scalar(select(Proposal).where(Proposal.title == "关于增设公交线路的提案"))
    assert (p.session_id, p.filing) == (w.session.id, "pending")
    auth.logout()
    auth.login(w.office.username)
    r = client.post(f"/assembly/sessions/{w.session.id}/proposals/review",
                    data={"proposal_id": p.id, "expected": "pending", "decision": "filed", "handling_unit": "区交通局",
                          "reply_due_on": (today + timedelta(days=30)).isoformat()}, follow_redirects=True)
    assert "已立案" in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Proposal, p.id).filing == "filed"
    # the same again from the stale page: a Chinese refusal, not a second decision
    r = client.post(f"/assembly/sessions/{w.session.id}/proposals/review",
                    data={"proposal_id": p.id, "expected": "pending", "decision": "not_filed", "reason": "重复"},
                    follow_redirects=True)
    assert "已由他人改为“立案”" in r.get_data(as_text=True)
    # the proposal's own page says which session and what state
    html = client.get(f"/duties/proposals/{p.id}").get_data(as_text=True)
    assert w.session.title in html and "立案" in html
    printed = client.get(f"/assembly/sessions/{w.session.id}/proposals/print").get_data(as_text=True)
    assert "提案汇总表" in printed and "<thead>" in printed and "区交通局" in printed


def test_closed_window_hides_the_form_and_refuses_the_post(client, auth, session, assembly_world):
    w = assembly_world
    today = today_local()
    w.session.proposals_open_on = w.session.proposals_close_on = today - timedelta(days=1)
    session.commit()
    auth.login(w.delegate_user.username)
    html = _page(client, w).get_data(as_text=True)
    assert "submit-proposal" not in html and "不在征集期内" in html
    r = client.post(f"/assembly/sessions/{w.session.id}/proposals",
                    data={"kind": "proposal", "title": "迟到的提案", "grounds": "g", "solution": "s"},
                    follow_redirects=True)
    assert "不在征集期内" in r.get_data(as_text=True)
    assert session.scalar(select(Proposal).where(Proposal.title == "迟到的提案")) is None


# ------------------------------------------------------------------------------------------------ the API
def test_api_submit_review_list(client, session, assembly_world, token_for):
    w = assembly_world
    from election.api import credentials as api_tokens
    from election.core.clock import utcnow

    headers = {"Authorization": "Bearer " + api_tokens.create_token(session, w.office, "测试", 30, utcnow()).secret}
    base = f"/api/v1/assembly/sessions/{w.session.id}/proposals"
    r = client.post(base, json={"lead_delegate_id": w.delegates[2].id, "title": "关于社区养老的提案", "grounds": "g",
                                "solution": "s", "cosigner_ids": [w.delegates[3].id]}, headers=headers)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert (body["filing"], body["no"], body["cosigners"]) == ("pending", 1, ["陈静"])
    due = (today_local() + timedelta(days=20)).isoformat()
    r = client.post(base + "/review", json={"proposal_id": body["id"], "decision": "filed"}, headers=headers)
    assert r.status_code == 422 and "承办单位" in r.get_json()["error"]["message"]
    r = client.post(base + "/review", json={"proposal_id": body["id"], "decision": "suggestion", "reason": "建议办理",
                                            "handling_unit": "区民政局", "reply_due_on": due}, headers=headers)
    assert r.status_code == 200 and r.get_json()["filing_label"] == "转为建议"
    r = client.post(base + "/review", json={"proposal_id": body["id"], "decision": "filed", "handling_unit": "区民政局",
                                            "reply_due_on": due}, headers=headers)
    assert r.status_code == 409
    listed = client.get(base + "?state=suggestion", headers=headers).get_json()
    assert [p["id"] for p in listed] == [body["id"]]
    assert client.get(base + "?state=pending", headers=headers).get_json() == []
    _, other = token_for("office", organisation_id=w.other_district.id)
    assert client.get(base, headers=other).status_code == 404
    _, teller = token_for("teller")
    assert client.post(base + "/review", json={"proposal_id": body["id"], "decision": "not_filed", "reason": "x"},
                       headers=teller).status_code == 403


# ------------------------------------------------------------------------------------------------ cost
def test_page_costs_the_same_at_two_sizes(client, auth, session, assembly_world, count_queries):
    from election.duties.models import ProposalCosigner

    w = assembly_world
    sid, leads, cosigner = w.session.id, [d.id for d in w.delegates], w.delegates[11].id  # ids: cost() expunges
    username = w.office.username
    statements = []
    for size in (3, 30):
        made = [Proposal(lead_delegate_id=leads[n % 11], title=f"第{n}号提案", grounds="案据", solution="方案",
                         submitted_on=today_local(), session_id=sid, filing="filed" if n % 2 else "pending",
                         handling_unit="区住建局", reply_due_on=today_local()) for n in range(size)]
        session.add_all(made)
        session.flush()
        session.add_all([ProposalCosigner(proposal_id=p.id, delegate_id=cosigner) for p in made])
        session.commit()
        auth.login(username)
        client.get(f"/assembly/sessions/{sid}/proposals")  # the first page after logging in reads a little more
        page = cost(count_queries, lambda: client.get(f"/assembly/sessions/{sid}/proposals"), 200, "page")
        printed = cost(count_queries, lambda: client.get(f"/assembly/sessions/{sid}/proposals/print"), 200, "print")
        statements.append((page[0], printed[0]))
    assert statements[0] == statements[1], statements
    assert statements[1][0] <= 12 and statements[1][1] <= 12, statements
