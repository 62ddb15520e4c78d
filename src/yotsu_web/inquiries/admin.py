"""Inquiries are read in the practitioner's inbox, not in the admin (the inbox is audited)."""
