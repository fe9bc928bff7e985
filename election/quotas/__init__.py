"""Structural quotas (结构比例): the compliance panel and report on the list of the current step."""
