"""Inquiries: the clinic's public landing page, its inquiry form, LINE, and the inbox."""
