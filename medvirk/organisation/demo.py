"""The demo municipality, built from the municipality's own documents in shared/seeds.

From the seeds: Drammen kommune, programme area 05 Helse, sosial og omsorg, the units its
budget text names (NAV, Senter for rusforebygging, Psykiske helsetjenester, Helsetjenesten,
Helsehuset, Tilrettelagte tjenester, Tjenestetildeling og samordning, Skap Gode Dager),
eight health and care districts, and Konnerud HOD with the address and services of its fact
sheet (Konnerud bo- og behandlingssenter, Torsbergveien 8). Invented, because the seeds do
not give them: the other seven district names, the units inside the districts, every
person's name, phone numbers and e-mail addresses.

Loading is idempotent: a second run finds the municipality and changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from . import services
from .models import Municipality, Role, ServiceArea, ServiceType, Unit, User

MUNICIPALITY = {"name": "Drammen kommune", "slug": "drammen", "number": "3301"}
SERVICE_AREA = {"code": "05", "name": "Helse, sosial og omsorg"}

# Units of the service area outside the districts: (name, code, service type codes).
CENTRAL_UNITS = [
    ("NAV Drammen", "NAV", ["nav_social_services"]),
    ("Senter for rusforebygging", "SRF", ["substance_abuse"]),
    ("Psykiske helsetjenester", "PHT", ["mental_health"]),
    ("Helsetjenesten", "HT", ["physio_occupational_therapy"]),
    (
        "Helsehuset",
        "HH",
        ["nursing_home_short_term", "rehabilitation", "acute_beds", "palliative_care"],
    ),
    ("Tilrettelagte tjenester", "TT", ["adapted_services", "respite_care"]),
    ("Tjenestetildeling og samordning", "TTS", ["service_allocation", "safety_alarm"]),
    ("Skap Gode Dager", "SGD", ["courses_and_training"]),
]

# (district name, code, street address of its main building).
DISTRICTS = [
    ("Konnerud HOD", "KON", "Torsbergveien 8"),
    ("Fjell HOD", "FJE", "Fjellsveien 12"),
    ("Strømsø HOD", "STR", "Tordenskiolds gate 20"),
    ("Bragernes HOD", "BRA", "Austadveien 4"),
    ("Åssiden HOD", "ASS", "Buskerudveien 95"),
    ("Gulskogen HOD", "GUL", "Kniveveien 50"),
    ("Tangen HOD", "TAN", "Tangenkaia 3"),
    ("Danvik HOD", "DAN", "Danvikgata 30"),
]

# The units inside every district, after Konnerud's fact sheet: (suffix, code, types).
DISTRICT_UNITS = [
    (
        "bo- og behandlingssenter",
        "BBS",
        ["nursing_home_long_term", "nursing_home_short_term", "volunteer_cooperation"],
    ),
    (
        "hjemmetjeneste",
        "HJT",
        ["home_nursing", "practical_assistance", "preventive_home_visits", "sheltered_housing"],
    ),
    ("dagsenter", "DAG", ["day_centre"]),
]

# Staff in each role: (username, first name, last name, role, unit code or None).
PEOPLE = [
    ("admin", "Ingrid", "Solberg", Role.SYSTEM_ADMIN, None),
    ("kvalitet", "Kari", "Nordmann", Role.QUALITY_ADVISER, None),
    ("leder.konnerud", "Ola", "Hansen", Role.UNIT_MANAGER, "KON-BBS"),
    ("ansatt.konnerud", "Fatima", "Ali", Role.UNIT_STAFF, "KON-BBS"),
    ("leder.helsehuset", "Per", "Johansen", Role.UNIT_MANAGER, "HH"),
    ("brukerrad.konnerud", "Astrid", "Berg", Role.COUNCIL_MEMBER, "KON-BBS"),
    ("politiker", "Jon", "Lie", Role.POLITICIAN, None),
]


@dataclass(frozen=True)
class DemoResult:
    municipality: Municipality
    created: bool
    usernames: list[str]


def demo_password() -> str:
    """A fresh password, easy to type from the console: four groups of four letters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


@transaction.atomic
def load_demo(*, password: str) -> DemoResult:
    """Create the demo municipality with its staff, unless it exists already."""
    usernames = [person[0] for person in PEOPLE]
    existing = Municipality.objects.filter(slug=MUNICIPALITY["slug"]).first()
    if existing is not None:
        return DemoResult(existing, created=False, usernames=usernames)

    # No phone needed to try the demo; README says how to turn two-factor sign-in on.
    municipality = services.municipality_create(
        actor=None, two_factor_required=False, **MUNICIPALITY
    )
    area = services.service_area_create(actor=None, municipality=municipality, **SERVICE_AREA)
    types = {t.code: t for t in ServiceType.objects.filter(municipality__isnull=True)}
    units: dict[str, Unit] = {}

    for name, code, type_codes in CENTRAL_UNITS:
        units[code] = _unit(area, None, name, code, "Engene 1", type_codes, types)

    for district_name, district_code, address in DISTRICTS:
        district = services.district_create(
            actor=None, service_area=area, name=district_name, code=district_code
        )
        place_name = district_name.removesuffix(" HOD")
        for suffix, unit_code, type_codes in DISTRICT_UNITS:
            code = f"{district_code}-{unit_code}"
            units[code] = _unit(
                area, district, f"{place_name} {suffix}", code, address, type_codes, types
            )

    for username, first_name, last_name, role, unit_key in PEOPLE:
        services.user_create(
            actor=None,
            municipality=municipality,
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.org",
            password=password,
            role=role,
            unit=units[unit_key] if unit_key else None,
            service_area=area if role == Role.QUALITY_ADVISER else None,
        )
    return DemoResult(municipality, created=True, usernames=usernames)


def _unit(
    area: ServiceArea,
    district: object,
    name: str,
    code: str,
    street_address: str,
    type_codes: list[str],
    types: dict[str, ServiceType],
) -> Unit:
    unit = services.unit_create(
        actor=None,
        service_area=area,
        data={
            "name": name,
            "code": code,
            "district": district,
            "street_address": street_address,
            "postal_code": "3045" if district is None else "3030",
            "place": "Drammen",
            "phone": "32 04 00 00",
            "email": f"{code.lower()}@example.org",
        },
    )
    for type_code in type_codes:
        services.unit_service_add(actor=None, unit=unit, service_type=types[type_code])
    return unit


def reset_demo_passwords(*, password: str) -> list[User]:
    """Give the demo staff a new password (when the one printed before is lost)."""
    people = list(User.objects.filter(username__in=[person[0] for person in PEOPLE]))
    for person in people:
        person.set_password(password)
        person.save(update_fields=["password"])
    return people
