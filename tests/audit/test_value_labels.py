"""Coded values in the audit log read as the clerk's words, the same words as the enums the use cases record."""
from __future__ import annotations

from election.audit.display import describe_changes
from election.audit.labels import VALUE_LABELS
from election.elections.services import DECISION_KINDS
from election.vetting.services.enums import Channel, ComplaintConclusion, Conclusion


def test_value_labels_follow_the_enums_they_show():
    assert VALUE_LABELS["kind"] == DECISION_KINDS
    assert VALUE_LABELS["channel"] == {c.value: c.label for c in Channel}
    assert VALUE_LABELS["conclusion"] == {**{c.value: c.label for c in Conclusion},
                                          **{c.value: c.label for c in ComplaintConclusion}}


def test_a_recorded_code_is_shown_by_its_label_and_an_unknown_one_as_it_is():
    assert describe_changes(None, {"channel": "letter", "kind": "shortlist", "duty": "counter"}) == [
        "来源渠道：来信", "类型：确定考察对象的会议", "职责：计票人"]
    assert describe_changes(None, {"kind": "其他"}) == ["类型：其他"]
