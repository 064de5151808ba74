"""The JSON API for integrations, under /api/v1/ (see docs/api.md).

Nothing imports this app: it reads and writes through the other modules' selectors and
services, authenticated by the keys that system administrators create on its staff pages.
"""
