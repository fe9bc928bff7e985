"""Forms of 预备人选 and the ballot. Per-candidate figures are read with ``parse_*`` helpers that
return the value and a dict of Chinese errors keyed by field name, shown next to each field."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from election.core.forms import Form
from workflow.tally.rules import Totals

COUNT = [InputRequired("请填写"), NumberRange(min=0, message="不能为负数")]


class ConfirmMeetingForm(Form):
    body = StringField("会议", default="全委会", validators=[DataRequired("请填写会议名称"), Length(max=128)])
    held_on = DateField("会议日期", validators=[InputRequired("请填写会议日期")])
    members = IntegerField("应到会委员", validators=[InputRequired("请填写"), NumberRange(min=1, message="应为正整数")])
    attendance = IntegerField("实到会委员", validators=[InputRequired("请填写"), NumberRange(min=1, message="应为正整数")])
    mode = SelectField("录入方式", choices=[("list", "圈选名单（勾选确定的人）"), ("votes", "逐人得票（按规则确定）")])
    max_chosen = IntegerField("预备人选人数上限（逐人得票时必填）", validators=[Optional(), NumberRange(min=1)])


class ApprovalForm(Form):
    """Struck people come as ``strike-<id>`` = reason (blank = approved)."""


class HigherNomineeForm(Form):
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=64)])
    gender = SelectField("性别", choices=[("男", "男"), ("女", "女")])
    ethnicity = StringField("民族", default="汉族", validators=[Optional(), Length(max=16)])
    birth_date = DateField("出生日期", validators=[InputRequired("请填写出生日期")])
    category = SelectField("身份类别", choices=[], validate_choice=False)  # the election's leaf categories (view)
    workplace_title = StringField("工作单位及职务", validators=[Optional(), Length(max=200)])


class ScrutineerForm(Form):
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=64)])
    duty = SelectField("职责", choices=[("scrutineer", "监票人"), ("counter", "计票人")])


class OpenRoundForm(Form):
    eligible = IntegerField("应到会人数", validators=[InputRequired("请填写应到会人数"), NumberRange(min=1, message="应为正整数")])
    present = IntegerField("实到会人数", validators=COUNT)
    ballots_issued = IntegerField("发出选票", validators=COUNT)
    ballots_collected = IntegerField("收回选票", validators=COUNT)
    count_mode = SelectField("计票方式", choices=[("totals", "汇总录入（两位计票人员分别录入）"),
                                              ("ballots", "逐张录入（人数较少的会议）")])


class PlanForm(Form):
    action = SelectField("下一步", choices=[("additional", "另行选举"), ("reduce", "减少名额")])
    candidates_count = IntegerField("另行选举候选人数", validators=[Optional(), NumberRange(min=1, message="应为正整数")])
    seats_removed = IntegerField("减少名额数", validators=[Optional(), NumberRange(min=1, message="应为正整数")])
    basis = SelectField("减少名额的依据", choices=[("", "（另行选举时不填）"), ("voters_consent", "经过半数选举人同意"),
                                            ("presidium", "大会主席团决定")], validate_choice=False)
    note = TextAreaField("说明（减少名额时写明会议和决定）", validators=[Optional(), Length(max=500)])


class ReportForm(Form):
    reported_on = DateField("上报日期", validators=[InputRequired("请填写上报日期")])
    doc_number = StringField("上报文号", validators=[DataRequired("请填写上报文号"), Length(max=64)])


class BallotForm(Form):
    """One ballot: for/against as ``mark-<i>`` = for|against|'' per candidate, write-ins as names."""

    write_in = StringField("另选人姓名（多人用顿号分隔）", validators=[Optional(), Length(max=200)])


def _count(raw: str | None, label: str, errors: dict, key: str) -> int:
    text = (raw or "").strip()
    if not text:
        return 0
    if not text.isdigit():
        errors[key] = f"{label}应为不小于0的整数"
        return 0
    return int(text)


def parse_totals_form(data: Mapping[str, str], candidates: Sequence[str]) -> tuple[Totals | None, dict[str, str]]:
    """Totals from the entry form: ``valid``, ``invalid``, ``for-<i>``/``against-<i>`` per candidate, and
    ``write_in`` lines "姓名 票数". Blank counts are 0."""
    errors: dict[str, str] = {}
    valid = _count(data.get("valid"), "有效票", errors, "valid")
    invalid = _count(data.get("invalid"), "无效票", errors, "invalid")
    if not (data.get("valid") or "").strip():
        errors["valid"] = "请填写有效票张数"
    for_votes, against = {}, {}
    for i, name in enumerate(candidates):
        for_votes[name] = _count(data.get(f"for-{i}"), f"{name}的赞成票", errors, f"for-{i}")
        n = _count(data.get(f"against-{i}"), f"{name}的不赞成票", errors, f"against-{i}")
        if n:
            against[name] = n
    write_in: dict[str, int] = {}
    for line_no, line in enumerate((data.get("write_in") or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        m = re.fullmatch(r"(.+?)[\s:：,，]+(\d+)", line)
        if not m:
            errors["write_in"] = f"另选他人第{line_no}行应写作“姓名 票数”，如“赵敏 3”"
            continue
        write_in[m.group(1).strip()] = write_in.get(m.group(1).strip(), 0) + int(m.group(2))
    if errors:
        return None, errors
    return Totals(valid, invalid, for_votes, write_in, against), {}


def totals_form_data(totals: Mapping | None, candidates: Sequence[str]) -> dict[str, str]:
    """The form values of a stored entry (to correct it)."""
    if not totals:
        return {}
    out = {"valid": str(totals.get("valid", "")), "invalid": str(totals.get("invalid", ""))}
    for i, name in enumerate(candidates):
        out[f"for-{i}"] = str(totals.get("for", {}).get(name, 0))
        if totals.get("against", {}).get(name):
            out[f"against-{i}"] = str(totals["against"][name])
    out["write_in"] = "\n".join(f"{n} {v}" for n, v in totals.get("write_in", {}).items())
    return out


def split_names(text: str | None) -> list[str]:
    return [n for n in re.split(r"[、,，\s]+", text or "") if n]
