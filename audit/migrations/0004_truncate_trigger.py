"""On PostgreSQL TRUNCATE is refused too, as UPDATE and DELETE are (0002): a row trigger
does not see a TRUNCATE, so a statement-level one stops it.

The one exception is a transaction that says `SET LOCAL audit.allow_truncate = on`: the
test suite's flush between transactional tests (tests/conftest.py), which empties every
table with one TRUNCATE. This is no hole an attacker needs: whoever can run that SQL as the
table's owner could as well drop the trigger; the trigger keeps the application, a script
or a mistaken `manage.py flush` from emptying the trail, and the setting must be named on
purpose, for one transaction only."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('audit.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_action_second_factor_failed")]

    operations = [migrations.RunPython(forwards, backwards)]
