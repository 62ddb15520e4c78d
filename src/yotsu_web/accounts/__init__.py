"""Accounts: the user model, log-in and log-out, patient sign-up."""
