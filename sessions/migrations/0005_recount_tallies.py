from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

# The tallies as `sessions.tallies` counted them when this migration was written, frozen here
# (a migration must not follow the app's code: a field counted later would not exist in
# these historical models). Tally field -> the session's attendance rows it counts.
KINDS = ["emotional", "verbal", "physical", "sexual", "economic", "patrimonial", "digital"]
COUNTED = {
    "expected": Q(),
    "attended": Q(attendances__status__in=["present", "late"]),
    "check_ins": ~Q(attendances__violence=""),
    "reported": Q(attendances__violence="yes"),
    "declined": Q(attendances__violence="declined"),
    **{kind: Q(**{f"attendances__violence_{kind}": True}) for kind in KINDS},
}


def recount_all(apps, schema_editor):
    """Tally the sessions recorded before tallies existed. (The men's kept figures need no
    step: a man without a kept row has his computed at the next refresh.)"""
    session_model = apps.get_model("group_sessions", "GroupSession")
    tally_model = apps.get_model("group_sessions", "SessionTally")
    through = session_model.facilitators.through.objects.filter(groupsession=OuterRef("pk"))
    facilitators = Coalesce(
        Subquery(
            through.order_by().values("groupsession").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
    sessions = (
        session_model.objects.order_by()
        .annotate(
            **{f"n_{name}": Count("attendances", filter=q) for name, q in COUNTED.items()},
            n_facilitators=facilitators,
        )
        .values_list("pk", "group_id", "date", *(f"n_{name}" for name in COUNTED), "n_facilitators")
    )
    fields = [*COUNTED, "facilitators"]
    tally_model.objects.bulk_create(
        [
            tally_model(session_id=pk, group_id=group_id, date=date, **dict(zip(fields, counts)))
            for pk, group_id, date, *counts in sessions.iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("group_sessions", "0004_derived_figures")]

    operations = [migrations.RunPython(recount_all, migrations.RunPython.noop)]
