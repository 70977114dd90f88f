from django.db import migrations


def recount_all(apps, schema_editor):
    """Tally every session again, now with its group and date."""
    from sessions.tallies import recount

    session_model = apps.get_model("group_sessions", "GroupSession")
    recount(
        session_model.objects.values("pk"),
        session_model=session_model,
        tally_model=apps.get_model("group_sessions", "SessionTally"),
    )


class Migration(migrations.Migration):
    dependencies = [("group_sessions", "0009_tally_group_date")]

    operations = [migrations.RunPython(recount_all, migrations.RunPython.noop)]
