"""Every municipality has its council settings from the start (services make them with the
municipality); this makes them, with the seed's rules, for those that had none yet."""

from django.db import migrations


def make_missing_settings(apps, schema_editor):
    Municipality = apps.get_model("organisation", "Municipality")
    CouncilSettings = apps.get_model("councils", "CouncilSettings")
    missing = Municipality.objects.filter(council_settings__isnull=True)
    CouncilSettings.objects.bulk_create(
        [CouncilSettings(municipality=municipality) for municipality in missing]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(make_missing_settings, migrations.RunPython.noop),
    ]
