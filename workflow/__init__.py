"""Pure domain core of 代表选举与履职管理系统.

Plain data in, results with reasons out. Nothing here imports Flask, SQLAlchemy or python-docx
(tests/workflow/test_purity.py enforces it), so every rule can be tested alone in milliseconds.
"""
