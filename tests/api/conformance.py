"""A success answer checked against the schema the API document declares for its operation (the schemathesis run
in test_schema.py reaches few successful writes on the demo data, so the area tests check theirs)."""
from __future__ import annotations

from election.api import REGISTRY, check_schema, resolve


def conforms(response, operation_id: str) -> None:
    (ep,) = [e for e in REGISTRY if e.operation_id == operation_id]
    problems = check_schema(resolve(ep.response), response.get_json())
    assert problems == [], f"{operation_id} 的返回与接口文档不符：{problems}"
