from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    from apps.core.text import fold, vi_collation_key

    Unit = apps.get_model("organizations", "Unit")
    for unit in Unit.objects.all():
        rank = "0" if unit.kind == "central" else "1"
        unit.sort_key = rank + vi_collation_key(f"{unit.short_name} {unit.name}")[:999]
        unit.search_name = fold(f"{unit.short_name} {unit.name}")
        unit.save(update_fields=["sort_key", "search_name"])


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=1000, verbose_name="sort key"
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="unit",
            options={
                "ordering": ["sort_key", "id"],
                "verbose_name": "unit",
                "verbose_name_plural": "units",
            },
        ),
        migrations.AlterModelOptions(
            name="unitsuccession",
            options={
                "ordering": ["effective_date", "successor__sort_key", "predecessor__sort_key"],
                "verbose_name": "unit succession",
                "verbose_name_plural": "unit successions",
            },
        ),
        migrations.AlterModelOptions(
            name="termmembership",
            options={
                "ordering": ["term_id", "unit__sort_key"],
                "verbose_name": "term membership",
                "verbose_name_plural": "term memberships",
            },
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
