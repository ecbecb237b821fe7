"""A trigram index on members' folded names, on PostgreSQL only.

Name search is ``search_name LIKE '%<folded words>%'`` (``search_name__contains``); a btree cannot
serve a pattern with a leading wildcard, so over 5.6 million members it would read the whole table.
A GIN index of pg_trgm trigrams serves it. SQLite (the embedded default) has no pg_trgm: there the
migration does nothing and the search reads the table, which is fine at a province's size.

On a table that already holds millions of rows the CREATE INDEX takes minutes and blocks writes to
the member table meanwhile; run it in a maintenance window (docs/benchmarks.md gives the timing).
"""

from django.db import migrations

INDEX = "member_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other tables may use it, and dropping it needs more rights.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_classification"),
    ]

    operations = [migrations.RunPython(create, drop)]
