"""The built-in catalogue of service types (see medvirk/organisation/catalogue.py).

Names are stored in bokmål; pages show the translated label from the catalogue. A type
added to the catalogue later gets a migration of its own.
"""

from django.db import migrations

BUILT_IN = [
    ("home_nursing", "Hjemmesykepleie"),
    ("practical_assistance", "Praktisk bistand / hjemmehjelp"),
    ("day_centre", "Dagsenter"),
    ("nursing_home_long_term", "Sykehjem, langtidsopphold"),
    ("nursing_home_short_term", "Sykehjem, korttidsopphold"),
    ("sheltered_housing", "Omsorgsbolig / servicebolig"),
    ("preventive_home_visits", "Forebyggende hjemmebesøk"),
    ("mental_health", "Psykisk helsetjeneste"),
    ("substance_abuse", "Rustjeneste"),
    ("nav_social_services", "NAV sosiale tjenester"),
    ("adapted_services", "Tilrettelagte tjenester (utviklingshemming)"),
    ("respite_care", "Avlastning"),
    ("personal_assistance", "Brukerstyrt personlig assistanse (BPA)"),
    ("rehabilitation", "Rehabilitering"),
    ("acute_beds", "Øyeblikkelig hjelp døgnopphold"),
    ("palliative_care", "Lindrende behandling"),
    ("physio_occupational_therapy", "Fysioterapi og ergoterapi"),
    ("safety_alarm", "Trygghetsalarm"),
    ("housing_services", "Boligtjenester"),
    ("service_allocation", "Tjenestetildeling"),
    ("volunteer_cooperation", "Samarbeid med frivillige"),
    ("courses_and_training", "Kurs og kompetanseheving"),
]


def add_built_in(apps, schema_editor):
    ServiceType = apps.get_model("organisation", "ServiceType")
    for code, name in BUILT_IN:
        ServiceType.objects.get_or_create(municipality=None, code=code, defaults={"name": name})


def remove_built_in(apps, schema_editor):
    ServiceType = apps.get_model("organisation", "ServiceType")
    ServiceType.objects.filter(municipality=None, code__in=[code for code, _ in BUILT_IN]).delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [migrations.RunPython(add_built_in, remove_built_in)]
