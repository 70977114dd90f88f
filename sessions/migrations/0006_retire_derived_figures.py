# The kept figures (a man's standing counts, a session's tallies, a man's yearly
# participation) are gone: every page and report counts the records themselves.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("group_sessions", "0005_recount_tallies"),
        ("participants", "0003_retire_standing_version"),
    ]

    operations = [
        migrations.DeleteModel(name="KeptStanding"),
        migrations.DeleteModel(name="SessionTally"),
        migrations.DeleteModel(name="YearlyParticipation"),
    ]
