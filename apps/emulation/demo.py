"""An illustrative 2025 pact for cluster 1, built from the seed articles' themes.

Not an official pact text: the description says so. Loaded through the audited services, signed
by all nine members. The signatures are recorded with ``actor=None`` (``signed_by`` empty), the way
signatures from paper records are imported, with the paper date (the 2024 year-end conference):
the demo has leader accounts for only two of the nine boards. Idempotent: when the term
already has a pact nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from apps.emulation import services
from apps.emulation.choices import CriterionKind, ScoringMethod
from apps.emulation.models import Pact
from apps.emulation.selectors import term_member_units
from apps.organizations.models import ClusterTerm

VN = dt.timezone(dt.timedelta(hours=7))
# Signed at the 2024 year-end conference of the cluster (Hà Nội, 30/11/2024), as the paper pact was.
OPENED_AT = dt.datetime(2024, 11, 20, 8, 0, tzinfo=VN)
SIGNED_AT = dt.datetime(2024, 11, 30, 10, 0, tzinfo=VN)
DESCRIPTION = (
    "Nội dung minh họa, xây dựng từ các bài báo nguồn; không phải văn bản giao ước chính thức.\n"
    "8 nhóm nội dung như giao ước năm 2024; tổng điểm các tiêu chí 100, điểm thưởng tối đa 5, "
    "điểm trừ tối đa 5."
)
P, S, X = ScoringMethod.PEERS, ScoringMethod.SELF, ScoringMethod.PANEL

# (code, title, [(title, points, method, evidence)])
GROUPS = [
    (
        "I",
        "Tham mưu sắp xếp, tinh gọn tổ chức bộ máy",
        [
            (
                "Tham mưu đề án sắp xếp tổ chức bộ máy, đơn vị hành chính đúng tiến độ",
                8,
                X,
                "Đề án, tờ trình, nghị quyết đã ban hành",
            ),
            (
                "Tham mưu kiện toàn tổ chức đảng sau hợp nhất, sáp nhập",
                6,
                P,
                "Quyết định thành lập, kiện toàn",
            ),
        ],
    ),
    (
        "II",
        "Công tác cán bộ",
        [
            ("Tham mưu quy hoạch, đào tạo, luân chuyển cán bộ", 6, P, "Quyết định, kế hoạch"),
            (
                "Tham mưu bố trí, sắp xếp cán bộ dôi dư, thực hiện chính sách",
                5,
                P,
                "Báo cáo kết quả, số liệu",
            ),
            ("Tham mưu nhân sự đại hội đảng bộ các cấp", 4, X, "Phương án nhân sự đã thông qua"),
        ],
    ),
    (
        "III",
        "Xây dựng tổ chức cơ sở đảng và đảng viên",
        [
            ("Nâng cao chất lượng sinh hoạt chi bộ", 5, P, "Hướng dẫn, báo cáo kiểm tra"),
            ("Kết nạp đảng viên đạt và vượt chỉ tiêu", 5, S, "Số liệu kết nạp theo quý"),
            (
                "Đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên đúng quy định",
                4,
                P,
                "Báo cáo kết quả xếp loại",
            ),
        ],
    ),
    (
        "IV",
        "Chuẩn hóa dữ liệu đảng viên, thẻ đảng viên và Sổ tay đảng viên điện tử",
        [
            ("Chuẩn hóa, đồng bộ dữ liệu đảng viên với số CCCD", 6, S, "Tỷ lệ hồ sơ đã chuẩn hóa"),
            ("Hoàn thành đổi thẻ đảng viên theo kế hoạch", 6, S, "Số thẻ đã đổi, danh sách"),
            ("Triển khai Sổ tay đảng viên điện tử đến các chi bộ", 4, P, "Tỷ lệ đảng viên sử dụng"),
        ],
    ),
    (
        "V",
        "Bảo vệ chính trị nội bộ",
        [
            ("Thẩm định, xem xét tiêu chuẩn chính trị đúng quy định", 6, P, "Số hồ sơ, văn bản"),
            ("Giải quyết vấn đề chính trị hiện nay kịp thời", 5, X, "Báo cáo kết quả"),
        ],
    ),
    (
        "VI",
        "Phong trào thi đua, mô hình hay, cách làm mới",
        [
            (
                "Phát động, triển khai các phong trào thi đua của ngành và địa phương",
                5,
                P,
                "Kế hoạch, báo cáo sơ kết",
            ),
            ("Xây dựng và nhân rộng mô hình hay, cách làm mới", 6, P, "Mô tả mô hình, xác nhận"),
        ],
    ),
    (
        "VII",
        "Chế độ thông tin, báo cáo và cải cách hành chính",
        [
            (
                "Thực hiện chế độ thông tin, báo cáo đúng hạn, đủ nội dung",
                5,
                X,
                "Sổ theo dõi văn bản của Cụm trưởng",
            ),
            (
                "Ứng dụng công nghệ thông tin, chuyển đổi số trong công tác tổ chức",
                4,
                P,
                "Phần mềm, quy trình đã áp dụng",
            ),
        ],
    ),
    (
        "VIII",
        "Phối hợp trong cụm và công tác thi đua, khen thưởng",
        [
            (
                "Tham gia đầy đủ hoạt động của cụm, hội nghị sơ kết, tổng kết",
                5,
                X,
                "Danh sách tham dự",
            ),
            (
                "Đóng góp kinh phí hỗ trợ xây nhà tình nghĩa cho đồng nghiệp khó khăn",
                5,
                X,
                "Chứng từ chuyển kinh phí",
            ),
        ],
    ),
]
BONUS = ("VI", "Mô hình, cách làm mới được Ban Tổ chức Trung ương ghi nhận, nhân rộng", 5)
PENALTY = ("VII", "Chậm hoặc thiếu báo cáo định kỳ (trừ mỗi lần 1 điểm)", 5)


def load_demo_pact(*, term: ClusterTerm) -> Pact:
    """The illustrative pact for ``term`` (cluster 1, 2025); returns the existing one if any."""
    existing = term.pacts.order_by("version").first()
    if existing is not None:
        return existing
    pact = services.pact_create(
        actor=None,
        term=term,
        title=f"Giao ước thi đua {term.cluster.name} năm {term.year}",
        description=DESCRIPTION,
    )
    groups = {}
    for code, title, criteria in GROUPS:
        group = services.content_group_add(actor=None, pact=pact, code=code, title=title)
        groups[code] = group
        for name, points, method, evidence in criteria:
            services.criterion_add(
                actor=None,
                group=group,
                title=name,
                max_points=Decimal(points),
                scoring_method=method,
                evidence_required=evidence,
            )
    for (code, name, cap), kind in ((BONUS, CriterionKind.BONUS), (PENALTY, CriterionKind.PENALTY)):
        services.criterion_add(
            actor=None,
            group=groups[code],
            title=name,
            max_points=Decimal(cap),
            kind=kind,
            scoring_method=ScoringMethod.PANEL,
            evidence_required="Văn bản ghi nhận" if kind == CriterionKind.BONUS else "Sổ theo dõi",
        )
    services.pact_open_for_signing(actor=None, pact=pact, at=OPENED_AT)
    for unit in term_member_units(term=term):
        services.pact_sign(actor=None, pact=pact, unit=unit, signed_at=SIGNED_AT)
    pact.refresh_from_db()
    return pact
