"""Drop the ``_like`` copies of the citizen ID and card number indexes (PostgreSQL only).

Django adds a ``varchar_pattern_ops`` index next to every unique ``CharField`` on PostgreSQL, for
``LIKE 'x%'``. Citizen IDs and card numbers are only ever looked up whole (the unique indexes serve
that), so the copies cost 330 MB on the national data set and two index updates per inserted
member for nothing (docs/benchmarks.md, import).
"""

from django.db import migrations

FIELDS = ("cccd", "card_number")


def _like_name(schema_editor, model, column):
    return schema_editor._create_index_name(model._meta.db_table, [column], suffix="_like")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("members", "Member")
    for name in FIELDS:
        column = model._meta.get_field(name).column
        schema_editor.execute(
            f"DROP INDEX IF EXISTS {schema_editor.quote_name(_like_name(schema_editor, model, column))}"
        )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("members", "Member")
    for name in FIELDS:
        sql = schema_editor._create_like_index_sql(model, model._meta.get_field(name))
        if sql is not None:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0013_member_name_search"),
    ]

    operations = [migrations.RunPython(drop, create)]
