"""Chinese stage labels for display."""
from __future__ import annotations

from workflow.pipeline.stages import Stage


def stage_label(value: str) -> str:
    try:
        return Stage(value).label
    except ValueError:
        return value
