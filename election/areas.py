"""The areas of the application, in one place: whose tables, pages and API resources make up the app.

Each area is a package (``election/<area>/``) with its ``models``, use cases, ``views`` (a blueprint named
``bp``), forms and ``api`` resources. The app factory, Alembic and the API document read these lists, so a
new area arrives as a new folder plus a line here.
"""
from __future__ import annotations

import importlib
from types import ModuleType

# every module that declares tables on Base.metadata
MODEL_MODULES = (
    "election.audit.models", "election.elections.models", "election.calendar.models",
    "election.notifications.models", "election.nominations.models", "election.directory.models",
    "election.accounts.models", "election.vetting.models", "election.voting.models", "election.duties.models",
    "election.api.models", "election.tasks.models", "election.wording.models", "election.levels.models",
    "election.assembly.models",
)
# every module that exposes a blueprint `bp`, in registration order
VIEW_MODULES = (
    "election.accounts.views", "election.dashboard.views", "election.elections.views",
    "election.nominations.views", "election.admin.views", "election.vetting.views", "election.voting.views",
    "election.duties.views", "election.api.views", "election.tasks.views", "election.help.views",
    "election.directory.views", "election.accounts.admin_views", "election.wording.views", "election.levels.views",
    "election.assembly.views",
)
# every module of /api/v1 resources, in the order of the OpenAPI document
API_MODULES = (
    "election.api.tokens", "election.elections.api", "election.elections.api_setup", "election.nominations.api_units",
    "election.nominations.api", "election.nominations.api_nominee",
    "election.quotas.api", "election.audit.api", "election.vetting.api", "election.voting.api", "election.voting.api_candidates", "election.duties.api",
    "election.duties.api_petitions", "election.duties.api_proposals", "election.duties.api_delegate_status", "election.duties.api_transfer",
    "election.duties.api_delegates_admin", "election.duties.api_review", "election.duties.api_rules",
    "election.vetting.api_examinations", "election.vetting.api_bulk", "election.vetting.api_selection", "election.directory.api",
    "election.accounts.api", "election.calendar.api",
    "election.vetting.api_notice_drafts", "election.wording.api",
    "election.levels.api_setup", "election.levels.api_overview", "election.levels.api_reports",
    "election.assembly.api_sessions", "election.assembly.api_attendance",
    "election.assembly.api_proposals", "election.assembly.api_appraisals",
    "election.assembly.api_followup", "election.assembly.api_between",
)


def import_all(names: tuple[str, ...]) -> list[ModuleType]:
    return [importlib.import_module(name) for name in names]
