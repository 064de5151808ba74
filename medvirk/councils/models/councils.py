"""A unit's user council."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import Unit


class Council(models.Model):
    """A unit's user council. Every unit has one (the staff pages list units without)."""

    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="council", verbose_name=_("unit")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("user council")
        verbose_name_plural = _("user councils")
        ordering = ["unit__name"]

    def __str__(self) -> str:
        return gettext("User council of %(unit)s") % {"unit": self.unit.name}

    def get_absolute_url(self) -> str:
        return reverse("councils:council", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("public_councils:council", args=[self.pk])

    @property
    def municipality_id(self) -> int:
        return self.unit.service_area.municipality_id
