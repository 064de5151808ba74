"""The municipality and its structure: service areas, districts, units, service types and
the services a unit gives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medvirk.core.hooks import Hook

from ..models import (
    District,
    Municipality,
    Service,
    ServiceArea,
    ServiceType,
    Unit,
    User,
)
from ..selectors import clear_host_cache
from ._common import _create, _update, audit_record

MUNICIPALITY_FIELDS = (
    "name",
    "host",
    "logo",
    "brand_colour",
    "results_min_n",
    "two_factor_required",
)
SERVICE_AREA_FIELDS = ("code", "name")
DISTRICT_FIELDS = ("name", "code")
SERVICE_TYPE_FIELDS = ("code", "name")
UNIT_FIELDS = (
    "name",
    "code",
    "district",
    "street_address",
    "postal_code",
    "place",
    "phone",
    "email",
    "is_active",
)

# --- municipality and structure --------------------------------------------------------


# What a new municipality needs from the modules that build on the organisation (the
# councils' settings). A hook rather than an import: they import this module, not it them.
after_municipality_create: Hook[[Municipality]] = Hook("after a municipality is created")


@transaction.atomic
def municipality_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    number: str,
    host: str = "",
    brand_colour: str = "#1f4e79",
    two_factor_required: bool | None = None,
) -> Municipality:
    """A new municipality; ``two_factor_required`` None takes the installation's default.

    Runs ``after_municipality_create`` in its transaction.
    """
    municipality = Municipality(
        name=name, slug=slug, number=number, host=host, brand_colour=brand_colour
    )
    if two_factor_required is not None:
        municipality.two_factor_required = two_factor_required
    municipality.full_clean()
    municipality.save()
    after_municipality_create.run(municipality)
    transaction.on_commit(clear_host_cache)
    audit_record(
        actor=actor,
        municipality=municipality,
        action="municipality.create",
        target=municipality,
        changes={"name": [None, name], "number": [None, number]},
    )
    return municipality


# What follows a change of the smallest group shown in results: the results module
# recomputes every stored result with the new value.
after_min_n_change: Hook[[Municipality]] = Hook("after the smallest group shown changes")


@transaction.atomic
def municipality_update(
    *, actor: User | None, municipality: Municipality, data: Mapping[str, Any]
) -> Municipality:
    """Change the municipality's settings; a new ``results_min_n`` runs ``after_min_n_change``."""
    transaction.on_commit(clear_host_cache)
    # Locked before it is read, so that two changes at once cannot both miss the change.
    min_n_before = (
        Municipality.objects.select_for_update()
        .values_list("results_min_n", flat=True)
        .get(pk=municipality.pk)
    )
    updated = _update(
        actor=actor,
        municipality=municipality,
        instance=municipality,
        data=data,
        allowed=MUNICIPALITY_FIELDS,
        action="municipality.update",
    )
    if updated.results_min_n != min_n_before:
        # In this transaction rather than queued for the worker: results protected for a
        # smaller group must not stay readable once the setting asks for a larger one.
        after_min_n_change.run(updated)
    return updated


@transaction.atomic
def service_area_create(
    *, actor: User | None, municipality: Municipality, code: str, name: str
) -> ServiceArea:
    return _create(
        actor=actor,
        municipality=municipality,
        instance=ServiceArea(municipality=municipality, code=code, name=name),
        fields=SERVICE_AREA_FIELDS,
        action="service_area.create",
    )


@transaction.atomic
def service_area_update(
    *, actor: User | None, service_area: ServiceArea, data: Mapping[str, Any]
) -> ServiceArea:
    return _update(
        actor=actor,
        municipality=service_area.municipality,
        instance=service_area,
        data=data,
        allowed=SERVICE_AREA_FIELDS,
        action="service_area.update",
    )


@transaction.atomic
def district_create(
    *, actor: User | None, service_area: ServiceArea, name: str, code: str
) -> District:
    return _create(
        actor=actor,
        municipality=service_area.municipality,
        instance=District(service_area=service_area, name=name, code=code),
        fields=DISTRICT_FIELDS,
        action="district.create",
    )


@transaction.atomic
def district_update(*, actor: User | None, district: District, data: Mapping[str, Any]) -> District:
    return _update(
        actor=actor,
        municipality=district.service_area.municipality,
        instance=district,
        data=data,
        allowed=DISTRICT_FIELDS,
        action="district.update",
    )


@transaction.atomic
def unit_create(*, actor: User | None, service_area: ServiceArea, data: Mapping[str, Any]) -> Unit:
    unknown = set(data) - set(UNIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown unit fields {sorted(unknown)}")
    return _create(
        actor=actor,
        municipality=service_area.municipality,
        instance=Unit(service_area=service_area, **data),
        fields=UNIT_FIELDS,
        action="unit.create",
    )


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, data: Mapping[str, Any]) -> Unit:
    return _update(
        actor=actor,
        municipality=unit.service_area.municipality,
        instance=unit,
        data=data,
        allowed=UNIT_FIELDS,
        action="unit.update",
    )


@transaction.atomic
def service_type_create(
    *, actor: User | None, municipality: Municipality, code: str, name: str
) -> ServiceType:
    return _create(
        actor=actor,
        municipality=municipality,
        instance=ServiceType(municipality=municipality, code=code, name=name),
        fields=SERVICE_TYPE_FIELDS,
        action="service_type.create",
    )


@transaction.atomic
def service_type_update(
    *, actor: User | None, service_type: ServiceType, data: Mapping[str, Any]
) -> ServiceType:
    if service_type.municipality is None:
        raise ValidationError(_("Built-in service types cannot be changed."))
    return _update(
        actor=actor,
        municipality=service_type.municipality,
        instance=service_type,
        data=data,
        allowed=SERVICE_TYPE_FIELDS,
        action="service_type.update",
    )


@transaction.atomic
def unit_service_add(*, actor: User | None, unit: Unit, service_type: ServiceType) -> Service:
    if Service.objects.filter(unit=unit, service_type=service_type).exists():
        raise ValidationError(
            {"service_type": _("The unit already delivers this service.")}, code="unique"
        )
    service = Service(unit=unit, service_type=service_type)
    service.full_clean()
    service.save()
    audit_record(
        actor=actor,
        municipality=unit.service_area.municipality,
        action="service.add",
        target=service,
        changes={"service_type": [None, service_type.label]},
    )
    return service


@transaction.atomic
def unit_service_remove(*, actor: User | None, service: Service) -> None:
    audit_record(
        actor=actor,
        municipality=service.unit.service_area.municipality,
        action="service.remove",
        target=service,
        changes={"service_type": [service.service_type.label, None]},
    )
    service.delete()
