"""factory_boy factories for the organisation. Each builds a valid object with its parents."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvirk.councils.models import CouncilSettings
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


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testby {n} kommune")
    slug = factory.Sequence(lambda n: f"testby{n}")
    number = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")  # four digits, as the column
    host = factory.LazyAttribute(lambda m: f"{m.slug}.test")

    @factory.post_generation
    def council_settings(
        obj: Municipality, create: bool, extracted: object, **kwargs: object
    ) -> None:
        # Every municipality has them, as organisation.services.municipality_create makes
        # them; get_or_create because the factory may hand back an existing municipality.
        if create:
            CouncilSettings.objects.get_or_create(municipality=obj)


class ServiceAreaFactory(factory.django.DjangoModelFactory[ServiceArea]):
    class Meta:
        model = ServiceArea

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"{5 + n:02d}")
    name = "Helse, sosial og omsorg"


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District

    service_area = factory.SubFactory(ServiceAreaFactory)
    name = factory.Sequence(lambda n: f"Distrikt {n} HOD")
    code = factory.Sequence(lambda n: f"d{n}")


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    service_area = factory.SubFactory(ServiceAreaFactory)
    district = None
    name = factory.Sequence(lambda n: f"Enhet {n}")
    code = factory.Sequence(lambda n: f"u{n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def two_factor(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Staff have set up an authenticator app, and ``force_login`` with this object
        counts as having given its code (django-otp reads ``otp_device`` at login).
        ``UserFactory(two_factor=False)`` makes someone who has not."""
        if create and extracted is not False:
            with_second_factor(obj)


def with_second_factor(user: User) -> User:
    """Give ``user`` a confirmed authenticator app, used by ``force_login`` (tests/conftest.py)."""
    user.otp_device = TOTPDevice.objects.create(  # type: ignore[attr-defined]
        user=user, name="test app", confirmed=True
    )
    return user


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.SYSTEM_ADMIN


def built_in_type(code: str) -> ServiceType:
    return ServiceType.objects.get(municipality=None, code=code)
