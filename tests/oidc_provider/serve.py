"""Run the test provider: ``python -m tests.oidc_provider.serve DB DIRECTORY MEDVIRK_URL``.

Binds a free port on 127.0.0.1, migrates its SQLite file, registers Medvirk as a client
(``medvirk-test`` / ``medvirk-secret``, returning to MEDVIRK_URL) and the user ``kari``
(password ``provider-password``), prints ``ready PORT`` and serves until it is killed.
"""

from __future__ import annotations

import os
import sys
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CLIENT_ID = "medvirk-test"
CLIENT_SECRET = "medvirk-secret"
USERNAME = "kari"
PASSWORD = "provider-password"


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _seed(medvirk_url: str) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0)
    if not RSAKey.objects.exists():
        call_command("creatersakey")
    client, _created = Client.objects.update_or_create(
        client_id=CLIENT_ID,
        defaults={
            "name": "Medvirk",
            "client_type": "confidential",
            "client_secret": CLIENT_SECRET,
            "require_consent": False,
            "_redirect_uris": f"{medvirk_url}/staff/login/provider/return/",
            "_post_logout_redirect_uris": f"{medvirk_url}/",
        },
    )
    client.response_types.set(ResponseType.objects.filter(value="code"))
    if not User.objects.filter(username=USERNAME).exists():
        User.objects.create_user(
            USERNAME,
            email="kari@example.test",
            password=PASSWORD,
            first_name="Kari",
            last_name="Nordmann",
        )


def main(database: str, directory: str, medvirk_url: str) -> None:
    holder: dict[str, Any] = {}

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        return holder["app"](environ, start_response)

    server = make_server(
        "127.0.0.1", 0, application, server_class=ThreadingServer, handler_class=QuietHandler
    )
    port = server.server_port
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["PROVIDER_DB"] = database
    os.environ["PROVIDER_DIRECTORY"] = directory
    os.environ["PROVIDER_SITE_URL"] = f"http://127.0.0.1:{port}"
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    _seed(medvirk_url.rstrip("/"))
    holder["app"] = get_wsgi_application()
    sys.stdout.write(f"ready {port}\n")  # the parent waits for this line
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:4])
