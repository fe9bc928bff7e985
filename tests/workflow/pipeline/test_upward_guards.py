"""The stage guards of an election whose upper committee decides in the system: the consent, the 批复 and the
receipt of the result come from its packages, in the levels' words (docs/rules.md §8.2)."""
from __future__ import annotations

from datetime import date

import pytest

from workflow.pipeline.facts import ElectionFacts, PackageFacts
from workflow.pipeline.guards import check_approval, check_higher_consent, check_result_reported
from workflow.pipeline.stages import Stage
from workflow.pipeline.transitions import check_transition

TODAY = date(2026, 3, 16)


def facts(stage: Stage = Stage.preliminary, **kw) -> ElectionFacts:
    return ElectionFacts(election_id=1, title="区出席市党代会代表选举", stage=stage, today=TODAY, seats=16, **kw)


def codes(blockers) -> list[str]:
    return [b.code for b in blockers]


@pytest.mark.parametrize(("guard", "kind", "status", "code", "words"), [
    (check_higher_consent, "consent", "", "preliminary.consent_not_submitted", "初步人选未报送上级组织部门"),
    (check_higher_consent, "consent", "submitted", "preliminary.consent_waiting", "等待上级组织部门同意"),
    (check_approval, "approval", "", "confirm.approval_not_submitted", "预备人选未报送上级组织部门"),
    (check_approval, "approval", "submitted", "confirm.approval_waiting", "等待上级组织部门初步审查"),
    (check_approval, "approval", "reviewed", "confirm.approval_waiting", "等待上级组织部门批复"),
    (check_result_reported, "result", "", "report.result_not_submitted", "选举结果未报送上级组织部门"),
    (check_result_reported, "result", "submitted", "report.result_waiting", "等待上级组织部门收到"),
])
def test_package_guard_says_what_is_missing_in_the_levels_terms(guard, kind, status, code, words):
    packages = {kind: PackageFacts(status)} if status else {}
    found = guard(facts(upper_on_system=True, packages=packages))
    assert codes(found) == [code] and words in found[0].message and found[0].source


@pytest.mark.parametrize(("guard", "kind"), [(check_higher_consent, "consent"), (check_approval, "approval"),
                                            (check_result_reported, "result")])
def test_package_guard_passes_once_approved_and_names_a_return_reason(guard, kind):
    assert guard(facts(upper_on_system=True, packages={kind: PackageFacts("approved")})) == []
    returned = guard(facts(upper_on_system=True, packages={kind: PackageFacts("returned", "结构不符合要求")}))
    assert codes(returned)[0].endswith(f"{kind}_returned") and "已被上级组织部门退回：结构不符合要求" in returned[0].message


def test_hand_typed_records_do_not_pass_a_child_election():
    # the district's own records (typed by hand) count only where the upper committee is not on the system
    hand = facts(higher_consent_recorded=True, approval_recorded=True, result_reported=True)
    assert check_higher_consent(hand) == check_approval(hand) == check_result_reported(hand) == []
    child = facts(upper_on_system=True, higher_consent_recorded=True, approval_recorded=True, result_reported=True)
    assert codes(check_higher_consent(child)) == ["preliminary.consent_not_submitted"]
    assert codes(check_approval(child)) == ["confirm.approval_not_submitted"]
    assert codes(check_result_reported(child)) == ["report.result_not_submitted"]


def test_another_kind_approved_does_not_open_this_step():
    child = facts(upper_on_system=True, packages={"consent": PackageFacts("approved")})
    assert codes(check_approval(child)) == ["confirm.approval_not_submitted"]


def test_report_to_completed_waits_for_the_receipt():
    waiting = check_transition(facts(Stage.report, upper_on_system=True, result_reported=True,
                                     packages={"result": PackageFacts("submitted")}))
    assert not waiting.allowed and codes(waiting.blockers) == ["report.result_waiting"]
    received = check_transition(facts(Stage.report, upper_on_system=True, packages={"result": PackageFacts("approved")}))
    assert received.allowed and received.target is Stage.completed
