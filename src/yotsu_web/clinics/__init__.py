"""Clinics and who belongs to them: patients, practitioners, clinic admins."""
