"""Every table on one metadata: importing this module registers each area's models on ``Base.metadata``
(Alembic, the backup and the tests' schema read it)."""
from election.areas import MODEL_MODULES, import_all
from election.core.db import Base

import_all(MODEL_MODULES)

__all__ = ["Base"]
