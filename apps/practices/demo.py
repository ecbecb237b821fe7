"""Illustrative good practices of cluster 1 in 2025, from the seeds' themes (the seeds give only
counts: 124 in 2023, 49 in 2024). Entered through the services; idempotent."""

from __future__ import annotations

import datetime as dt

from apps.practices import services
from apps.practices.models import GoodPractice

NOTE = "Nội dung minh họa, xây dựng từ chủ đề các bài báo nguồn."
# (unit, field, title, description, recognition (date, body) or None, adoptions [(unit, date)])
PRACTICES = [
    (
        "Hà Nội",
        "digital",
        "Sổ tay đảng viên điện tử cập nhật dữ liệu đảng viên theo thời gian thực",
        "Chi bộ cập nhật biến động đảng viên trên Sổ tay đảng viên điện tử; Ban Tổ chức Thành ủy "
        "đối soát với cơ sở dữ liệu đảng viên hằng tuần. " + NOTE,
        (dt.date(2025, 10, 15), "Ban Tổ chức Trung ương (minh họa)"),
        [("Phú Thọ", dt.date(2025, 11, 1)), ("Cao Bằng", dt.date(2025, 11, 10))],
    ),
    (
        "Phú Thọ",
        "members",
        "Chuẩn hóa dữ liệu đảng viên gắn với căn cước công dân sau hợp nhất tỉnh",
        "Đối chiếu hồ sơ đảng viên của ba tỉnh cũ với số căn cước công dân, xử lý trùng lặp "
        "trước khi chuyển sinh hoạt đảng. " + NOTE,
        (dt.date(2025, 11, 20), "Ban Tổ chức Trung ương (minh họa)"),
        [("Tuyên Quang", dt.date(2025, 11, 25))],
    ),
    (
        "Thái Nguyên",
        "apparatus",
        "Quy trình ba bước sắp xếp tổ chức bộ máy khi hợp nhất tỉnh",
        "Rà soát – phương án – bàn giao, mỗi bước có biểu mẫu và mốc thời gian. " + NOTE,
        None,
        [],
    ),
    (
        "Lào Cai",
        "cadres",
        "Đánh giá cán bộ theo kết quả, sản phẩm cụ thể hằng quý",
        "Mỗi cán bộ đăng ký sản phẩm đầu quý; cuối quý đánh giá theo mức hoàn thành. " + NOTE,
        None,
        [],
    ),
]


def load_demo_practices(*, units: dict) -> int:
    """``units``: the current units by short name. Returns the number of practices written."""
    written = 0
    for unit_name, field, title, description, recognition, adoptions in PRACTICES:
        if GoodPractice.objects.filter(title=title).exists():
            continue
        practice = services.practice_create(
            actor=None,
            unit=units[unit_name],
            year=2025,
            field=field,
            title=title,
            description=description,
        )
        if recognition:
            services.practice_recognise(
                actor=None,
                practice=practice,
                recognised_on=recognition[0],
                recognised_by=recognition[1],
            )
        for adopter, day in adoptions:
            services.practice_adopt(
                actor=None, practice=practice, unit=units[adopter], adopted_on=day
            )
        written += 1
    return written
