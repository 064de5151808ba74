"""Surveys: questionnaires, rounds, recipients, access codes, drafts and responses.

The tables are laid out for the promise in the invitation letter: "Ingen ved det enkelte
tjenestested vil få tilgang til enkeltbesvarelser", and for PRODUCT.md's point 8: copies of
the database, however many and whenever taken, do not link a response or a draft to a
recipient without the round's key. A ``Recipient`` (name, address, a sealed seed) is written
when the list is imported and never when someone answers. Their ``AccessCode`` is a row of
its own with no reference to them, found by a keyed hash of the code; only the round's key
(a file outside the database, see ``keyring``) leads from one to the other. A ``Draft``
belongs to an access code and holds its answers sealed; submitting marks the access code
used, deletes the draft and creates the ``Response`` in one transaction. A response keeps
the date, never the time. See docs/surveys.md and docs/threat-model.md.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medvirk.organisation.models import Municipality, ServiceArea, ServiceType, Unit, User

from . import questionnaire as definitions

LANGUAGE_CHOICES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]


class Audience(models.TextChoices):
    USERS = "users", _("Users")
    RELATIVES = "relatives", _("Relatives")


_SPECS: dict[str, definitions.QuestionnaireSpec] = {}


class Questionnaire(models.Model):
    """One version of a questionnaire. Built-in ones (no municipality) come from the data
    files in ``questionnaires/``; a municipality's own are copies edited by its advisers.

    A version that a round has opened with never changes again: editing it then makes a
    new version (see ``services.questionnaire_update_texts``).
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("municipality"),
        help_text=_("Empty for the built-in questionnaires shared by all municipalities."),
    )
    key = models.SlugField(_("key"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    audience = models.CharField(_("respondents"), max_length=10, choices=Audience.choices)
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(max_length=64, editable=False)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=Q(municipality__isnull=True),
                name="questionnaire_builtin_version_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "key", "version"], name="questionnaire_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spec.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire_detail", args=[self.pk])

    @cached_property
    def spec(self) -> definitions.QuestionnaireSpec:
        """The parsed definition, shared by every request that reads the same version: a
        definition never changes without its checksum changing with it."""
        spec = _SPECS.get(self.checksum)
        if spec is None:
            spec = definitions.parse(self.definition)
            if len(_SPECS) >= 256:
                _SPECS.clear()
            _SPECS[self.checksum] = spec
        return spec

    @property
    def is_built_in(self) -> bool:
        return self.municipality_id is None

    def title_in(self, language: str) -> str:
        return self.spec.title.get(language)


class Round(models.Model):
    """A survey round: one questionnaire (and optionally one for relatives), the units it
    covers, when it is open, and its recipients."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class CodeScheme(models.TextChoices):
        """How the round's codes are made (see ``codes``)."""

        ROUND_KEY = "round-key", _("12 characters with a check character, from the round's key")
        LEGACY = "legacy-8", _("8 characters, from the installation's secret (older rounds)")

    class Phase(models.TextChoices):
        """What a respondent meets now: the state combined with the opening hours."""

        DRAFT = "draft", _("Being prepared")
        NOT_YET_OPEN = "not_yet_open", _("Not open yet")
        ACCEPTING = "accepting", _("Open for answers")
        ENDED = "ended", _("Closed")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("municipality"),
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("service area")
    )
    name = models.CharField(_("name"), max_length=150, help_text=_("E.g. Brukerundersøkelse 2026."))
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("questionnaire for users"),
    )
    relatives_questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="relatives_rounds",
        null=True,
        blank=True,
        verbose_name=_("questionnaire for relatives"),
        help_text=_("Optional: relatives in the recipient list answer this one."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    units: models.ManyToManyField[Unit, RoundUnit] = models.ManyToManyField(
        Unit, through="RoundUnit", related_name="survey_rounds", verbose_name=_("units")
    )
    service_types = models.ManyToManyField(
        ServiceType,
        blank=True,
        related_name="+",
        verbose_name=_("services"),
        help_text=_("Leave empty to cover every service of the chosen units."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    purged_at = models.DateTimeField(_("recipients purged"), null=True, blank=True)
    code_scheme = models.CharField(
        max_length=10, choices=CodeScheme.choices, default=CodeScheme.ROUND_KEY, editable=False
    )
    # The fingerprint of the round's key file (``keyring``); empty once the key is destroyed.
    key_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opening"
            ),
            models.UniqueConstraint(fields=["municipality", "name"], name="round_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:round_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors.setdefault("closes_at", []).append(
                gettext("The round must close after it opens.")
            )
        if self.questionnaire_id and self.questionnaire.audience != Audience.USERS:
            errors.setdefault("questionnaire", []).append(
                gettext("Choose a questionnaire for users.")
            )
        if self.relatives_questionnaire_id and (
            self.relatives_questionnaire.audience != Audience.RELATIVES  # type: ignore[union-attr]
        ):
            errors.setdefault("relatives_questionnaire", []).append(
                gettext("Choose a questionnaire for relatives.")
            )
        for field in ("questionnaire", "relatives_questionnaire"):
            chosen = getattr(self, field)
            if chosen is not None and chosen.municipality_id not in (None, self.municipality_id):
                errors.setdefault(field, []).append(
                    gettext("Choose a questionnaire of this municipality.")
                )
        if self.service_area_id and self.service_area.municipality_id != self.municipality_id:
            errors.setdefault("service_area", []).append(
                gettext("Choose a service area of this municipality.")
            )
        if errors:
            raise ValidationError(errors)

    def phase_at(self, now: datetime) -> Round.Phase:
        if self.state == self.State.DRAFT:
            return self.Phase.DRAFT
        if self.state == self.State.CLOSED or now >= self.closes_at:
            return self.Phase.ENDED
        if now < self.opens_at:
            return self.Phase.NOT_YET_OPEN
        return self.Phase.ACCEPTING

    @property
    def phase(self) -> Round.Phase:
        return self.phase_at(timezone.now())

    @property
    def ended_at(self) -> datetime:
        """When answering ended: closed early by hand, or at the closing time."""
        if self.closed_at is not None and self.closed_at < self.closes_at:
            return self.closed_at
        return self.closes_at

    def questionnaire_for(self, *, is_relative: bool) -> Questionnaire:
        if is_relative and self.relatives_questionnaire is not None:
            return self.relatives_questionnaire
        return self.questionnaire


class RoundUnit(models.Model):
    """A unit a round covers, with the contact person its letters print."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_units")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_hours = models.CharField(
        _("contact hours"),
        max_length=150,
        blank=True,
        help_text=_("When the contact person answers, e.g. weekdays 08.00–16.00."),
    )

    class Meta:
        verbose_name = _("unit in round")
        verbose_name_plural = _("units in round")
        ordering = ["unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="round_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.unit}"

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name and self.contact_phone and self.contact_hours)


class Recipient(models.Model):
    """Someone invited to answer: name, address, and a sealed seed. Purged after the round.

    The seed, opened with the round's key, gives the code (for reminder letters). Nothing
    here changes when the recipient answers, and nothing refers to their ``AccessCode``.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("address"), max_length=150)
    postal_code = models.CharField(_("postal code"), max_length=4)
    place = models.CharField(_("place"), max_length=100)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="nb")
    is_relative = models.BooleanField(_("relative"), default=False)
    code_seed = models.CharField(max_length=120, editable=False)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["postal_code", "name"]
        indexes = [models.Index(fields=["round", "unit"], name="recipient_round_unit_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def audience(self) -> str:
        return Audience.RELATIVES if self.is_relative else Audience.USERS


class AccessCode(models.Model):
    """One code a letter printed, apart from whom it was printed for.

    ``lookup`` is an HMAC of the code with the round's key, so a typed code finds its row;
    unit, service and audience say which questionnaire it answers and where the response
    counts (a response holds them too). The preferred language is sealed: in plain it would
    narrow down whose code this is. Rows are written in random order, so neither their
    physical order nor their id follows the recipient list.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="access_codes")
    lookup = models.CharField(max_length=64, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    sealed_language = models.CharField(max_length=80)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("access code")
        verbose_name_plural = _("access codes")

    def __str__(self) -> str:
        return f"access code {self.pk}"

    @property
    def is_relative(self) -> bool:
        return self.audience == Audience.RELATIVES


class Draft(models.Model):
    """The answers given so far with one access code, sealed with the round's key.

    Deleted in the transaction that creates the anonymous response. What it holds (language,
    who answers, the answers, the page to continue from) is in ``sealed``; see
    ``services.OpenDraft``.
    """

    access_code = models.OneToOneField(AccessCode, on_delete=models.CASCADE, related_name="draft")
    sealed = models.TextField()

    class Meta:
        verbose_name = _("draft answers")
        verbose_name_plural = _("draft answers")

    def __str__(self) -> str:
        return f"draft {self.pk}"


class Mode(models.TextChoices):
    WEB = "web", _("Web")
    PAPER = "paper", _("Paper form")
    INTERVIEW = "interview", _("Interview")


class Response(models.Model):
    """One submitted answer. Nothing here leads back to a person: no recipient, no code, no
    address, no device, no clock time — and not the language it was answered in, which
    (like the recipient's preferred language) would single out the one English reader of a
    unit. Its id is random, but where the row lies in the table still follows the order of
    answering (docs/threat-model.md): order, not who.

    ``scores`` and ``importance`` hold one character per statement in questionnaire order:
    the point on the scale (``1``…``9``), ``0`` for "don't know", ``-`` for no answer. A
    response never changes, and results read hundreds of thousands at a time; one short
    string per response is both the fastest to write and to read (see docs/surveys.md).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices)
    on_behalf = models.BooleanField(default=False)
    submitted_on = models.DateField()
    scores = models.CharField(max_length=100)
    importance = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "unit"], name="response_round_unit_idx")]

    def __str__(self) -> str:
        return f"response in {self.round_id}"


class ResponseText(models.Model):
    """What a respondent wrote in a free-text field. Shown to nobody until screened.

    Its id is random too: counting ids would order the responses that have comments.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(max_length=80)
    text = models.TextField()

    class Meta:
        verbose_name = _("free-text answer")
        verbose_name_plural = _("free-text answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "key"], name="response_text_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.response_id}"


class InvitedCount(models.Model):
    """How many were invited per unit, service and audience: kept when recipients are purged,
    so response rates outlive the names and addresses."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invited_counts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    invited = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "service_type", "audience"],
                name="invited_count_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.service_type_id}/{self.audience}: {self.invited}"


class CodeFailureWindow(models.Model):
    """Failed code attempts per throttle key and time window (see ``throttle``).

    The key is a keyed hash of the client's address, or the municipality; rows are deleted
    a day after their window, so no address is kept, and none in plain text at all.
    """

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="code_failure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start}: {self.failures}"
