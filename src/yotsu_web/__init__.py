"""Yotsu's clinic web app (Django).

A thin face over the ``yotsu`` library: clinics and their members, the public inquiry
channel (web form and LINE), and an audit trail of who looked at which patient record.
Run ``python -m yotsu_web <command>`` for Django management commands, or
:func:`yotsu_web.demo.main` for a local demo.
"""
