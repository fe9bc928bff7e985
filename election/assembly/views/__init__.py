"""年会 pages: thin views — form → service → flash → redirect. The blueprint ``bp`` is defined in ``blueprint``."""
from __future__ import annotations

from election.assembly.views.blueprint import bp
from election.assembly.views import sessions as _sessions  # noqa: F401,E402  (会议、议程、通知、召开)
from election.assembly.views import attendance as _attendance  # noqa: F401,E402  (签到、分组)
from election.assembly.views import proposals as _proposals  # noqa: F401,E402  (提案)
from election.assembly.views import resolutions as _resolutions  # noqa: F401,E402  (决议与整改)
from election.assembly.views import between as _between  # noqa: F401,E402  (闭会期间：列席、询问质询)
from election.assembly.views import appraisals as _appraisals  # noqa: F401,E402  (民主评议、测评、信任投票)

__all__ = ["bp"]
