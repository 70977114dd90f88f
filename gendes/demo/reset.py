"""Is the database empty, and the wipe behind `seed_demo --reset`."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection

from participants.models import Participant
from programmes.models import Site

APP_LABELS = ["group_sessions", "participants", "programmes", "audit"]


def holds_data():
    return (
        Site.objects.exists() or Participant.objects.exists() or get_user_model().objects.exists()
    )


def tables_to_clear():
    """The tables of the app models, their many-to-many tables and the users'. Models added
    later are found without being listed here."""
    models = [
        model
        for label in APP_LABELS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    models.append(get_user_model())
    # Views (unmanaged models) hold nothing to clear.
    return sorted(
        {model._meta.db_table for model in models if model._meta.managed and not model._meta.proxy}
    )


def clear_all():
    """Delete all the app data and users the way `manage.py flush` does (TRUNCATE on
    PostgreSQL, cascading to the tables that refer to them): deleting through the ORM loads
    every row of a large demo to collect what it protects or cascades to."""
    # PostgreSQL truncates no table with deferred foreign-key checks pending in this
    # transaction (rows written earlier in it): run those checks first.
    connection.check_constraints()
    statements = connection.ops.sql_flush(
        no_style(), tables_to_clear(), reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)
