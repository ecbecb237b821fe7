"""The starting rule set and the default certificate template.

Every rule of Decree 98/2023/NĐ-CP is in force from 01/01/2024 (with Law 06/2022/QH15) until
30/06/2025; Decree 152/2025/NĐ-CP replaced it from 01/07/2025, so each rule has a second version
citing it, and the rule that no award is given while a discipline, inspection or complaint is
pending starts then. Every award is given once per year and recipient. Administrators add later versions through the rules page."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

LAW_98 = "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP"
LAW_152 = "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP"
START = dt.date(2024, 1, 1)
END_98 = dt.date(2025, 6, 30)
START_152 = dt.date(2025, 7, 1)

# (award code, kind, years, required award code, percent)
RULES = [
    ("co-thi-dua-tinh", "leads_cluster", None, None, None),
    ("co-thi-dua-tinh", "ballot_required", None, None, None),
    ("co-thi-dua-tinh", "quota", None, None, None),
    ("co-thi-dua-chinh-phu", "leads_cluster", None, None, None),
    ("co-thi-dua-chinh-phu", "share_of_leaders", None, None, "20"),
    ("co-thi-dua-chinh-phu", "ballot_required", None, None, None),
    ("co-thi-dua-chinh-phu", "quota", None, None, None),
    ("chien-si-thi-dua-co-so", "ballot_required", None, None, None),
    ("chien-si-thi-dua-tinh", "consecutive", 3, "chien-si-thi-dua-co-so", None),
    ("chien-si-thi-dua-tinh", "ballot_required", None, None, None),
    ("chien-si-thi-dua-toan-quoc", "consecutive", 2, "chien-si-thi-dua-tinh", None),
    ("tap-the-lao-dong-xuat-sac", "share_ldtt", None, None, "70"),
    ("tap-the-lao-dong-tien-tien", "share_ldtt", None, None, "70"),
    ("bang-khen-thu-tuong-tap-the", "quota", None, None, None),
]

A4_LANDSCAPE_LAYOUT = [
    {"field": "issuing_body", "x": 148.5, "y": 30, "size": 15, "style": "bold", "align": "center", "upper": True},
    {"field": "party", "x": 148.5, "y": 38, "size": 13, "style": "regular", "align": "center"},
    {"field": "award_name", "x": 148.5, "y": 66, "size": 34, "style": "bold", "align": "center", "upper": True, "color": "#b00000"},
    {"field": "intro", "x": 148.5, "y": 82, "size": 15, "style": "italic", "align": "center"},
    {"field": "recipient", "x": 148.5, "y": 100, "size": 24, "style": "bold", "align": "center", "width": 240},
    {"field": "reason", "x": 148.5, "y": 120, "size": 15, "style": "regular", "align": "center", "width": 230},
    {"field": "decision", "x": 40, "y": 160, "size": 12, "style": "italic", "align": "left"},
    {"field": "certificate_number", "x": 40, "y": 167, "size": 12, "style": "regular", "align": "left"},
    {"field": "place_date", "x": 215, "y": 150, "size": 13, "style": "italic", "align": "center"},
    {"field": "signer_title", "x": 215, "y": 158, "size": 13, "style": "bold", "align": "center", "upper": True},
    {"field": "signer", "x": 215, "y": 188, "size": 14, "style": "bold", "align": "center"},
]


def add(apps, schema_editor):
    award_type = apps.get_model("awards", "AwardType")
    rule = apps.get_model("awards", "AwardRule")
    template = apps.get_model("awards", "CertificateTemplate")
    types = {t.code: t for t in award_type.objects.all()}
    for code, kind, years, required, percent in RULES:
        for valid_from, valid_to, source in ((START, END_98, LAW_98), (START_152, None, LAW_152)):
            rule.objects.get_or_create(
                award_type=types[code],
                kind=kind,
                valid_from=valid_from,
                defaults={
                    "valid_to": valid_to,
                    "source": source,
                    "years": years,
                    "required_award": types[required] if required else None,
                    "percent": Decimal(percent) if percent else None,
                },
            )
    for t in types.values():
        rule.objects.get_or_create(
            award_type=t,
            kind="no_pending_case",
            valid_from=START_152,
            defaults={"source": LAW_152},
        )
        # The same award once per year and recipient (a file sent twice, a record from paper).
        rule.objects.get_or_create(
            award_type=t,
            kind="not_yet_awarded",
            valid_from=START,
            defaults={"source": "Luật Thi đua, khen thưởng số 06/2022/QH15"},
        )
    if not template.objects.filter(award_type=None).exists():
        template.objects.create(
            name="Mẫu chung (A4 ngang)", landscape=True, draw_border=True, layout=A4_LANDSCAPE_LAYOUT
        )


def remove(apps, schema_editor):
    apps.get_model("awards", "AwardRule").objects.all().delete()
    apps.get_model("awards", "CertificateTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_proposals")]
    operations = [migrations.RunPython(add, remove)]
