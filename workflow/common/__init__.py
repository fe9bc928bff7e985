"""Shared plain-data helpers: results and blockers, partial dates, the working-day calendar, 姓氏笔画, ID numbers."""
