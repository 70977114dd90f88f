# It told when a man's kept standing counts were out of date; they are no longer kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0002_standing_version"),
    ]

    operations = [
        migrations.RemoveField(model_name="participant", name="standing_version"),
    ]
