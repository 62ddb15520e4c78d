"""WSGI entry point: ``gunicorn yotsu_web.wsgi`` (``yotsu serve --production`` starts it for you).

Refuses to load with the published development secret key (see ``_config.refuse_public_secret_key``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yotsu_web.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are loaded by get_wsgi_application)

from yotsu_web._config import refuse_public_secret_key  # noqa: E402

refuse_public_secret_key(settings.CONFIG)
