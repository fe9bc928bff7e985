"""Accessibility: axe-core (bundled by axe-playwright-python, no network) on the main pages of each role,
with the demo data. No serious or critical violation: labels, names, contrast, page titles, landmarks."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

# (user, pages): the pages each role uses most; the unit page is the demo unit's own list
PAGES = {
    None: ["/login", "/help/"],
    "office": ["/", "/elections/", "/elections/1", "/elections/1/nominations", "/elections/1/timeline",
               "/elections/1/allocations", "/elections/new", "/vetting/1", "/elections/1/voting/results",
               "/tasks/", "/notifications", "/account/tokens", "/print/elections/1/people",
               "/duties/rankings", "/duties/delegates", "/duties/petitions", "/duties/proposals", "/duties/review",
               "/duties/verify", "/duties/activities/new", "/duties/rankings/print", "/duties/delegates/print",
               "/assembly/", "/assembly/sessions/2", "/assembly/sessions/2/attendance", "/assembly/sessions/1/groups",
               "/assembly/sessions/2/proposals", "/assembly/sessions/1/appraisals", "/assembly/appraisals/1",
               "/assembly/appraisals/2", "/assembly/sessions/1/resolutions", "/assembly/followups", "/assembly/sitins",
               "/assembly/inquiries"],
    "unit03": ["/", "/units/3", "/units/3/nominees/new", "/units/3/print"],
    "delegate": ["/", "/duties/me", "/duties/activities/new", "/duties/proposals", "/assembly/", "/assembly/sessions/2",
                 "/assembly/sessions/2/proposals", "/assembly/appraisals/1"],
    "admin": ["/admin/users", "/admin/audit", "/admin/holidays", "/duties/rules"],
}
SEVERE = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _check(page, axe, url: str) -> list[str]:
    page.goto(url)
    assert page.title().strip(" -"), f"{url}: 页面没有标题"
    results = axe.run(page)
    return [f"{url}: {v['id']}（{v['impact']}）{v['help']} → " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"] if v.get("impact") in SEVERE]


@pytest.mark.parametrize("user", list(PAGES), ids=lambda u: u or "anonymous")
def test_main_pages_have_no_serious_axe_violations(page, login, live_server, axe, user):
    if user:
        login(user)
    problems = [p for path in PAGES[user] for p in _check(page, axe, live_server + path)]
    assert not problems, "\n".join(problems)
