"""Chinese stage labels for display, taken from workflow.stages once it exists."""
from __future__ import annotations

_FALLBACK = {
    "plan": "制定工作方案", "deploy": "工作部署", "nominate": "推荐提名", "shortlist": "确定考察对象",
    "vet": "考察并第一次公示", "preliminary": "确定初步人选并第二次公示", "confirm": "确定预备人选",
    "ballot": "差额选举", "report": "结果上报", "completed": "已完成", "aborted": "已中止",
}


def stage_label(value: str) -> str:
    try:
        from workflow.stages import Stage

        return Stage(value).label
    except (ImportError, ValueError):
        return _FALLBACK.get(value, value)
