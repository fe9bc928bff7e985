"""Accounts: users, passwords, login and logout."""
