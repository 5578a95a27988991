"""The case list's folded search text and the duplicate check's keys on the person, filled
for the people already stored; on PostgreSQL a trigram index on the search text (SQLite
has none: the folded column is searched as it is)."""

from django.db import migrations, models

from common.folding import email_local_key, fold, surname_stem

TRIGRAM_INDEX = "coordinators_returnee_search_text_trgm"


def trigram_index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Not TrigramExtension: going back must not drop what migration 0003's indexes use.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON coordinators_returnee "
        "USING gin (search_text gin_trgm_ops)"
    )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def keys_fill(apps, schema_editor):
    """The same values as Returnee.keys_fill (the historical model has no such method)."""
    Returnee = apps.get_model("coordinators", "Returnee")
    people = Returnee.objects.only("pk", "first_name", "last_name", "email").order_by("pk")
    batch = []
    for person in people.iterator(chunk_size=2000):
        text = " ".join(fold(value) for value in (person.first_name, person.last_name, person.email))
        person.search_text = f" {text.strip()} " if text.strip() else ""
        first, surname = fold(person.first_name), surname_stem(person.last_name)
        person.name_key = f"{first} {surname}" if first and surname else ""
        person.email_key = email_local_key(person.email) if person.email else ""
        batch.append(person)
        if len(batch) == 2000:
            Returnee.objects.bulk_update(batch, ["search_text", "name_key", "email_key"])
            batch = []
    Returnee.objects.bulk_update(batch, ["search_text", "name_key", "email_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('coordinators', '0011_personal_link_interaction_from_person'),
    ]

    operations = [
        migrations.AddField(
            model_name='returnee',
            name='email_key',
            field=models.CharField(blank=True, editable=False, max_length=254, verbose_name='e-mail key'),
        ),
        migrations.AddField(
            model_name='returnee',
            name='name_key',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='name key'),
        ),
        migrations.AddField(
            model_name='returnee',
            name='search_text',
            field=models.TextField(blank=True, editable=False, verbose_name='search text'),
        ),
        migrations.AddIndex(
            model_name='returnee',
            index=models.Index(fields=['name_key'], name='returnee_name_key_idx'),
        ),
        migrations.AddIndex(
            model_name='returnee',
            index=models.Index(fields=['email_key'], name='returnee_email_key_idx'),
        ),
        migrations.AddIndex(
            model_name='returnee',
            index=models.Index(fields=['phone'], name='returnee_phone_idx'),
        ),
        migrations.RunPython(keys_fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index_create, trigram_index_drop),
    ]
