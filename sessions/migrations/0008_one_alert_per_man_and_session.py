"""One alert per man and session, listing its reasons: the alerts that one check-in raised
for several reasons (say physical violence and the safety flag) become one. It is open if
any of them was; otherwise it keeps the last acknowledgement and every note."""

from django.db import migrations, models
from django.db.models import Q


def merge_alerts(apps, schema_editor):
    SafetyAlert = apps.get_model("group_sessions", "SafetyAlert")
    fields = {"physical": "physical", "sexual": "sexual", "flag": "flagged"}
    kept = {}
    for alert in SafetyAlert.objects.order_by("created_at", "pk"):
        key = (alert.session_id, alert.participant_id)
        first = kept.setdefault(key, alert)
        setattr(first, fields[alert.reason], True)
        if first is alert:
            continue
        if alert.acknowledged_at is None or first.acknowledged_at is None:
            first.acknowledged_at = first.acknowledged_by_id = None
            first.acknowledgement_note = ""
        elif alert.acknowledged_at > first.acknowledged_at:
            first.acknowledged_at = alert.acknowledged_at
            first.acknowledged_by_id = alert.acknowledged_by_id
        if first.acknowledged_at and alert.acknowledgement_note:
            notes = [first.acknowledgement_note, alert.acknowledgement_note]
            first.acknowledgement_note = "\n".join(n for n in notes if n)
        alert.delete()
    for alert in kept.values():
        alert.save()


class Migration(migrations.Migration):
    dependencies = [
        ("group_sessions", "0007_standing_views"),
    ]

    operations = [
        migrations.AddField(
            model_name="safetyalert",
            name="physical",
            field=models.BooleanField(default=False, verbose_name="Physical violence reported"),
        ),
        migrations.AddField(
            model_name="safetyalert",
            name="sexual",
            field=models.BooleanField(default=False, verbose_name="Sexual violence reported"),
        ),
        migrations.AddField(
            model_name="safetyalert",
            name="flagged",
            field=models.BooleanField(default=False, verbose_name="Flagged by a facilitator"),
        ),
        migrations.RunPython(merge_alerts, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="safetyalert", name="alert_once_per_reason"),
        migrations.RemoveConstraint(model_name="safetyalert", name="alert_valid_reason"),
        migrations.RemoveField(model_name="safetyalert", name="reason"),
        migrations.AddConstraint(
            model_name="safetyalert",
            constraint=models.UniqueConstraint(
                fields=("session", "participant"), name="alert_once_per_man_and_session"
            ),
        ),
        migrations.AddConstraint(
            model_name="safetyalert",
            constraint=models.CheckConstraint(
                condition=Q(physical=True) | Q(sexual=True) | Q(flagged=True),
                name="alert_has_a_reason",
            ),
        ),
    ]
