"""Add Municipality.two_factor_required.

The municipalities that exist when this runs get the installation's default
(settings.MEDVIRK_TWO_FACTOR_DEFAULT): on under the production settings, so that an upgrade
asks system administrators and quality advisers for a phone at their next sign-in; off under
the development settings (make run), so that a demo database keeps working as it did.
"""

from django.conf import settings
from django.db import migrations, models

import medvirk.organisation.models


def apply_installation_default(apps, schema_editor):
    Municipality = apps.get_model("organisation", "Municipality")
    Municipality.objects.update(two_factor_required=bool(settings.MEDVIRK_TWO_FACTOR_DEFAULT))


class Migration(migrations.Migration):

    dependencies = [
        ("organisation", "0003_municipality_results_min_n"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="two_factor_required",
            field=models.BooleanField(
                default=medvirk.organisation.models.two_factor_default,
                help_text="System administrators and quality advisers, who can see recipients' names and addresses and the answer file, must confirm each sign-in with a code from an app on their phone.",
                verbose_name="require two-factor sign-in",
            ),
        ),
        migrations.RunPython(apply_installation_default, migrations.RunPython.noop),
    ]
