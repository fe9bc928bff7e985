"""Structural quotas: rule kinds, identity categories, as-is / worst-case / feasibility checks."""
