"""Accounts: users, roles, sign-in and the access checks every protected view uses."""
