"""API keys: one per integration, scoped to a municipality and a set of operations.

The key itself is shown once, when it is made; only its prefix (to tell keys apart) and a
SHA-256 hash of the whole key are stored (see ``keys.py`` for why not a password hasher).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import Municipality


class Scope(models.TextChoices):
    ROUNDS_READ = "rounds:read", _("Read survey rounds and their response rates")
    RESULTS_READ = "results:read", _("Read published results")
    RECIPIENTS_WRITE = "recipients:write", _("Import recipients into a survey round")


class ApiKey(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("municipality"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("The integration that uses it, e.g. Gerica export.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]


class RequestWindow(models.Model):
    """How many requests a key made in one window of the rate limit (see ``throttle.py``).

    In the database, so that every web process counts against the same limit; a key's
    older windows are deleted when it starts a new one.
    """

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "started_at"], name="api_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key_id} {self.started_at:%H:%M}: {self.count}"
