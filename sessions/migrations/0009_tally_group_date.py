import datetime

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("group_sessions", "0008_forget_tallies"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessiontally",
            name="group",
            field=models.ForeignKey(
                default=None,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programmes.group",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sessiontally",
            name="date",
            field=models.DateField(default=datetime.date(2000, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="sessiontally",
            index=models.Index(fields=["group", "date"], name="session_tally_by_group_date"),
        ),
    ]
