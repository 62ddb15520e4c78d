"""Audit trail: who viewed or changed which patient record. Ids and actions only, no health data."""
