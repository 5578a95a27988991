"""Indexes for the workspace's case list on PostgreSQL: trigram indexes for the free-text
search (names, e-mail, phone, reference); a covering index so that the list's id query
(newest first, filtered by region, coordinator, status or source) is an index-only scan on
any page; an index for sorting by follow-up date.

Trigram indexes exist only on PostgreSQL; on SQLite (development) this migration does
nothing, which is fine for a few hundred rows.
"""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("coordinators_returnee_first_name_trgm", "coordinators_returnee", "UPPER(first_name)"),
    ("coordinators_returnee_last_name_trgm", "coordinators_returnee", "UPPER(last_name)"),
    ("coordinators_returnee_email_trgm", "coordinators_returnee", "UPPER(email)"),
    ("coordinators_returnee_phone_trgm", "coordinators_returnee", "phone"),
    ("coordinators_case_reference_trgm", "coordinators_case", "UPPER(reference)"),
]

OTHER_INDEXES = [
    (
        "coordinators_case_list_newest_idx",
        "coordinators_case (created_at DESC, id DESC) "
        "INCLUDE (planning_region_id, coordinator_id, status, source)",
    ),
    ("coordinators_case_list_follow_up_idx", "coordinators_case (next_follow_up, id)"),
]


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )
    for name, definition in OTHER_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    names = [index[0] for index in TRIGRAM_INDEXES + OTHER_INDEXES]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("coordinators", "0002_caseevent_index_for_reports")]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
