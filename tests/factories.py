"""factory_boy factories for the organisation. Each builds a valid object with its parents."""

from __future__ import annotations

import factory

from medvirk.organisation.models import (
    District,
    Municipality,
    Role,
    RoleAssignment,
    ServiceArea,
    ServiceType,
    Unit,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testby {n} kommune")
    slug = factory.Sequence(lambda n: f"testby{n}")
    number = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")  # four digits, as the column
    host = factory.LazyAttribute(lambda m: f"{m.slug}.test")


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"{5 + n:02d}")
    name = "Helse, sosial og omsorg"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    service_area = factory.SubFactory(ServiceAreaFactory)
    name = factory.Sequence(lambda n: f"Distrikt {n} HOD")
    code = factory.Sequence(lambda n: f"d{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    service_area = factory.SubFactory(ServiceAreaFactory)
    district = None
    name = factory.Sequence(lambda n: f"Enhet {n}")
    code = factory.Sequence(lambda n: f"u{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.SYSTEM_ADMIN


def built_in_type(code: str) -> ServiceType:
    return ServiceType.objects.get(municipality=None, code=code)
