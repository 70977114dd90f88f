from django.db import migrations


def recount_all(apps, schema_editor):
    """Tally the sessions recorded before tallies existed. (The men's kept figures need no
    step: a man without a kept row has his computed at the next refresh.)"""
    from sessions.tallies import recount

    session_model = apps.get_model("group_sessions", "GroupSession")
    recount(
        session_model.objects.values("pk"),
        session_model=session_model,
        tally_model=apps.get_model("group_sessions", "SessionTally"),
    )


class Migration(migrations.Migration):
    dependencies = [("group_sessions", "0004_derived_figures")]

    operations = [migrations.RunPython(recount_all, migrations.RunPython.noop)]
