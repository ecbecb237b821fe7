"""Name search by word prefix (decision 0007): the folded name's last words in their own columns,
one btree per column with the member's tree path, and the trigram index retired.

On PostgreSQL the columns are filled by one UPDATE (5.6 million members: see docs/benchmarks.md for
the time; it rewrites every row, so VACUUM the table afterwards); elsewhere row by row in batches.
"""

from django.db import migrations, models

TRGM_INDEX = "member_search_trgm"  # migration 0006


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        # First the trigram index: a GIN index makes every updated row slow.
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
        schema_editor.execute(
            "UPDATE members_member m SET "
            "search_last3 = CASE WHEN n >= 4 THEN w[n - 2] || ' ' || w[n - 1] || ' ' || w[n] "
            "ELSE '' END, "
            "search_last2 = CASE WHEN n >= 3 THEN w[n - 1] || ' ' || w[n] ELSE '' END, "
            "search_given = CASE WHEN n >= 2 THEN w[n] ELSE '' END "
            "FROM (SELECT id, w, cardinality(w) AS n FROM "
            "(SELECT id, string_to_array(search_name, ' ') AS w FROM members_member) a) s "
            "WHERE s.id = m.id AND s.n >= 2"
        )
        return
    from apps.members.models import name_tails

    Member = apps.get_model("members", "Member")
    batch = []
    for member in Member.objects.only("search_name").iterator(chunk_size=2000):
        member.search_last3, member.search_last2, member.search_given = name_tails(
            member.search_name
        )
        batch.append(member)
        if len(batch) == 2000:
            Member.objects.bulk_update(batch, ["search_last3", "search_last2", "search_given"])
            batch = []
    Member.objects.bulk_update(batch, ["search_last3", "search_last2", "search_given"])


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON members_member "
            "USING gin (search_name gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_member_person_index"),
        ("organizations", "0002_unit_sort_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="search_given",
            field=models.CharField(default="", editable=False, max_length=60),
        ),
        migrations.AddField(
            model_name="member",
            name="search_last2",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="member",
            name="search_last3",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="memberimportrow",
            name="search_given",
            field=models.CharField(default="", max_length=60),
        ),
        migrations.AddField(
            model_name="memberimportrow",
            name="search_last2",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.AddField(
            model_name="memberimportrow",
            name="search_last3",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.RunPython(fill, unfill),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["search_name", "org_path"],
                name="member_name_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["search_last3", "org_path"],
                name="member_last3_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["search_last2", "org_path"],
                name="member_last2_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["search_given", "org_path"],
                name="member_given_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
