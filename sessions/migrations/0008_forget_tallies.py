from django.db import migrations


def forget_tallies(apps, schema_editor):
    """The tallies are recounted (0010) with the group and date they now copy (0009); in its
    own migration, as PostgreSQL adds no index to a table with rows changed in the same
    transaction."""
    apps.get_model("group_sessions", "SessionTally").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("group_sessions", "0007_first_referral_source")]

    operations = [migrations.RunPython(forget_tallies, migrations.RunPython.noop)]
