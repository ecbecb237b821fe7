"""The demo data set: the sector, its provincial Organization Boards with the 2025 merger, cluster 1
for 2023–2026 as DOMAIN.md §5 tells it, and one demo account per role.

Everything is written through the audited services. ``load_demo()`` is idempotent: it looks for
each piece first (by its natural key) and only creates what is missing, so a second run writes
nothing and records no audit event. The ``load_demo`` command and the ``demo`` test fixture call it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.accounts.services import user_create
from apps.emulation.demo import load_demo_pact
from apps.organizations.choices import ClusterKind, ProvinceKind, ProvinceScheme, UnitKind
from apps.organizations.management.commands.load_reference import load_reference
from apps.organizations.models import (
    Cluster,
    ClusterTerm,
    Province,
    ProvinceSuccession,
    Sector,
    Unit,
    UnitSuccession,
)
from apps.organizations.services import (
    cluster_create,
    sector_create,
    term_create,
    unit_create,
    unit_merge,
)

DEMO_PASSWORD = "ThiDua@2026"

SECTOR_CODE = "to-chuc-xay-dung-dang"
SECTOR_NAME = "Ngành Tổ chức xây dựng Đảng"
CENTRAL_NAME = "Ban Tổ chức Trung ương"
CENTRAL_SHORT_NAME = "Ban TCTW"

MERGER_DATE = dt.date(2025, 7, 1)
MERGER_LEGAL_BASIS = (
    "Nghị quyết số 202/2025/QH15 của Quốc hội; "
    "hợp nhất đảng bộ tỉnh theo quyết định của Bộ Chính trị"
)

CLUSTER_NUMBER = 1
CLUSTER_NAME = "Cụm thi đua số 1"
CLUSTER_DESCRIPTION = (
    "Các Ban Tổ chức tỉnh ủy, thành ủy khu vực miền núi phía Bắc và Hà Nội "
    "(dữ liệu minh họa theo các bài báo nguồn)"
)

# Province names as in the reference file; 2023–2024 name old-scheme provinces, 2025–2026 new ones.
MEMBERS_2023_2024 = (
    "Tuyên Quang",
    "Bắc Kạn",
    "Cao Bằng",
    "Điện Biên",
    "Hà Giang",
    "Hòa Bình",
    "Lai Châu",
    "Lào Cai",
    "Phú Thọ",
    "Sơn La",
    "Thái Nguyên",
    "Vĩnh Phúc",
    "Yên Bái",
    "Hà Nội",
)
MEMBERS_2025_2026 = (
    "Hà Nội",
    "Thái Nguyên",
    "Tuyên Quang",
    "Cao Bằng",
    "Sơn La",
    "Điện Biên",
    "Lai Châu",
    "Lào Cai",
    "Phú Thọ",
)


@dataclass(frozen=True)
class TermSpec:
    year: int
    scheme: str  # whose boards the names mean: the old provinces' or the new ones'
    members: tuple[str, ...]
    leader: str
    host: str
    review_date: dt.date | None
    notes: str
    deputies: tuple[str, ...] = ()


TERMS = (
    TermSpec(
        year=2023,
        scheme=ProvinceScheme.PRE_2025,
        members=MEMBERS_2023_2024,
        leader="Tuyên Quang",
        host="Tuyên Quang",
        review_date=dt.date(2023, 12, 1),
        notes=(
            "Hội nghị tổng kết ngày 01/12/2023 tại Tuyên Quang, đơn vị Cụm trưởng. "
            "Năm 2023 có 124 mô hình hay, cách làm mới. Giao ước thi đua năm 2024 với "
            "14 nhiệm vụ trọng tâm. Hỗ trợ xây nhà tình nghĩa 70 triệu đồng/địa phương cho "
            "Bắc Kạn, Hà Giang, Hà Nội, Phú Thọ, Vĩnh Phúc. Bàn giao đơn vị Cụm trưởng "
            "năm 2024 cho Ban Tổ chức Thành ủy Hà Nội."
        ),
    ),
    TermSpec(
        year=2024,
        scheme=ProvinceScheme.PRE_2025,
        members=MEMBERS_2023_2024,
        leader="Hà Nội",
        host="Hà Nội",
        review_date=dt.date(2024, 11, 30),
        notes=(
            "Hội nghị tổng kết ngày 30/11/2024 do Ban Tổ chức Thành ủy Hà Nội, đơn vị Cụm "
            "trưởng, tổ chức. Giao ước thi đua năm 2024 gồm 8 nhóm nội dung, nhiệm vụ trọng tâm; "
            "49 mô hình hay, cách làm mới; các đơn vị tham mưu ban hành 25 đề án, 30 nghị quyết, "
            "90 quy định. Hỗ trợ xây nhà tình nghĩa cho 5 đơn vị trong cụm. Ký giao ước thi đua "
            "năm 2025."
        ),
    ),
    TermSpec(
        year=2025,
        scheme=ProvinceScheme.POST_2025,
        members=MEMBERS_2025_2026,
        leader="Phú Thọ",
        host="Phú Thọ",
        review_date=dt.date(2025, 12, 5),
        notes=(
            "Từ 01/07/2025, sau sắp xếp đơn vị hành chính cấp tỉnh, cụm còn 9 đơn vị. "
            "Hội nghị tổng kết ngày 05/12/2025 do Ban Tổ chức Tỉnh ủy Phú Thọ, đơn vị Cụm trưởng, "
            "chủ trì. 9/9 đơn vị hoàn thành chuẩn hóa danh mục tổ chức đảng, dữ liệu đảng viên và "
            "cập nhật căn cước công dân của đảng viên; 100% đơn vị hoàn thành đổi thẻ đảng viên và "
            "triển khai Sổ tay đảng viên điện tử. Ban Tổ chức Tỉnh ủy Phú Thọ là 1 trong 5 đơn vị "
            "toàn ngành được tặng Cờ thi đua của Ban Tổ chức Trung ương và 1 trong 8 Ban Tổ chức "
            "trong toàn quốc được tặng Bằng khen của Thủ tướng Chính phủ. Trao kinh phí hỗ trợ "
            "xây nhà tình nghĩa cho Cao Bằng, Thái Nguyên, Sơn La."
        ),
    ),
    TermSpec(
        year=2026,
        scheme=ProvinceScheme.POST_2025,
        members=MEMBERS_2025_2026,
        leader="Cao Bằng",
        deputies=("Lào Cai", "Lai Châu"),
        host="Cao Bằng",
        review_date=None,
        notes=(
            "Cụm trưởng năm 2026: Ban Tổ chức Tỉnh ủy Cao Bằng; cụm phó: Lào Cai, Lai Châu "
            "(bầu tại hội nghị ngày 05/12/2025). Các đơn vị ký giao ước thi đua năm 2026."
        ),
    ),
)


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    full_name: str
    unit: str  # CENTRAL_SHORT_NAME, or a province of the new scheme
    job_title: str = ""
    is_staff: bool = False
    is_superuser: bool = False


USERS = (
    UserSpec(
        "admin",
        Role.ADMIN,
        "Quản trị hệ thống",
        CENTRAL_SHORT_NAME,
        job_title="Quản trị hệ thống",
        is_staff=True,
        is_superuser=True,
    ),
    UserSpec(
        "tw.chuyenvien", Role.CENTRAL_OFFICER, "Trần Thị Hoa", CENTRAL_SHORT_NAME, "Chuyên viên"
    ),
    UserSpec("phutho.lanhdao", Role.UNIT_LEADER, "Nguyễn Văn Minh", "Phú Thọ", "Phó Trưởng ban"),
    UserSpec("phutho.chuyenvien", Role.UNIT_OFFICER, "Lê Thị Lan", "Phú Thọ", "Chuyên viên"),
    UserSpec("caobang.lanhdao", Role.UNIT_LEADER, "Hoàng Văn Đức", "Cao Bằng", "Phó Trưởng ban"),
    UserSpec("caobang.chuyenvien", Role.UNIT_OFFICER, "Nông Thị Mai", "Cao Bằng", "Chuyên viên"),
    # A third member's leader, so the demo can sign a pact and cast an acclamation vote with
    # more than the two units above (Lào Cai is a deputy leader of the cluster in 2026).
    UserSpec("laocai.lanhdao", Role.UNIT_LEADER, "Giàng Thị Dung", "Lào Cai", "Phó Trưởng ban"),
    UserSpec("xem", Role.VIEWER, "Phạm Văn An", CENTRAL_SHORT_NAME, "Chuyên viên"),
)


@dataclass
class DemoData:
    """What the demo set holds, for the command's report and for tests.

    ``units`` are the units that exist today, by short name ("Phú Thọ" is the board formed on
    1/7/2025); ``old`` are the boards that ceased in the merger ("Phú Thọ", "Vĩnh Phúc", …).
    """

    sector: Sector
    cluster: Cluster
    terms: dict[int, ClusterTerm]
    units: dict[str, Unit]
    old: dict[str, Unit]
    users: dict[str, User]
    created: Counter = field(default_factory=Counter)
    reference: dict[str, int] = field(default_factory=dict)
    year_records: object = None  # apps.emulation.demo_year.YearRecords when loaded this run


def board_name(province: Province) -> str:
    """ "Ban Tổ chức Thành ủy Hà Nội", "Ban Tổ chức Tỉnh ủy Phú Thọ".

    Thừa Thiên Huế keeps its provincial committee's name in the old scheme (the reference file
    calls it a city because it became one on 1/1/2025).
    """
    if province.kind == ProvinceKind.CITY and province.name != "Thừa Thiên Huế":
        name = province.name.replace("TP ", "Thành phố ", 1)
        return f"Ban Tổ chức Thành ủy {name}"
    return f"Ban Tổ chức Tỉnh ủy {province.name}"


class _Loader:
    def __init__(self) -> None:
        self.created: Counter = Counter()

    def run(self) -> DemoData:
        reference = load_reference()
        provinces = {(p.scheme, p.name): p for p in Province.objects.all()}
        central = self.central_unit()
        old_boards = self.old_boards(provinces)
        boards = self.current_boards(old_boards)
        sector = self.sector(central)
        cluster = self.cluster(sector)
        terms = {spec.year: self.term(cluster, spec, old_boards, boards) for spec in TERMS}
        users = self.users(central, boards)
        units, old = self.unit_maps([central, *old_boards.values(), *boards.values()])
        return DemoData(
            sector=sector,
            cluster=cluster,
            terms=terms,
            units=units,
            old=old,
            users=users,
            created=self.created,
            reference=reference,
        )

    def central_unit(self) -> Unit:
        unit = Unit.objects.filter(kind=UnitKind.CENTRAL_COMMISSION, name=CENTRAL_NAME).first()
        if unit is None:
            unit = unit_create(
                actor=None,
                name=CENTRAL_NAME,
                short_name=CENTRAL_SHORT_NAME,
                kind=UnitKind.CENTRAL_COMMISSION,
            )
            self.created["units"] += 1
        return unit

    def _existing_boards(self, scheme: str) -> dict[tuple[int, str], Unit]:
        return {
            (u.province_id, u.name): u
            for u in Unit.objects.filter(
                kind=UnitKind.PROVINCIAL_BOARD, province__scheme=scheme
            ).select_related("province")
        }

    def old_boards(self, provinces: dict[tuple[str, str], Province]) -> dict[str, Unit]:
        """One board per old province, by province name."""
        existing = self._existing_boards(ProvinceScheme.PRE_2025)
        boards: dict[str, Unit] = {}
        for (scheme, name), province in sorted(provinces.items(), key=lambda i: i[1].code):
            if scheme != ProvinceScheme.PRE_2025:
                continue
            unit = existing.get((province.pk, board_name(province)))
            if unit is None:
                unit = unit_create(
                    actor=None,
                    name=board_name(province),
                    short_name=province.name,
                    kind=UnitKind.PROVINCIAL_BOARD,
                    province=province,
                )
                self.created["units"] += 1
            boards[name] = unit
        return boards

    def current_boards(self, old_boards: dict[str, Unit]) -> dict[str, Unit]:
        """The board of each new province, by its name: a new board merged from the old ones
        where provinces merged, the old board itself where the province stayed as it was."""
        existing = self._existing_boards(ProvinceScheme.POST_2025)
        merged_already = set(UnitSuccession.objects.values_list("predecessor_id", flat=True))
        by_successor: dict[Province, list[Province]] = {}
        for row in ProvinceSuccession.objects.select_related("predecessor", "successor").order_by(
            "successor__code", "predecessor__code"
        ):
            by_successor.setdefault(row.successor, []).append(row.predecessor)
        boards: dict[str, Unit] = {}
        for province, predecessors in by_successor.items():
            old = [old_boards[p.name] for p in predecessors]
            if len(old) == 1:
                boards[province.name] = old[0]
                continue
            unit = existing.get((province.pk, board_name(province)))
            if unit is None:
                unit = unit_create(
                    actor=None,
                    name=board_name(province),
                    short_name=province.name,
                    kind=UnitKind.PROVINCIAL_BOARD,
                    province=province,
                    active_from=MERGER_DATE,
                )
                self.created["units"] += 1
            pending = [u for u in old if u.pk not in merged_already]
            if pending:
                unit_merge(
                    actor=None,
                    predecessors=pending,
                    successor=unit,
                    effective_date=MERGER_DATE,
                    legal_basis=MERGER_LEGAL_BASIS,
                )
                self.created["successions"] += len(pending)
            boards[province.name] = unit
        return boards

    def sector(self, central: Unit) -> Sector:
        sector = Sector.objects.filter(code=SECTOR_CODE).first()
        if sector is None:
            sector = sector_create(
                actor=None, code=SECTOR_CODE, name=SECTOR_NAME, head_unit=central
            )
            self.created["sectors"] += 1
        return sector

    def cluster(self, sector: Sector) -> Cluster:
        cluster = Cluster.objects.filter(
            sector=sector, kind=ClusterKind.CLUSTER, number=CLUSTER_NUMBER
        ).first()
        if cluster is None:
            cluster = cluster_create(
                actor=None,
                sector=sector,
                number=CLUSTER_NUMBER,
                name=CLUSTER_NAME,
                kind=ClusterKind.CLUSTER,
                description=CLUSTER_DESCRIPTION,
            )
            self.created["clusters"] += 1
        return cluster

    def term(
        self,
        cluster: Cluster,
        spec: TermSpec,
        old_boards: dict[str, Unit],
        boards: dict[str, Unit],
    ) -> ClusterTerm:
        term = ClusterTerm.objects.filter(cluster=cluster, year=spec.year).first()
        if term is not None:
            return term
        # Refetch: the merge has moved the old boards' end dates since they were loaded.
        source = old_boards if spec.scheme == ProvinceScheme.PRE_2025 else boards
        fresh = Unit.objects.in_bulk([source[name].pk for name in spec.members])
        unit = {name: fresh[source[name].pk] for name in spec.members}
        term = term_create(
            actor=None,
            cluster=cluster,
            year=spec.year,
            members=[unit[name] for name in spec.members],
            leader=unit[spec.leader],
            deputies=[unit[name] for name in spec.deputies],
            host=unit[spec.host],
            review_date=spec.review_date,
            notes=spec.notes,
        )
        self.created["terms"] += 1
        return term

    def users(self, central: Unit, boards: dict[str, Unit]) -> dict[str, User]:
        existing = {
            u.username: u
            for u in User.objects.filter(username__in=[s.username for s in USERS]).select_related(
                "unit"
            )
        }
        users: dict[str, User] = {}
        for spec in USERS:
            user = existing.get(spec.username)
            if user is None:
                user = user_create(
                    actor=None,
                    username=spec.username,
                    password=DEMO_PASSWORD,
                    full_name=spec.full_name,
                    unit=central if spec.unit == CENTRAL_SHORT_NAME else boards[spec.unit],
                    role=spec.role,
                    job_title=spec.job_title,
                    is_staff=spec.is_staff,
                    is_superuser=spec.is_superuser,
                )
                self.created["users"] += 1
            users[spec.username] = user
        return users

    def unit_maps(self, units: list[Unit]) -> tuple[dict[str, Unit], dict[str, Unit]]:
        current: dict[str, Unit] = {}
        ceased: dict[str, Unit] = {}
        fresh = Unit.objects.select_related("province").in_bulk([u.pk for u in units])
        for unit in sorted(fresh.values(), key=lambda u: u.pk):
            (ceased if unit.active_to else current)[unit.short_name] = unit
        return current, ceased


def load_demo(*, year_records: bool = False) -> DemoData:
    """Load the reference data, then the demo data set; idempotent, all or nothing.

    ``year_records``: also the illustrative 2025 year-end (self-assessments, cross-scoring, the
    published ranking and the acclamation vote, ``apps.emulation.demo_year``). ``make demo`` loads
    it; the test fixture ``demo`` does not, so tests start the year's steps from scratch.
    """
    from apps.awards.demo import load_demo_awards
    from apps.emulation.demo_year import year_end_records_import
    from apps.funds.demo import load_demo_fund
    from apps.members.demo import load_demo_members
    from apps.practices.demo import load_demo_practices

    with transaction.atomic():
        data = _Loader().run()
        load_demo_pact(term=data.terms[2025])  # illustrative pact (apps.emulation.demo)
        for year in (2023, 2025):  # the support money the seeds report (apps.funds.demo)
            load_demo_fund(term=data.terms[year])
        load_demo_practices(units=data.units)  # illustrative (apps.practices.demo)
        load_demo_members(unit=data.units["Phú Thọ"])  # illustrative (apps.members.demo)
        if year_records:
            data.year_records = year_end_records_import(actor=None, term=data.terms[2025])
            # The seeds' 2025 awards, from paper (apps.awards.demo); with the year's records
            # so the test fixture starts without them.
            load_demo_awards(units=data.units, central=data.sector.head_unit)
        return data
