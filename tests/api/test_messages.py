"""The API's schema messages name a field as the clerk's forms do — its Chinese name — and then the JSON key the
caller sent, so an integrator finds the key and a clerk reading a relayed error understands it."""
from __future__ import annotations

from election.api import S, I, arr, check_schema, obj

SCHEMA = obj({
    "doc_number": S("文号 / 纪要号", minLength=1, maxLength=8),
    "conclusion": S("考察结论：passed = 通过，unfit = 不宜", enum=["passed", "unfit"]),
    "items": arr(obj({"nominee_id": I("人选编号（推荐人选的 nominee_id）", minimum=1)}, required=["nominee_id"]),
                 "人选"),
    "plain": I(),
}, required=["doc_number"])


def messages(value) -> dict[str, str]:
    return {p["field"]: p["message"] for p in check_schema(SCHEMA, value)}


def test_blank_and_too_long_name_the_chinese_label_then_the_key():
    assert messages({"doc_number": "  "}) == {"doc_number": "请填写文号 / 纪要号（doc_number）"}
    assert messages({"doc_number": "123456789"}) == {"doc_number": "文号 / 纪要号（doc_number）不能超过8个字"}


def test_the_label_stops_before_an_explanation():
    assert messages({"doc_number": "1", "conclusion": "maybe"}) == {
        "conclusion": "考察结论（conclusion）只能是：passed、unfit"}


def test_items_are_named_by_position_and_missing_keys_by_their_label():
    assert messages({"doc_number": "1", "items": [{"nominee_id": 0}, {}]}) == {
        "items[0].nominee_id": "人选编号（items[0].nominee_id）不能小于1",
        "items[1].nominee_id": "缺少人选编号（items[1].nominee_id）"}
    assert messages({}) == {"doc_number": "缺少文号 / 纪要号（doc_number）"}


def test_a_field_without_a_chinese_name_is_named_by_its_key():
    assert messages({"doc_number": "1", "plain": "x"}) == {"plain": "字段“plain”应为整数"}
    assert check_schema(SCHEMA, [])[0]["message"] == "请求体应为对象"
