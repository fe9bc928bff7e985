"""系统初始化: what a new district still has to do before its units can upload, in order — 组织机构 → 账号 → 新建选举
→ 名额分配 → 时间安排 → 工作部署 — each step saying what is missing and where to do it. Read-only, a fixed number of
statements; shown on the office's 工作台 until every step is done."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.core.roles import Role
from election.directory.models import ElectionUnit, Organisation
from election.directory.queries import active_units
from election.elections.models import Election, StageDue
from workflow.pipeline.stages import PIPELINE, Stage

NAMES_SHOWN = 5


@dataclass(frozen=True)
class SetupStep:
    title: str
    done: bool
    missing: str       # what is still to do (Chinese), "" when done
    link: str          # where to do it
    link_label: str


def _names(items: list[str]) -> str:
    return "、".join(items[:NAMES_SHOWN]) + (f"等{len(items)}个" if len(items) > NAMES_SHOWN else "")


def setup_steps(session: Session) -> list[SetupStep]:
    has_top = session.scalar(select(func.count()).select_from(Organisation)
                             .where(Organisation.parent_id.is_(None))) > 0
    units = active_units(session)
    steps = [SetupStep("组织机构", has_top and bool(units),
                       "" if has_top and units else ("请先录入最上级的选举单位（本级党委），再录入其下的推荐单位和党代表工作室，"
                                                     "或导入组织机构表" if not has_top else "选举单位下还没有推荐单位"),
                       url_for("directory.index"), "组织机构")]
    with_handler = set(session.scalars(select(User.unit_id).where(User.role == Role.unit.value,
                                                                  User.active.is_(True))))
    lacking = [u.name for u in units if u.id not in with_handler]
    steps.append(SetupStep("账号", bool(units) and not lacking,
                           "" if units and not lacking else (f"{_names(lacking)}还没有经办人账户" if units
                                                              else "先录入推荐单位，再为各单位经办人建账户"),
                           url_for("users.bulk"), "批量创建账户"))
    election = session.scalars(select(Election).where(Election.stage != Stage.aborted.value)
                               .order_by(Election.id.desc()).limit(1)).first()
    steps.append(SetupStep("新建选举", election is not None, "" if election else "还没有选举：新建一次选举并填写工作方案",
                           url_for("elections.new"), "新建选举"))
    if election is None:
        return steps + [SetupStep(t, False, "新建选举之后再做", "", "") for t in ("名额分配", "时间安排", "工作部署")]
    allocated = session.scalar(select(func.count()).select_from(ElectionUnit)
                               .where(ElectionUnit.election_id == election.id, ElectionUnit.quota > 0))
    steps.append(SetupStep("名额分配", allocated > 0, "" if allocated else f"“{election.title}”还没有给推荐单位分配名额",
                           url_for("elections.allocations", election_id=election.id), "名额分配"))
    set_stages = set(session.scalars(select(StageDue.stage).where(StageDue.election_id == election.id)))
    unset = [s.label for s in PIPELINE if s.value not in set_stages]
    steps.append(SetupStep("时间安排", not unset, f"还没有填写{_names(unset)}阶段的截止日期" if unset else "",
                           url_for("elections.timeline", election_id=election.id), "时间安排"))
    deployed = Stage(election.stage).order is not None and Stage(election.stage).order >= Stage.nominate.order
    steps.append(SetupStep("工作部署", deployed,
                           "" if deployed else f"“{election.title}”处于“{Stage(election.stage).label}”阶段：各项就绪后，"
                                               "在选举页面推进到“推荐提名”，推荐单位即可上传名单",
                           url_for("elections.detail", election_id=election.id), "选举页面"))
    return steps
