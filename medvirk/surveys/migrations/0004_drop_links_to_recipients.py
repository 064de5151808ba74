"""Round keys and access codes apart from recipients (step 3 of 3: the old links go).

A recipient no longer has a code hash or a used flag, a draft no longer points at a
recipient nor holds its answers in plain, and a response no longer keeps its language.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0003_move_codes_to_round_keys'),
    ]

    operations = [
        migrations.RemoveField(model_name='draft', name='recipient'),
        migrations.RemoveField(model_name='draft', name='language'),
        migrations.RemoveField(model_name='draft', name='on_behalf'),
        migrations.RemoveField(model_name='draft', name='scores'),
        migrations.RemoveField(model_name='draft', name='importance'),
        migrations.RemoveField(model_name='draft', name='texts'),
        migrations.RemoveField(model_name='draft', name='step'),
        migrations.AlterField(
            model_name='draft',
            name='access_code',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='draft', to='surveys.accesscode'),
        ),
        migrations.RemoveField(model_name='recipient', name='code_hash'),
        migrations.RemoveField(model_name='recipient', name='used'),
        migrations.RemoveField(model_name='response', name='language'),
    ]
