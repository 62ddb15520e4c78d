"""WSGI entry point: ``gunicorn yotsu_web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yotsu_web.settings")
application = get_wsgi_application()
