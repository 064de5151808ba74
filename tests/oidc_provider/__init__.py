"""A real OpenID Connect provider for the sign-in tests: a tiny Django project around
django-oidc-provider, run as its own process (serve.py) with its own SQLite file."""
