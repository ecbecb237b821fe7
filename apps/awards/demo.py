"""Award records the seeds report for cluster 1 in 2025, entered as paper records (the articles
give no decision numbers), and the Commission's quota of 5 emulation flags for the sector that
year ("1 trong 5 đơn vị trong toàn ngành … được tặng Cờ thi đua"). Loaded by ``make demo``."""

from __future__ import annotations

from apps.awards import services
from apps.awards.models import AwardQuota, AwardRecord, AwardType

SOURCE = (
    "Tin Hội nghị tổng kết Cụm thi đua số 1 ngày 05/12/2025 (nguồn bài viết; chưa có số quyết định)"
)


def load_demo_awards(*, units, central) -> int:
    """Phú Thọ's 2025 flag of the Commission and certificate of merit of the Prime Minister;
    idempotent. Returns the number of records added."""
    phu_tho = units["Phú Thọ"]
    added = 0
    for code, body in (
        ("co-thi-dua-tinh", central.name),
        ("bang-khen-thu-tuong-tap-the", "Thủ tướng Chính phủ"),
    ):
        award = AwardType.objects.get(code=code)
        if AwardRecord.objects.filter(award_type=award, year=2025, unit=phu_tho).exists():
            continue
        services.award_record_add(
            actor=None,
            award_type=award,
            year=2025,
            unit=phu_tho,
            issuing_body=body,
            source=SOURCE,
        )
        added += 1
    flag = AwardType.objects.get(code="co-thi-dua-tinh")
    if not AwardQuota.objects.filter(receiver=central, year=2025, award_type=flag).exists():
        services.award_quota_set(
            actor=None,
            receiver=central,
            year=2025,
            award_type=flag,
            count=5,
            source="Kết quả khen thưởng năm 2025 của ngành (5 đơn vị được tặng Cờ thi đua)",
        )
    return added
