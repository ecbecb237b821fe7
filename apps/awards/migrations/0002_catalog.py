"""The starting catalog: titles and forms of Law 06/2022/QH15, the prize coefficients DOMAIN.md §4
lists, and the base salary with its dates. Further versions are added through the services."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP"
DECIDES_UNIT = "Thủ trưởng cơ quan, đơn vị"
DECIDES_PROVINCE = "Bộ trưởng, Thủ trưởng ban, bộ, ngành, đoàn thể trung ương; Chủ tịch UBND tỉnh"
DECIDES_PM = "Thủ tướng Chính phủ"
# (code, name, category, recipient, decided by, coefficient or None)
CATALOG = [
    ("lao-dong-tien-tien", "Lao động tiên tiến", "title", "individual", DECIDES_UNIT, "0.3"),
    ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", "title", "individual", DECIDES_UNIT, "1.0"),
    ("chien-si-thi-dua-tinh", "Chiến sĩ thi đua bộ, ban, ngành, tỉnh", "title", "individual", DECIDES_PROVINCE, "3.0"),
    ("chien-si-thi-dua-toan-quoc", "Chiến sĩ thi đua toàn quốc", "title", "individual", DECIDES_PM, "4.5"),
    ("tap-the-lao-dong-tien-tien", "Tập thể lao động tiên tiến", "title", "collective", DECIDES_UNIT, "0.8"),
    ("tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc", "title", "collective", DECIDES_PROVINCE, "1.5"),
    ("co-thi-dua-tinh", "Cờ thi đua của bộ, ban, ngành, tỉnh", "title", "collective", DECIDES_PROVINCE, "8.0"),
    ("co-thi-dua-chinh-phu", "Cờ thi đua của Chính phủ", "title", "collective", DECIDES_PM, "12.0"),
    ("bang-khen-thu-tuong-tap-the", "Bằng khen của Thủ tướng Chính phủ (tập thể)", "form", "collective", DECIDES_PM, None),
    ("bang-khen-thu-tuong-ca-nhan", "Bằng khen của Thủ tướng Chính phủ (cá nhân)", "form", "individual", DECIDES_PM, None),
    ("bang-khen-tinh-tap-the", "Bằng khen của bộ, ban, ngành, tỉnh (tập thể)", "form", "collective", DECIDES_PROVINCE, None),
    ("bang-khen-tinh-ca-nhan", "Bằng khen của bộ, ban, ngành, tỉnh (cá nhân)", "form", "individual", DECIDES_PROVINCE, None),
    ("giay-khen-tap-the", "Giấy khen (tập thể)", "form", "collective", DECIDES_UNIT, None),
    ("giay-khen-ca-nhan", "Giấy khen (cá nhân)", "form", "individual", DECIDES_UNIT, None),
]
BASE_SALARY = [
    (1_800_000, dt.date(2023, 7, 1), dt.date(2024, 6, 30), "Nghị định 24/2023/NĐ-CP"),
    (2_340_000, dt.date(2024, 7, 1), None, "Nghị định 73/2024/NĐ-CP"),
]


def add(apps, schema_editor):
    award_type = apps.get_model("awards", "AwardType")
    coefficient = apps.get_model("awards", "PrizeCoefficient")
    salary = apps.get_model("awards", "BaseSalary")
    for position, (code, name, category, recipient, decided_by, value) in enumerate(CATALOG, 1):
        row, _ = award_type.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "recipient": recipient,
                "decided_by": decided_by,
                "position": position,
            },
        )
        if value and not coefficient.objects.filter(award_type=row).exists():
            coefficient.objects.create(
                award_type=row,
                coefficient=Decimal(value),
                valid_from=dt.date(2024, 1, 1),
                source=LAW,
            )
    for amount, valid_from, valid_to, source in BASE_SALARY:
        salary.objects.get_or_create(
            valid_from=valid_from,
            defaults={"amount": amount, "valid_to": valid_to, "source": source},
        )


def remove(apps, schema_editor):
    apps.get_model("awards", "PrizeCoefficient").objects.all().delete()
    apps.get_model("awards", "BaseSalary").objects.all().delete()
    apps.get_model("awards", "AwardType").objects.filter(code__in=[c[0] for c in CATALOG]).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
