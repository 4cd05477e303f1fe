"""The audit trail's hash chain: seals, append-only in the database like the events (0002)."""

from django.db import migrations, models

POSTGRES = """
CREATE OR REPLACE FUNCTION safehub_audit_seal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditseal is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditseal_no_update BEFORE UPDATE ON core_auditseal
    FOR EACH ROW EXECUTE FUNCTION safehub_audit_seal_append_only();
CREATE TRIGGER core_auditseal_no_delete BEFORE DELETE ON core_auditseal
    FOR EACH ROW EXECUTE FUNCTION safehub_audit_seal_append_only();
CREATE TRIGGER core_auditseal_no_truncate BEFORE TRUNCATE ON core_auditseal
    FOR EACH STATEMENT EXECUTE FUNCTION safehub_audit_seal_append_only();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS core_auditseal_no_truncate ON core_auditseal;
DROP TRIGGER IF EXISTS core_auditseal_no_delete ON core_auditseal;
DROP TRIGGER IF EXISTS core_auditseal_no_update ON core_auditseal;
DROP FUNCTION IF EXISTS safehub_audit_seal_append_only();
"""
SQLITE = [
    """CREATE TRIGGER core_auditseal_no_update BEFORE UPDATE ON core_auditseal
       BEGIN SELECT RAISE(ABORT, 'core_auditseal is append-only: UPDATE is not allowed'); END;""",
    """CREATE TRIGGER core_auditseal_no_delete BEFORE DELETE ON core_auditseal
       BEGIN SELECT RAISE(ABORT, 'core_auditseal is append-only: DELETE is not allowed'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditseal_no_update;",
    "DROP TRIGGER IF EXISTS core_auditseal_no_delete;",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_partnership_manager_role'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('sealed_at', models.DateTimeField()),
                ('first_event_id', models.BigIntegerField()),
                ('last_event_id', models.BigIntegerField()),
                ('event_count', models.PositiveIntegerField()),
                ('previous_digest', models.CharField(blank=True, max_length=64)),
                ('digest', models.CharField(max_length=64, unique=True)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.RunPython(install, remove),
    ]
