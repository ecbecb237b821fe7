"""The indicators the seeds' reports quote, as the starting catalog (editable later as data)."""

from django.db import migrations

INDICATORS = [
    ("schemes_advised", "Đề án tham mưu ban hành", "count"),
    ("resolutions_advised", "Nghị quyết tham mưu ban hành", "count"),
    ("regulations_advised", "Quy định, quy chế tham mưu ban hành", "count"),
    ("good_practices", "Mô hình hay, cách làm mới", "count"),
    ("party_cards_renewed", "Thẻ đảng viên được đổi", "count"),
    ("members_with_cccd_pct", "Tỷ lệ đảng viên cập nhật số CCCD", "percent"),
    ("members_good_or_better_pct", "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", "percent"),
    ("orgs_good_or_better_pct", "Tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ trở lên", "percent"),
    ("inspections", "Cuộc kiểm tra", "count"),
    ("supervisions", "Cuộc giám sát", "count"),
    ("support_money", "Kinh phí hỗ trợ xây nhà tình nghĩa", "money"),
]


def add(apps, schema_editor):
    indicator = apps.get_model("emulation", "Indicator")
    for position, (code, name, measure) in enumerate(INDICATORS, start=1):
        indicator.objects.update_or_create(
            code=code, defaults={"name": name, "measure": measure, "position": position}
        )


def remove(apps, schema_editor):
    apps.get_model("emulation", "Indicator").objects.filter(
        code__in=[code for code, _, _ in INDICATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("emulation", "0002_year_reviews_scoring")]
    operations = [migrations.RunPython(add, remove)]
