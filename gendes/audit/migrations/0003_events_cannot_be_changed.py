"""On PostgreSQL the database itself refuses to change or delete an audit event, whatever
path a statement takes (the admin is read-only, the app never updates them). One change is
let through: a deleted user's events lose their link to him (ON DELETE SET NULL), and keep
his username. TRUNCATE (Django's flush, `seed_demo --reset`) is not a row change."""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_event_is_final() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND (NEW.id, NEW.username, NEW.action, NEW.object_type, NEW.object_id,
            NEW.participant_id, NEW.detail, NEW.ip_address, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.username, OLD.action, OLD.object_type, OLD.object_id,
            OLD.participant_id, OLD.detail, OLD.ip_address, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_is_final BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_final();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_event_is_final ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_is_final();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_address_and_login_actions")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
