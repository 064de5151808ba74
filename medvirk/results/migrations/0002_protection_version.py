# Results computed before version 2 of the disclosure control protected hidden cells but not
# every small set of respondents (a service less a shown unit, two hidden units together, one
# statement that few answered). Their figures are taken out here, so no page or file serves them
# in the minutes before the worker's housekeeping computes them again (services.compute_due);
# their state (published or not) stays.

from django.db import migrations, models


def blank_old_figures(apps, schema_editor):
    ResultCell = apps.get_model("results", "ResultCell")
    ResultCell.objects.filter(result_set__protection__lt=2).update(figures=None)


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='resultset',
            name='protection',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='disclosure control version'),
        ),
        migrations.RunPython(blank_old_figures, migrations.RunPython.noop),
    ]
