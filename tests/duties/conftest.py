"""The duties API fixtures (two offices, their delegates and records; a 党代表工作室 token of office A), shared by
the API test modules of this folder."""
from tests.duties.test_api import duties, studio  # noqa: F401 - fixtures
