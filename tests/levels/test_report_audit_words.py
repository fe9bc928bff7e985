"""A package's audit entry reads in the clerk's words: its kind by its Chinese name (初步人选/预备人选/选举结果),
recorded under its own key so the decisions' 类型 labels stay those of the recorded decisions."""
from __future__ import annotations

from sqlalchemy import select

from election.audit.display import describe_changes
from election.audit.labels import VALUE_LABELS
from election.audit.models import AuditEntry
from election.levels.services import reports as svc
from election.levels.services.reports_kinds import KINDS
from tests.levels.conftest import NOW


def test_package_kind_labels_follow_the_kinds():
    assert VALUE_LABELS["package_kind"] == {k: spec.label for k, spec in KINDS.items()}


def test_the_submit_entry_names_the_package_kind_in_chinese(session, levels_world):
    w = levels_world
    svc.submit_report(session, w.office, w.preliminary.id, "consent", "请审定", "区委组〔2026〕3号", NOW)
    entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "levels.report.submit")))
    assert len(entries) == 2
    for entry in entries:
        lines = describe_changes(entry.before, entry.after)
        assert "报送类型：初步人选" in lines
        assert not any("consent" in line for line in lines)
