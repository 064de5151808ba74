"""Reads of API keys and of the background tasks a key started."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from medvirk.core.models import BackgroundTask
from medvirk.organisation.models import Municipality

from .models import ApiKey


def keys_of(*, municipality: Municipality) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(municipality=municipality).select_related("created_by")


def key_get(*, municipality: Municipality, pk: int) -> ApiKey:
    found = keys_of(municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def key_by_prefix(prefix: str) -> ApiKey | None:
    return ApiKey.objects.select_related("municipality").filter(prefix=prefix).first()


def task_of_key(*, key: ApiKey, pk: uuid.UUID) -> BackgroundTask:
    """A task this key started; any other (another key's, a staff member's) is not found."""
    found = BackgroundTask.objects.filter(
        pk=pk, municipality=key.municipality, params__api_key=key.pk
    ).first()
    if found is None:
        raise Http404
    return found
