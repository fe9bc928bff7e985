"""The demo's organisation directory (组织机构): 中共某区委员会 at the top, its 23 推荐单位 (the demo's units, same
编码 and 名称, so the directory links them rather than adding new ones), a few 基层党组织 under some of them, and the
demo's three 党代表工作室 under the units where they sit. 来源: docs/rules.md §1 (选举单位、推荐单位), §6 (党代表工作室).

Idempotent: the tree is imported only while the directory is empty, and only the missing offices are made.
"""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.directory.models import DelegateOffice, Organisation
from election.directory.services import import_organisations
from workflow.directory.tree import STUDIO, OrgRecord

DATA = Path(__file__).resolve().parent / "data"
TOP_CODE = "QW"
TOP_NAME = "中共某区委员会"  # seeds/data/election.json's electing_body
# (name, level, address, 编码 in the directory, the 推荐单位 it sits under)
OFFICES = (
    ("城关街道党代表工作室", "街道", "城关街道便民服务中心二楼", "GW0199", "GW01"),
    ("东城街道党代表工作室", "街道", "东城街道党群服务中心一楼", "GW0299", "GW02"),
    ("工业园区党代表工作室", "行业", "工业园区管委会三楼", "GW0999", "GW09"),
)
DEMO_OFFICE = OFFICES[0][0]  # the demo user ``studio`` works here
# a 直属党委 is a 党委 directly under the 选举单位; the directory's 类别 has no separate word for it
CATEGORY_OF_KIND = {"党工委": "党工委", "直属党委": "党委"}


def read_units() -> list[dict]:
    with (DATA / "units.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def directory_records() -> list[OrgRecord]:
    """The demo's tree as the directory sheet would have it, parents first."""
    units = read_units()
    top = OrgRecord(TOP_CODE, TOP_NAME, "党委", None, sum(int(u["grassroots_orgs"]) for u in units),
                    sum(int(u["members"]) for u in units))
    records = [top] + [OrgRecord(u["code"], u["name"], CATEGORY_OF_KIND[u["kind"]], TOP_CODE, int(u["grassroots_orgs"]),
                                 int(u["members"])) for u in units]
    with (DATA / "organisations.csv").open(encoding="utf-8") as fh:
        records += [OrgRecord(r["code"], r["name"], r["category"], r["parent_code"], int(r["grassroots_orgs"]),
                              int(r["members"])) for r in csv.DictReader(fh)]
    records += [OrgRecord(code, name, STUDIO, parent) for name, _level, _address, code, parent in OFFICES]
    return records


def ensure_offices(session: Session, now: datetime | None = None) -> bool:
    """The demo's 党代表工作室 with their level and address; True when any was missing."""
    have = set(session.scalars(select(DelegateOffice.name)))
    missing = [o for o in OFFICES if o[0] not in have]
    if missing:
        with transaction(session):
            for name, level, address, _code, _parent in missing:
                session.add(DelegateOffice(name=name, level=level, address=address))
            session.flush()
            audit(session, None, "seed.office", object_type="delegate_offices", object_id="",
                  summary=f"载入演示党代表工作室{len(missing)}个：{'、'.join(o[0] for o in missing)}", now=now)
    return bool(missing)


def ensure_directory(session: Session, now: datetime | None = None) -> bool:
    """Import the demo's tree into an empty directory (the units and offices already there are linked to it);
    True when it was imported. A directory someone has already started is left as it is."""
    if session.scalar(select(func.count()).select_from(Organisation)):
        return False
    result = import_organisations(session, None, directory_records(), now)
    return bool(result.added or result.updated)
