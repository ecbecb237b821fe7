"""The Party's own forms of commendation (Điều lệ Đảng; Quy định 294-QĐ/TW, 2025): Huy hiệu Đảng and
the Bằng khen / Giấy khen of party committees. They carry no prize coefficient in the catalog; a
central officer adds one if a party document sets it."""

from django.db import migrations

SOURCE = "Điều lệ Đảng; Quy định 294-QĐ/TW (2025)"
CATALOG = [
    ("huy-hieu-dang", "Huy hiệu Đảng", "form", "individual",
     "Ban Thường vụ tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương"),
    ("bang-khen-cap-uy-tap-the", "Bằng khen của cấp ủy đảng (tập thể)", "form", "collective",
     "Ban Thường vụ tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương"),
    ("bang-khen-cap-uy-ca-nhan", "Bằng khen của cấp ủy đảng (cá nhân)", "form", "individual",
     "Ban Thường vụ tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương"),
    ("giay-khen-cap-uy-tap-the", "Giấy khen của cấp ủy đảng (tập thể)", "form", "collective",
     "Ban Thường vụ đảng ủy cấp trên trực tiếp cơ sở, đảng ủy cơ sở"),
    ("giay-khen-cap-uy-ca-nhan", "Giấy khen của cấp ủy đảng (cá nhân)", "form", "individual",
     "Ban Thường vụ đảng ủy cấp trên trực tiếp cơ sở, đảng ủy cơ sở"),
]


def add(apps, schema_editor):
    award_type = apps.get_model("awards", "AwardType")
    rule = apps.get_model("awards", "AwardRule")
    import datetime as dt

    start = (award_type.objects.order_by("-position").values_list("position", flat=True).first() or 0)
    for offset, (code, name, category, recipient, decided_by) in enumerate(CATALOG, 1):
        row, _ = award_type.objects.update_or_create(
            code=code,
            defaults={"name": name, "category": category, "recipient": recipient,
                      "decided_by": decided_by, "position": start + offset},
        )
        if code != "huy-hieu-dang":  # a badge is once per milestone (apps.members), not per year
            rule.objects.get_or_create(
                award_type=row, kind="not_yet_awarded", valid_from=dt.date(2024, 1, 1),
                defaults={"source": SOURCE},
            )


def remove(apps, schema_editor):
    codes = [c[0] for c in CATALOG]
    apps.get_model("awards", "AwardRule").objects.filter(award_type__code__in=codes).delete()
    apps.get_model("awards", "AwardType").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_rules_and_template")]
    operations = [migrations.RunPython(add, remove)]
