"""Reminders: in-app notifications, e-mail, the daily scheduled run."""
