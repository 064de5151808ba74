"""Round keys and access codes apart from recipients (step 1 of 3: the new columns).

See 0003 for how existing rounds move over and docs/threat-model.md for why.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0003_municipality_results_min_n'),
        ('surveys', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='round',
            name='code_scheme',
            field=models.CharField(choices=[('round-key', "12 characters with a check character, from the round's key"), ('legacy-8', "8 characters, from the installation's secret (older rounds)")], default='round-key', editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name='round',
            name='key_fingerprint',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='recipient',
            name='code_seed',
            field=models.CharField(editable=False, max_length=120),
        ),
        migrations.CreateModel(
            name='AccessCode',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('lookup', models.CharField(max_length=64, unique=True)),
                ('audience', models.CharField(choices=[('users', 'Users'), ('relatives', 'Relatives')], max_length=10)),
                ('sealed_language', models.CharField(max_length=80)),
                ('used', models.BooleanField(default=False)),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_codes', to='surveys.round')),
                ('service_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.servicetype')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.unit')),
            ],
            options={
                'verbose_name': 'access code',
                'verbose_name_plural': 'access codes',
            },
        ),
        migrations.AddField(
            model_name='draft',
            name='access_code',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='draft', to='surveys.accesscode'),
        ),
        migrations.AddField(
            model_name='draft',
            name='sealed',
            field=models.TextField(default=''),
            preserve_default=False,
        ),
    ]
