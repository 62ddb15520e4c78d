"""Red flags followed through: every raised flag recorded once, the clinic told at once, the patient's
portal in referral mode until a practitioner records a doctor's clearance (who, when, outcome).
The rules (urgency, steps, 119 / #7119, the clearance rule) are ``yotsu.pathway.referral``'s."""
