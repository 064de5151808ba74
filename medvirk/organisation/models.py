"""The organisation: municipalities, their service areas, districts, units and services,
the staff who work there with their roles, and the audit log.

Every other module hangs off these tables, and every query starts from one municipality.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import FileExtensionValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from medvirk.core import colours

from .catalogue import BUILT_IN_SERVICE_TYPES

four_digits = RegexValidator(r"^\d{4}$", _("Enter four digits."))


def validate_text_colour(value: str) -> None:
    """The brand colour is a background for white text, so it must contrast enough."""
    if not colours.HEX_COLOUR.match(value):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, for example #1f4e79."),
            code="invalid",
        )
    ratio = colours.contrast_ratio(value, colours.WHITE)
    if ratio < colours.MIN_TEXT_CONTRAST:
        raise ValidationError(
            _(
                "White text on this colour has a contrast of %(ratio).1f:1; it must be at "
                "least 4.5:1. Choose a darker colour."
            ),
            code="low_contrast",
            params={"ratio": ratio},
        )


def validate_image(upload: File[bytes]) -> None:
    """A newly uploaded logo must be a real PNG or JPEG image, whatever its name says.

    A logo already stored was checked when it came in; it is not opened again on every save.
    """
    if getattr(upload, "_committed", False):
        return
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (OSError, SyntaxError, ValueError):
        kind = None
    finally:
        upload.seek(0)
    if kind not in {"PNG", "JPEG"}:
        raise ValidationError(_("Upload a PNG or JPEG image."), code="invalid_image")


# No municipality may show survey figures of groups smaller than this (PRODUCT.md).
RESULTS_MIN_N_FLOOR = 3


def two_factor_default() -> bool:
    """A new municipality's two-factor requirement: the installation's default (settings)."""
    return bool(settings.MEDVIRK_TWO_FACTOR_DEFAULT)


class Municipality(models.Model):
    """A municipality (kommune): the tenant. Every record in Medvirk belongs to one."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        validators=[four_digits],
        help_text=_("The four-digit municipality number from Statistics Norway, e.g. 3301."),
    )
    host = models.CharField(
        _("web address"),
        max_length=253,
        blank=True,
        help_text=_(
            "The host name Medvirk answers to for this municipality, e.g. "
            "medvirk.drammen.kommune.no. Leave empty if the installation serves one."
        ),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"]), validate_image],
        help_text=_("A PNG or JPEG image, shown in the page header and on letters."),
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1f4e79",
        validators=[validate_text_colour],
        help_text=_("Background of the page header, behind white text. Format: #rrggbb."),
    )
    results_min_n = models.PositiveSmallIntegerField(
        _("smallest group shown in results"),
        default=5,
        validators=[MinValueValidator(RESULTS_MIN_N_FLOOR)],
        help_text=_(
            "Survey figures of a group with fewer respondents are not shown, nor anything "
            "they could be worked out from. At least 3; 5 is usual."
        ),
    )
    two_factor_required = models.BooleanField(
        _("require two-factor sign-in"),
        default=two_factor_default,
        help_text=_(
            "System administrators and quality advisers, who can see recipients' names and "
            "addresses and the answer file, must confirm each sign-in with a code from an "
            "app on their phone."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["host"], condition=~Q(host=""), name="municipality_host_unique"
            ),
            models.CheckConstraint(
                condition=Q(results_min_n__gte=RESULTS_MIN_N_FLOOR),
                name="municipality_results_min_n_floor",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.host = self.host.strip().lower()


class ServiceArea(models.Model):
    """A programme area of the municipality's budget, e.g. 05 Helse, sosial og omsorg."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="service_areas",
        verbose_name=_("municipality"),
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("E.g. 05."))
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="service_area_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class District(models.Model):
    """A health and care district (helse- og omsorgsdistrikt, HOD) within a service area."""

    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("service area"),
    )
    name = models.CharField(_("name"), max_length=150)
    code = models.SlugField(_("code"), max_length=30, help_text=_("A short code, e.g. KON."))

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service_area", "name"], name="district_name_unique"),
            models.UniqueConstraint(fields=["service_area", "code"], name="district_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit (virksomhet): led by one manager, with its own council; in a district or not."""

    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="units", verbose_name=_("service area")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="units",
        null=True,
        blank=True,
        verbose_name=_("district"),
        help_text=_("Leave empty for a unit that serves the whole municipality."),
    )
    name = models.CharField(_("name"), max_length=150)
    code = models.SlugField(
        _("code"), max_length=30, help_text=_("A short code used in reports, e.g. KON-BBS.")
    )
    street_address = models.CharField(_("street address"), max_length=150, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True, validators=[four_digits]
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive units keep their history but get no new surveys or cases."),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service_area", "name"], name="unit_name_unique"),
            models.UniqueConstraint(fields=["service_area", "code"], name="unit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit_detail", args=[self.pk])

    def clean(self) -> None:
        district = self.district if self.district_id is not None else None
        if (
            district is not None
            and self.service_area_id is not None
            and district.service_area_id != self.service_area_id
        ):
            raise ValidationError(
                {"district": _("Choose a district in the unit's own service area.")}
            )

    @property
    def municipality_id(self) -> int:
        return self.service_area.municipality_id


class ServiceType(models.Model):
    """A kind of service. Built-in types (no municipality) are shared; others are local."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="service_types",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_("Empty for the built-in catalogue shared by all municipalities."),
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="service_type_builtin_code_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="service_type_local_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def is_built_in(self) -> bool:
        return self.municipality_id is None

    @property
    def label(self) -> str:
        """The name in the reader's language: built-in names are translated."""
        if self.is_built_in and self.code in BUILT_IN_SERVICE_TYPES:
            return str(BUILT_IN_SERVICE_TYPES[self.code])
        return self.name

    def clean(self) -> None:
        if self.municipality_id is not None and self.code in BUILT_IN_SERVICE_TYPES:
            raise ValidationError(
                {"code": _("This code belongs to a built-in service type; choose another.")}
            )


class Service(models.Model):
    """A service a unit delivers (tjeneste): what surveys and feedback are about."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="services", verbose_name=_("unit")
    )
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("service type"),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "service_type"], name="service_unit_type_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type.label} ({self.unit.name})"

    def clean(self) -> None:
        service_type = self.service_type
        if (
            service_type.municipality_id is not None
            and service_type.municipality_id != self.unit.municipality_id
        ):
            raise ValidationError(
                {"service_type": _("Choose a service type of this municipality.")}
            )


class User(AbstractUser):
    """A staff account: a local password, a sign-in provider (``ProviderIdentity``), or both.

    What a user may see and do comes from their role assignments, never from Django's
    ``is_staff`` (which only opens the back-office admin).
    """

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ProviderIdentity(models.Model):
    """Who a user is at a municipality's sign-in provider (OpenID Connect): the provider's
    ``sub`` for them, which never changes, unlike a name or an e-mail address."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="provider_identities", verbose_name=_("user")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="provider_identities",
        verbose_name=_("municipality"),
    )
    issuer = models.CharField(_("sign-in provider"), max_length=255)
    subject = models.CharField(_("identity at the provider"), max_length=255)
    created_at = models.DateTimeField(_("first signed in"), default=timezone.now, editable=False)
    last_signin_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in provider identity")
        verbose_name_plural = _("sign-in provider identities")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "issuer", "subject"], name="provider_identity_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "municipality", "issuer"], name="provider_identity_user_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.issuer})"


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    QUALITY_ADVISER = "quality_adviser", _("Quality adviser")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    UNIT_STAFF = "unit_staff", _("Unit staff")
    COUNCIL_MEMBER = "council_member", _("Council member")
    POLITICIAN = "politician", _("Politician")


# Which scope each role takes: a unit, a service area, or the whole municipality.
UNIT_ROLES = frozenset({Role.UNIT_MANAGER, Role.UNIT_STAFF, Role.COUNCIL_MEMBER})
SERVICE_AREA_ROLES = frozenset({Role.QUALITY_ADVISER})
MUNICIPALITY_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.POLITICIAN})


class RoleAssignment(models.Model):
    """One role a user holds in one municipality, scoped to a unit or a service area."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("service area"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    created_at = models.DateTimeField(_("assigned"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(UNIT_ROLES), unit__isnull=False, service_area__isnull=True)
                    | Q(
                        role__in=sorted(SERVICE_AREA_ROLES),
                        unit__isnull=True,
                        service_area__isnull=False,
                    )
                    | Q(
                        role__in=sorted(MUNICIPALITY_ROLES),
                        unit__isnull=True,
                        service_area__isnull=True,
                    )
                ),
                name="role_assignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="role_assignment_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "service_area"],
                condition=Q(service_area__isnull=False),
                name="role_assignment_service_area_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=Q(unit__isnull=True, service_area__isnull=True),
                name="role_assignment_municipality_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.unit is not None:
            return self.unit.name
        if self.service_area is not None:
            return str(self.service_area)
        return self.municipality.name

    def clean(self) -> None:
        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError({"unit": _("This role needs a unit.")})
        if self.role in SERVICE_AREA_ROLES and self.service_area_id is None:
            raise ValidationError({"service_area": _("This role needs a service area.")})
        if self.role not in UNIT_ROLES:
            self.unit = None
        if self.role not in SERVICE_AREA_ROLES:
            self.service_area = None
        if self.unit is not None and self.unit.municipality_id != self.municipality_id:
            raise ValidationError({"unit": _("Choose a unit of this municipality.")})
        if (
            self.service_area is not None
            and self.service_area.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"service_area": _("Choose a service area of this municipality.")}
            )


class AuditEntry(models.Model):
    """Who did what to which object, and when. Written by services, never edited."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("municipality"),
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept as text so the entry still reads right after the user or object is gone.
    actor_name = models.CharField(_("actor"), max_length=200)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.CharField(_("object type"), max_length=60, db_index=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True)
    target_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"
        )
