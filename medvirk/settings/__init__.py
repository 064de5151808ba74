"""Settings for Medvirk.

``base`` reads every environment variable (through ``env``); ``dev``, ``test`` and
``production`` adjust it for where Medvirk runs. ``manage.py`` uses ``dev`` unless
``DJANGO_SETTINGS_MODULE`` says otherwise; the WSGI and ASGI entry points use ``production``.
"""
