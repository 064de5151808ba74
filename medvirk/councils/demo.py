"""The demo's user councils: one for every unit of area 05, and a year of work at Konnerud.

From the seeds: every unit has a council of up to five user representatives with the unit
manager as secretary and two employees; up to five meetings a year, one of them the
dialogue meeting with politicians; the neighbourhood conferences planned for the health
hubs; the themes a council takes up. Invented: every person's name, address and words, the
meetings' dates (around today, so that one is always coming), their agendas and minutes,
and Konnerud bo- og behandlingssenter's improvement plan. Its actions are tied to
statements of the 2016 questionnaire as asked in "Brukerundersøkelse 2024", and show how
they moved in "Brukerundersøkelse 2025" (both made by results/demo.py, which runs first).

The demo sends no e-mail. ``extend_demo`` is idempotent: councils, meetings and actions
that are there are left as they are.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from medvirk.organisation.models import Municipality, Unit, User
from medvirk.results.models import ResultCell, ResultSet
from medvirk.surveys.models import Audience, Round

from . import defaults, selectors, services, terms
from .models import AgendaItem, Council, ImprovementAction, Meeting, MeetingPlan, Membership

KONNERUD = "KON-BBS"
HELSEHUSET = "HH"
BASELINE_ROUND = "Brukerundersøkelse 2024"
LATER_ROUND = "Brukerundersøkelse 2025"

FIRST = [
    "Anne", "Inger", "Marit", "Liv", "Eva", "Bjørg", "Randi", "Solveig", "Gunn", "Hilde",
    "Jan", "Bjørn", "Lars", "Kjell", "Knut", "Arne", "Svein", "Odd", "Terje", "Geir",
    "Zofia", "Amir", "Aisha", "Tomasz", "Leyla", "Hassan", "Mirela", "Juan",
]  # fmt: skip
LAST = [
    "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
    "Karlsen", "Eriksen", "Berg", "Haugen", "Hagen", "Bakken", "Lund", "Strand", "Moen",
    "Nowak", "Hussain", "Yilmaz", "Ahmadi", "Kowalski", "Garcia", "Mahmoud",
]  # fmt: skip
ORGANISATIONS = ["Demensforeningen i Drammen", "Pensjonistforeningen Drammen", "FFO Drammen"]

# Konnerud's council, as the demo users know it: (name, role, represents, organisation,
# username linked, public consent, trained, term ends in days from today).
KONNERUD_MEMBERS = [
    ("Astrid Berg", "chair", "relatives", "", "brukerrad.konnerud", True, True, 400),
    ("Nils Nilsen", "representative", "relatives", "", "", True, True, 400),
    ("Ahmed Khan", "representative", "users", "", "", False, True, 45),
    ("Berit Hagen", "representative", "organisation", ORGANISATIONS[0], "", False, False, 600),
    ("Ola Hansen", "secretary", "", "", "leder.konnerud", True, True, None),
    ("Fatima Ali", "employee", "", "", "ansatt.konnerud", False, True, None),
    ("Kjersti Moe", "employee", "", "", "", False, True, None),
    ("Jon Lie", "ombudsperson", "", "", "politiker", True, False, None),
]


def extend_demo(municipality: Municipality) -> list[str]:
    area = municipality.service_areas.filter(code="05").first()
    if area is None:
        return []
    today = timezone.localdate()
    with transaction.atomic():
        for unit in area.units.filter(is_active=True).order_by("code"):
            if not Council.objects.filter(unit=unit).exists():
                council = services.council_create(actor=None, unit=unit)
                if unit.code == KONNERUD:
                    _konnerud_members(council, today)
                else:
                    _members(council, unit, today)
        konnerud = Council.objects.filter(unit__service_area=area, unit__code=KONNERUD).first()
        if konnerud is not None and not konnerud.meetings.exists():
            _konnerud_meetings(konnerud, today)
        if konnerud is not None and not ImprovementAction.objects.filter(unit=konnerud.unit):
            _konnerud_actions(konnerud, today)
        helsehuset = Council.objects.filter(unit__service_area=area, unit__code=HELSEHUSET).first()
        if helsehuset is not None and not helsehuset.meetings.exists():
            _helsehuset_meetings(helsehuset, today)
    return [
        "User councils: http://127.0.0.1:{port}/staff/councils/ (as leder.konnerud, the "
        "secretary of Konnerud bo- og behandlingssenter's council, or brukerrad.konnerud, a "
        "member of it); public pages at http://127.0.0.1:{port}/brukerrad/"
    ]


def _email(name: str) -> str:
    return (
        name.lower().replace(" ", ".").replace("ø", "o").replace("å", "a").replace("æ", "ae")
        + "@example.org"
    )


def _add(council: Council, **data: object) -> Membership:
    return services.membership_add(actor=None, council=council, data=data)


def _konnerud_members(council: Council, today: date) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[m[4] for m in KONNERUD_MEMBERS if m[4]])
    }
    for (
        name,
        role,
        represents,
        organisation,
        username,
        consent,
        trained,
        ends_in,
    ) in KONNERUD_MEMBERS:
        if ends_in is not None:
            ends_on = today + timedelta(days=ends_in)
            starts_on = terms.add_years(ends_on, -2) + timedelta(days=1)
        else:
            starts_on, ends_on = today - timedelta(days=900), None
        _add(
            council,
            user=users.get(username),
            name=name,
            email=_email(name),
            phone="",
            role=role,
            represents=represents,
            organisation_name=organisation,
            filled_by={"": "appointed", "secretary": "office"}.get(
                role if role == "secretary" else represents, "election"
            ),
            starts_on=starts_on,
            ends_on=ends_on,
            training_on=starts_on + timedelta(days=30) if trained else None,
            public_consent=consent,
            public_consent_on=starts_on if consent else None,
        )


def _members(council: Council, unit: Unit, today: date) -> None:
    """Three to five representatives, the secretary and one or two employees, invented."""
    rng = random.Random(unit.code)  # noqa: S311 (invented people, the same every time)
    people = iter(rng.sample([f"{first} {last}" for first in FIRST for last in LAST], 12))
    elected = today - timedelta(days=rng.randint(60, 600))
    for number in range(rng.randint(3, 5)):
        name = next(people)
        represents = rng.choice(["users", "relatives", "relatives"])
        organisation = ""
        if number == 3:
            represents, organisation = "organisation", rng.choice(ORGANISATIONS)
        _add(
            council,
            name=name,
            email=_email(name) if rng.random() < 0.8 else "",
            role="chair" if number == 0 else "representative",
            represents=represents,
            organisation_name=organisation,
            filled_by="election" if number < 3 else "by_election",
            starts_on=elected,
            training_on=elected + timedelta(days=rng.randint(10, 60))
            if rng.random() < 0.8
            else None,
            public_consent=rng.random() < 0.5,
        )
    manager = User.objects.filter(
        role_assignments__unit=unit, role_assignments__role="unit_manager"
    ).first()
    name = str(manager) if manager is not None else next(people)
    _add(
        council,
        user=manager,
        name=name,
        email=_email(name),
        role="secretary",
        filled_by="office",
        starts_on=today - timedelta(days=700),
        public_consent=True,
    )
    for _number in range(rng.randint(1, 2)):
        name = next(people)
        _add(
            council,
            name=name,
            email=_email(name),
            role="employee",
            filled_by="appointed",
            starts_on=today - timedelta(days=rng.randint(100, 700)),
            public_consent=rng.random() < 0.5,
        )


# --- meetings ---------------------------------------------------------------------------


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _plan(council: Council, year: int) -> MeetingPlan:
    found = MeetingPlan.objects.filter(council=council, year=year).first()
    if found is not None:
        return found
    return services.meeting_plan_create(
        actor=None, council=council, year=year, note="Utarbeidet av sekretær sammen med leder."
    )


def _meeting(
    council: Council, kind: str, day: date, hour: int, place: str, title: str = ""
) -> Meeting:
    return services.meeting_create(
        actor=None,
        plan=_plan(council, day.year),
        kind=kind,
        starts_at=_at(day, hour),
        place=place,
        title=title,
    )


def _item(
    meeting: Meeting, title: str, theme: str, description: str, proposal: str = ""
) -> AgendaItem:
    return services.agenda_item_add(
        actor=None,
        meeting=meeting,
        title=title,
        theme=theme,
        description=description,
        proposal=proposal,
    )


def _hold(
    meeting: Meeting,
    minutes: dict[AgendaItem | str, tuple[str, str]],
    *,
    apologies: tuple[str, ...] = (),
    outcome: str = "",
    participants: int | None = None,
) -> Meeting:
    """Send the notice (without mail), write the minutes and approve them, then date each
    step as it would have happened around the meeting."""
    services.meeting_send_notice(actor=None, meeting=meeting, send_mail=False)
    items = list(meeting.items.order_by("number"))
    texts: dict[int, tuple[str, str]] = {}
    for item in items:
        key = item if item in minutes else item.kind
        discussion, resolution = minutes.get(key, ("", ""))
        if not resolution and item.is_standing:
            resolution = {
                AgendaItem.Kind.NOTICE_APPROVAL: "Innkalling og saksliste ble godkjent.",
                AgendaItem.Kind.MINUTES_APPROVAL: "Referat fra forrige møte ble godkjent.",
                AgendaItem.Kind.ORIENTATIONS: "Orienteringene ble tatt til orientering.",
            }[AgendaItem.Kind(item.kind)]
        texts[item.pk] = (discussion, resolution)
    attendance = {
        m.pk: "apology" if m.name in apologies else "present" for m in selectors.recipients(meeting)
    }
    services.meeting_record_minutes(
        actor=None,
        meeting=meeting,
        attendance=attendance,
        items=texts,
        outcome=outcome,
        participants=participants,
    )
    services.meeting_approve_minutes(actor=None, meeting=meeting, send_mail=False)
    Meeting.objects.filter(pk=meeting.pk).update(
        notice_sent_at=meeting.starts_at - timedelta(days=10),
        held_at=meeting.starts_at + timedelta(days=1),
        minutes_approved_at=meeting.starts_at + timedelta(days=4),
    )
    meeting.refresh_from_db()
    return meeting


def _attach_survey(item: AgendaItem, unit: Unit, keys: list[str]) -> None:
    cell = (
        ResultCell.objects.filter(
            result_set__round__name=LATER_ROUND,
            result_set__round__municipality_id=unit.municipality_id,
            result_set__state__in=[ResultSet.State.READY, ResultSet.State.PUBLISHED],
            audience=Audience.USERS,
            key=f"unit-{unit.pk}",
        )
        .select_related("result_set__round")
        .first()
    )
    if cell is not None and cell.is_shown:
        services.agenda_item_attach_results(actor=None, item=item, cell=cell, statement_keys=keys)


def _konnerud_meetings(council: Council, today: date) -> None:
    """A year at Konnerud: the dialogue meeting and a neighbourhood conference held, a
    council meeting with approved minutes, and the next one with its agenda."""
    place = "Konnerud bo- og behandlingssenter, kantina, Torsbergveien 8"
    _konnerud_dialogue(council, today - timedelta(days=120), place)
    _konnerud_conference(council, today - timedelta(days=60))
    _konnerud_held(council, today - timedelta(days=21), place)
    _konnerud_coming(council, today + timedelta(days=14), place)


def _konnerud_dialogue(council: Council, day: date, place: str) -> None:
    themes = defaults.THEMES
    dialogue = _meeting(council, Meeting.Kind.DIALOGUE, day, 17, place)
    mastery = _item(
        dialogue,
        "Hverdagsmestring og velferdsteknologi på Konnerud",
        themes[2],
        "Virksomhetsleder orienterer politikerne om arbeidet med hverdagsmestring og digitale "
        "trygghetsalarmer. Brukerrådet forteller hvordan brukere og pårørende opplever det.",
        "Brukerrådet gir politikerne sine innspill til prioriteringer for neste år.",
    )
    for name, affiliation in (
        ("Jon Lie", "Medlem av HSO-utvalget"),
        ("Siri Aas", "Medlem av HSO-utvalget"),
        ("Petter Dahl", "Leder av HSO-utvalget"),
    ):
        services.registration_add(actor=None, meeting=dialogue, name=name, affiliation=affiliation)
    for registration in dialogue.registrations.all():
        services.registration_update(actor=None, registration=registration, attended=True)
    _hold(
        dialogue,
        {
            mastery: (
                "Pårørende fortalte at trygghetsalarmene gir trygghet, men at mange trenger "
                "hjelp til å bruke dem. Politikerne spurte om ventetid på opplæring.",
                "Brukerrådet råder til at opplæring i velferdsteknologi for beboere og "
                "pårørende prioriteres i budsjettet for neste år.",
            )
        },
        outcome="Politikerne tok med seg ønsket om flere aktiviteter på ettermiddagstid og om "
        "opplæring i digitale hjelpemidler for beboere og pårørende. Neste dialogmøte holdes "
        "om et år.",
    )


def _konnerud_conference(council: Council, day: date) -> None:
    conference = _meeting(
        council,
        Meeting.Kind.NEIGHBOURHOOD,
        day,
        18,
        "Konnerud helse- og omsorgsdistrikt, Torsbergveien 8",
        "Nabolagskonferanse for Konnerud HOD",
    )
    for name, affiliation in (
        ("Marte Solheim", "Nabo"),
        ("Rune Dahl", "Frivilligsentralen"),
        ("Grete Lunde", "Pårørende"),
        ("Kåre Vik", "Konnerud idrettslag"),
        ("Hanne Brekke", "Nabo"),
    ):
        services.registration_add(
            actor=None, meeting=conference, name=name, affiliation=affiliation
        )
    _hold(
        conference,
        {},
        outcome="34 naboer, frivillige og pårørende kom. Forslag: en turgruppe fra "
        "bo- og behandlingssenteret hver onsdag, og en felles kafé i helsehuset med "
        "Frivilligsentralen. Distriktet følger opp med en arbeidsgruppe.",
        participants=34,
    )


def _konnerud_held(council: Council, day: date, place: str) -> None:
    themes = defaults.THEMES
    held = _meeting(council, Meeting.Kind.COUNCIL, day, 18, place)
    survey = _item(
        held,
        "Resultater fra brukerundersøkelsen 2025",
        themes[1],
        "Virksomheten legger fram resultatene for Konnerud bo- og behandlingssenter. "
        "Brukerrådet drøfter hva som bør forbedres først.",
        "Brukerrådet anbefaler at virksomheten prioriterer aktiviteter og digitale "
        "hjelpemidler i tiltaksplanen.",
    )
    _attach_survey(survey, council.unit, ["s02", "s15", "s17", "s20", "s21"])
    activities = _item(
        held,
        "Aktivitetstilbud på ettermiddag og kveld",
        themes[5],
        "Flere pårørende har etterlyst aktiviteter etter klokken 15. Frivilligsentralen kan bidra.",
    )
    plan_item = _item(
        held,
        "Virksomhetsplan 2027",
        themes[0],
        "Utkast til virksomhetsplan for 2027 er sendt ut på forhånd.",
        "Brukerrådet gir sine innspill til utkastet.",
    )
    _hold(
        held,
        {
            AgendaItem.Kind.ORIENTATIONS: (
                "Virksomhetsleder orienterte om ny turnus og om oppussing av kantina.",
                "",
            ),
            survey: (
                "Rådet merket seg at utsagnene om aktiviteter og digitale hjelpemidler har "
                "lavest score, og at tjenestene oftere kommer til avtalt tid enn før.",
                "Brukerrådet råder virksomheten til å prioritere flere aktiviteter og opplæring "
                "i digitale hjelpemidler i tiltaksplanen for 2026.",
            ),
            activities: (
                "Rådet støtter et samarbeid med Frivilligsentralen om ettermiddagsaktiviteter.",
                "Brukerrådet råder virksomheten til å prøve ut aktiviteter to ettermiddager i uka "
                "fra januar, sammen med frivillige.",
            ),
            plan_item: (
                "Rådet ønsker at brukermedvirkning nevnes tydeligere i planen.",
                "Brukerrådet råder virksomheten til å ta inn et eget avsnitt om brukerrådets "
                "rolle i virksomhetsplanen.",
            ),
        },
        apologies=("Berit Hagen",),
    )


def _konnerud_coming(council: Council, day: date, place: str) -> None:
    themes = defaults.THEMES
    coming = _meeting(council, Meeting.Kind.COUNCIL, day, 18, place)
    _item(
        coming,
        "Tiltaksplanen etter brukerundersøkelsen: status",
        themes[2],
        "Virksomheten orienterer om hvordan tiltakene går, og ber om rådets innspill til neste "
        "steg.",
    )
    _item(
        coming,
        "Klage fra datteren til beboer på rom 12",
        themes[6],
        "Min mor har falt to ganger uten at vi ble varslet.",
    )


def _helsehuset_meetings(council: Council, today: date) -> None:
    place = "Helsehuset, møterom 2"
    held = _meeting(council, Meeting.Kind.COUNCIL, today - timedelta(days=35), 17, place)
    survey = _item(
        held,
        "Resultater fra brukerundersøkelsen 2025",
        defaults.THEMES[1],
        "Resultatene for Helsehuset legges fram.",
    )
    _attach_survey(survey, council.unit, ["s01", "s06", "s13"])
    _hold(
        held,
        {
            survey: (
                "Rådet er fornøyd med at de fleste føler seg trygge, men ønsker bedre "
                "informasjon ved utskriving.",
                "Brukerrådet råder Helsehuset til å lage en enkel skriftlig informasjon til "
                "pasienter og pårørende ved utskriving.",
            )
        },
    )
    _meeting(council, Meeting.Kind.DIALOGUE, today + timedelta(days=30), 17, place)


# --- the improvement plan --------------------------------------------------------------

ACTIONS = [
    # title, statements, feedback theme, owner, status, due in days, advice
    (
        "Faste tider og beskjed når vi blir forsinket",
        ["s01", "s02"],
        "",
        "Ola Hansen",
        ImprovementAction.Status.DONE,
        -60,
        "Brukerrådet rådet virksomheten til å gi beskjed på telefon når hjelpen blir forsinket.",
    ),
    (
        "Aktiviteter to ettermiddager i uka, sammen med Frivilligsentralen",
        ["s15", "s17"],
        "",
        "Fatima Ali",
        ImprovementAction.Status.IN_PROGRESS,
        90,
        "",
    ),
    (
        "Opplæring i digitale hjelpemidler for beboere og pårørende",
        ["s20", "s21"],
        "",
        "Kjersti Moe",
        ImprovementAction.Status.PLANNED,
        150,
        "",
    ),
    (
        "Bedre informasjon om måltidene",
        [],
        "Måltider",
        "Ola Hansen",
        ImprovementAction.Status.PLANNED,
        60,
        "",
    ),
]


def _konnerud_actions(council: Council, today: date) -> None:
    baseline = Round.objects.filter(
        municipality_id=council.municipality_id,
        name=BASELINE_ROUND,
        round_units__unit=council.unit,
    ).first()
    # The council's advice on the survey, from the meeting that discussed its results.
    advice = (
        AgendaItem.objects.filter(council=council, kind=AgendaItem.Kind.ITEM, resolution__gt="")
        .exclude(results_round=None)
        .order_by("-year", "-number")
        .first()
    )
    for title, keys, theme, owner, status, due_in, council_advice in ACTIONS:
        linked = baseline is not None and bool(keys)
        services.action_create(
            actor=None,
            council=council,
            data={
                "title": title,
                "description": "",
                "round": baseline if linked else None,
                "audience": Audience.USERS,
                "statement_keys": keys if linked else [],
                "feedback_theme": theme or ("" if linked else "Brukerundersøkelsen"),
                "owner": owner,
                "due_on": today + timedelta(days=due_in),
                "status": status,
                "council_advice": council_advice
                or (advice.resolution if advice is not None and keys else ""),
                "advice_item": advice if keys else None,
            },
        )
    done = ImprovementAction.objects.filter(unit=council.unit, status=ImprovementAction.Status.DONE)
    done.update(completed_on=today - timedelta(days=30))
