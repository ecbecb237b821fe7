"""A national party-member data set, written straight into the scratch database.

    .venv/bin/python bench/members_world.py --preset national          # PostgreSQL, 5.6 million
    .venv/bin/python bench/members_world.py --preset province          # one province, ≈ 200 000
    BENCH_DATABASE_URL=sqlite:///var/bench-members.sqlite3 .venv/bin/python bench/members_world.py --preset province
    .venv/bin/python bench/members_world.py --preset national --scale 0.25   # 34 provinces, 1.4 M

World: the 34 provinces of the project's reference data (``apps/organizations/data/provinces.json``),
each a đảng bộ tỉnh (root) with, as ``ALLOWED_PARENTS`` allows: its đảng bộ xã/phường (grassroots
committees straight under the province, each with 8–30 chi bộ thôn/tổ dân phố) and four committees
directly above grassroots (Party agencies, People's Committee, Police, Military) holding the other
grassroots organisations: chi bộ cơ sở (members meet there) and đảng bộ cơ sở with 3–12 chi bộ
trực thuộc, some with đảng bộ bộ phận. National preset: ≈ 50 000 grassroots organisations and
5.6 million members, shared between provinces by population.

Members: surnames drawn from real frequencies (Nguyễn ≈ 38 %, Trần 11 %, Lê 9.5 % …; Hoàng/Vũ
commoner in the north, Huỳnh/Võ in the south), middle and given names by sex, 38 % women; ages 19–95
weighted like the Party's; admitted at 18 or later (mostly in their twenties); a year on probation;
CCCD ``PPP G YY NNNNNN`` with the old province code of birth (85 % one of the province's own
predecessors), sex/century digit, birth year and a serial unique per (code, digit, year); a party
card for full members (90 % renewed in 2025); statuses full, probationary, exempt (mostly the
elderly), suspended and left with reasons. Derived columns exactly as the app computes them:
``search_name`` (``fold``), ``sort_key`` (``person_sort_key``), ``org_path`` and the organisations'
``path``/``depth``/``search_name``.

Rows are written with COPY (PostgreSQL) or ``executemany`` (SQLite), not the ORM: arrangement, not
what is measured. On PostgreSQL the member table's secondary indexes and constraints are dropped
for the load and recreated from their own definitions afterwards (then VACUUM ANALYZE), so the
schema ends exactly as the migrations made it. Deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, setup_django, timer  # noqa: E402

AS_OF = dt.date(2026, 12, 1)  # "today" of the generated records (every date is on or before it)
NATIONAL_MEMBERS = 5_600_000
NATIONAL_GRASSROOTS = 50_000
COMMUNES = 3_321  # đảng bộ xã, phường, đặc khu after 1/7/2025
COMMUNE_SHARE = 0.40  # of a province's members, in its communes' cells
PROVINCE_PRESET_CODE = "25"  # Phú Thọ (Phú Thọ + Vĩnh Phúc + Hòa Bình), the demo's province
PROVINCE_PRESET_MEMBERS = 200_000


# Population of the 34 provinces (millions, 2024, after the 2025 merger): shares of members and
# organisations. Approximate; only the proportions matter.
def _words(text: str) -> list[str]:
    return text.split()


POPULATION = {
    "01": 8.7, "04": 0.55, "08": 1.9, "11": 0.65, "12": 0.5, "14": 1.3, "15": 1.8, "19": 1.7,
    "20": 0.8, "22": 1.4, "24": 3.6, "25": 4.0, "31": 4.7, "33": 3.6, "37": 4.4, "38": 3.7,
    "40": 3.4, "42": 1.3, "44": 1.9, "46": 1.2, "48": 3.1, "51": 2.2, "52": 3.6, "56": 2.2,
    "66": 3.3, "68": 3.9, "75": 4.5, "79": 14.0, "80": 3.3, "82": 4.4, "86": 4.3, "91": 4.9,
    "92": 4.2, "96": 2.6,
}  # fmt: skip

# (surname, share %) — Vietnamese surname frequencies; Hoàng/Huỳnh and Vũ/Võ are one name each
# spelt differently north and south, so their split depends on the province (see _surnames).
SURNAMES = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 2.5), ("Huỳnh", 2.5),
    ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 1.0), ("Trương", 0.9), ("Đào", 0.9),
    ("Đoàn", 0.8), ("Trịnh", 0.8), ("Mai", 0.7), ("Lương", 0.7), ("Cao", 0.6), ("Hà", 0.6),
    ("Lâm", 0.6), ("Tạ", 0.5), ("Phùng", 0.5), ("Tô", 0.4), ("Lưu", 0.4), ("Vương", 0.4),
    ("Châu", 0.3), ("Triệu", 0.3), ("Nông", 0.3), ("Kiều", 0.2), ("Quách", 0.2), ("Thái", 0.2),
    ("La", 0.2), ("Lò", 0.2), ("Hứa", 0.1), ("Giáp", 0.1), ("Khổng", 0.1), ("Mạc", 0.1),
]  # fmt: skip
MIDDLE = {
    "male": [
        ("Văn", 40), ("Hữu", 6), ("Đức", 6), ("Minh", 6), ("Quang", 5), ("Công", 4), ("Xuân", 3),
        ("Thanh", 3), ("Ngọc", 3), ("Mạnh", 2), ("Đình", 4), ("Tiến", 2), ("Trọng", 2), ("Quốc", 3),
        ("Anh", 2), ("Bá", 2), ("Duy", 2), ("Thế", 2), ("Trung", 1), ("Viết", 1), ("Hoàng", 1),
        ("Văn Minh", 1), ("Hữu Quang", 1), ("Đức Anh", 1),
    ],
    "female": [
        ("Thị", 55), ("Thị Thu", 5), ("Thị Thanh", 4), ("Thị Minh", 3), ("Thị Hồng", 3),
        ("Thị Kim", 2), ("Thị Ngọc", 2), ("Ngọc", 4), ("Thu", 3), ("Thanh", 3), ("Hồng", 2),
        ("Kim", 2), ("Phương", 2), ("Mai", 1), ("Thùy", 2), ("Bích", 1), ("Diệu", 1), ("Minh", 2),
        ("Hoài", 1), ("Khánh", 1),
    ],
}  # fmt: skip
GIVEN = {
    "male": _words(
        "Hùng Dũng Tuấn Minh Hải Nam Sơn Thắng Long Cường Hưng Đức Trung Quang Thành Bình Hòa "
        "Phong Tùng Hiếu Huy Khánh Việt Vinh Toàn Tâm Thịnh Lâm Kiên Lộc Phúc Tài Nghĩa Quân Đạt "
        "Hoàng Công Chiến Giang Hà Thái Hậu Trí Tú Vũ Định Thanh Tiến Tân Hiệp Bảo Duy Khoa Lực "
        "Mạnh Nhân Phương Quý Sang Thuận Thông Tín Trọng Tuyên Vượng Xuân Yên An Anh Dương Hạnh"
    ),
    "female": _words(
        "Hương Lan Hoa Hà Thủy Hằng Linh Trang Hạnh Hiền Huyền Mai Nga Ngọc Nhung Phương Thảo Thu "
        "Yến Dung Giang Hồng Huệ Lê Liên Loan Ly My Nguyệt Oanh Quỳnh Tâm Thanh Thoa Trinh Tuyết "
        "Vân Xuân Ánh Chi Duyên Hường Lý Nhàn Hậu Thúy Bích Diệp Gấm Hoài Khánh Lụa Ngân Nhi Sen "
        "Tươi Uyên Vi An Anh Châu Đào Hải Lương Minh"
    ),
}
ETHNICITIES = [
    ("Kinh", 87.5), ("Tày", 2.3), ("Thái", 1.8), ("Mường", 1.6), ("Nùng", 1.0), ("Khmer", 0.9),
    ("Mông", 0.7), ("Dao", 0.7), ("Hoa", 0.4), ("Gia Rai", 0.3), ("Ê Đê", 0.3), ("Ba Na", 0.2),
    ("Sán Dìu", 0.3), ("Chăm", 0.2), ("Sán Chay", 0.2), ("Cơ Ho", 0.1), ("Xơ Đăng", 0.1),
    ("Sán Chay", 0.1), ("Giáy", 0.1), ("Raglay", 0.1), ("Thổ", 0.1),
]  # fmt: skip
RELIGIONS = [("Không", 93), ("Phật giáo", 4), ("Công giáo", 2), ("Cao Đài", 0.4),
             ("Hòa Hảo", 0.3), ("Tin Lành", 0.3)]  # fmt: skip
EDUCATION = [("Đại học", 45), ("Trung học phổ thông", 30), ("Thạc sĩ", 9), ("Trung cấp", 6),
             ("Cao đẳng", 5), ("Trung học cơ sở", 4), ("Tiến sĩ", 1)]  # fmt: skip
THEORY = [("Sơ cấp", 55), ("Trung cấp", 28), ("Cao cấp", 7), ("Cử nhân", 1), ("", 9)]
LEFT_REASONS = [
    ("Xóa tên khỏi danh sách đảng viên", 5), ("Khai trừ khỏi Đảng", 2),
    ("Xin ra khỏi Đảng", 1), ("Từ trần", 6),
]  # fmt: skip
EXEMPT_REASONS = ["Tuổi cao, sức yếu", "Ốm đau dài ngày", "Đi lao động ở nước ngoài"]
SUSPENDED_REASON = "Đình chỉ sinh hoạt đảng trong thời gian xem xét kỷ luật"
# Share of members at each age (party-member age structure, roughly: few under 30, many 40–70).
AGE_WEIGHTS = [(19, 30, 1.2), (30, 40, 2.2), (40, 50, 2.2), (50, 60, 1.8), (60, 70, 1.5),
               (70, 80, 1.0), (80, 96, 0.35)]  # fmt: skip
PLACES = _words(
    "An Bình Phú Hòa Tân Thạnh Long Mỹ Đông Tây Nam Bắc Hưng Thịnh Phước Vĩnh Xuân Thanh Quang "
    "Minh Hiệp Lợi Lộc Sơn Thủy Trung Hải Lạc Yên Định Khánh Thuận Đức Hà Vân Tiến Cường Lâm"
)
AGENCIES = [  # grassroots organisations under the four committees directly above grassroots
    ("Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy",
     "Ủy ban Kiểm tra Tỉnh ủy", "Báo {p}", "Trường Chính trị {p}", "Mặt trận Tổ quốc {p}"),
    ("Sở Tài chính {p}", "Sở Nội vụ {p}", "Sở Tư pháp {p}", "Sở Công Thương {p}", "Sở Y tế {p}",
     "Sở Giáo dục và Đào tạo {p}", "Sở Xây dựng {p}", "Trường THPT {p}", "Trường THCS {p}",
     "Bệnh viện Đa khoa khu vực {p}", "Trung tâm Y tế {p}", "Công ty Cổ phần Xây dựng {p}",
     "Công ty TNHH Thương mại {p}", "Ban Quản lý dự án {p}", "Kho bạc Nhà nước khu vực {p}"),
    ("Công an phường {p}", "Công an xã {p}", "Phòng Cảnh sát {p}", "Trại tạm giam {p}"),
    ("Ban Chỉ huy quân sự {p}", "Đồn Biên phòng {p}", "Trung đoàn {p}", "Tiểu đoàn {p}"),
]  # fmt: skip
ABOVE = ["Đảng bộ các cơ quan Đảng", "Đảng bộ Ủy ban nhân dân", "Đảng bộ Công an",
         "Đảng bộ Quân sự"]  # fmt: skip
ABOVE_SHARE = [0.12, 0.58, 0.18, 0.12]  # of the province's non-commune grassroots organisations
CELL_NAMES = ["Văn phòng", "Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính",
              "Khoa Nội", "Khoa Ngoại", "Tổ Toán – Tin", "Tổ Ngữ văn", "Phân xưởng", "Đội",
              "Phòng Nghiệp vụ", "Bộ phận Kỹ thuật"]  # fmt: skip
SERIAL_STEP = 7919  # co-prime with 10**6: counter → serial is a bijection, serials look random
IMPORT_SERIAL_FROM = 500_000  # counters from here give CCCDs no world member has (members_import)
IMPORT_CARD_FROM = 5_000_000


@dataclass
class WorldInfo:
    """What was built (stored in the scratch database's ``bench_world`` table)."""

    preset: str
    seed: int
    scale: float
    as_of: str
    provinces: int = 0
    organisations: int = 0
    grassroots: int = 0
    cells: int = 0
    members: int = 0
    seconds: float = 0.0
    by_kind: dict = field(default_factory=dict)


@dataclass
class Org:
    id: int
    code: str
    name: str
    kind: str
    parent: Org | None
    path: str
    depth: int
    province_id: int
    weight: float = 0.0  # members' share, for organisations where members meet


# --- reference data -----------------------------------------------------------------------------


class Reference:
    """Provinces as loaded in the database: the new 34 and, for each, its old CCCD codes."""

    def __init__(self):
        from apps.organizations.management.commands.load_reference import load_reference
        from apps.organizations.models import Province, ProvinceSuccession

        load_reference()
        self.new = {p.code: p for p in Province.objects.filter(scheme="34").order_by("code")}
        self.predecessors: dict[str, list[str]] = {code: [] for code in self.new}
        self.home_of_cccd: dict[str, int] = {}  # old CCCD code → new province id
        for s in ProvinceSuccession.objects.select_related("predecessor", "successor"):
            if s.successor.scheme == "34" and s.predecessor.cccd_code:
                self.predecessors[s.successor.code].append(s.predecessor.cccd_code)
                self.home_of_cccd[s.predecessor.cccd_code] = s.successor.pk
        self.all_cccd = sorted(self.home_of_cccd)


def _cum(pairs):
    total, out = 0.0, []
    for _value, weight in pairs:
        total += weight
        out.append(total)
    return [v for v, _w in pairs], out


def _surnames(code: str):
    south = code >= "44"  # Quảng Trị southwards: Huỳnh and Võ; the north: Hoàng and Vũ
    swap = {"Hoàng": 1.0 if south else 4.0, "Huỳnh": 4.0 if south else 1.0,
            "Vũ": 1.0 if south else 2.9, "Võ": 2.9 if south else 1.0}  # fmt: skip
    return _cum([(name, swap.get(name, share)) for name, share in SURNAMES])


def _given(sex: str):
    names = GIVEN[sex]
    return _cum([(name, 1 / (rank + 8)) for rank, name in enumerate(names)])


# --- the organisation tree ----------------------------------------------------------------------


class TreeBuilder:
    def __init__(self, first_id: int):
        from apps.members.models import path_step

        self.next_id = first_id
        self.orgs: list[Org] = []
        self._step = path_step

    def add(self, code, name, kind, parent, province_id, weight=0.0) -> Org:
        pk = self.next_id
        self.next_id += 1
        org = Org(
            id=pk,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            path=(parent.path if parent else "") + self._step(pk),
            depth=(parent.depth + 1) if parent else 0,
            province_id=province_id,
            weight=weight,
        )
        self.orgs.append(org)
        return org


def build_province_tree(tree: TreeBuilder, rng: random.Random, province, grassroots: int) -> Org:
    """One province's tree with ``grassroots`` grassroots organisations; returns its root."""
    from apps.members.choices import OrgKind

    pid, code = province.pk, f"T{province.code}"
    title = "thành phố" if province.kind == "city" else "tỉnh"
    city = province.name.removeprefix("TP ")  # "TP Hồ Chí Minh": thành phố Hồ Chí Minh
    root = tree.add(code, f"Đảng bộ {title} {city}", OrgKind.PROVINCE, None, pid)
    communes = max(1, round(grassroots * COMMUNES / NATIONAL_GRASSROOTS))
    commune_cells = []
    for n in range(1, communes + 1):
        ward = rng.random() < 0.3
        place = f"{rng.choice(PLACES)} {rng.choice(PLACES)}"
        commune = tree.add(
            f"{code}-X{n:03d}",
            f"Đảng bộ {'phường' if ward else 'xã'} {place}",
            OrgKind.GRASSROOTS,
            root,
            pid,
        )
        for m in range(1, rng.randint(8, 30) + 1):
            label = f"tổ dân phố số {m}" if ward else f"thôn {rng.choice(PLACES)} {m}"
            commune_cells.append(
                tree.add(f"{commune.code}-{m:02d}", f"Chi bộ {label}", OrgKind.CELL, commune, pid)
            )
    others = grassroots - communes
    other_cells = []
    allotted = 0
    for a, (above_name, share) in enumerate(zip(ABOVE, ABOVE_SHARE, strict=True), start=1):
        above = tree.add(
            f"{code}-A{a}", f"{above_name} {title} {city}", OrgKind.ABOVE_GRASSROOTS,
            root, pid,
        )  # fmt: skip
        count = others - allotted if a == len(ABOVE) else round(others * share)
        allotted += count
        for n in range(1, count + 1):
            entity = rng.choice(AGENCIES[a - 1]).format(p=f"{rng.choice(PLACES)} {n}")
            base = f"{above.code}-{n:04d}"
            if rng.random() < 0.55:  # chi bộ cơ sở: its members meet in it
                other_cells.append(
                    tree.add(base, f"Chi bộ {entity}", OrgKind.GRASSROOTS_CELL, above, pid, 0.7)
                )
                continue
            unit = tree.add(base, f"Đảng bộ {entity}", OrgKind.GRASSROOTS, above, pid)
            parents = [unit]
            if rng.random() < 0.08:
                parents = [
                    tree.add(f"{base}-B{s}", f"Đảng bộ bộ phận số {s}", OrgKind.SECTION, unit, pid)
                    for s in range(1, rng.randint(2, 4) + 1)
                ]
            for parent in parents:
                for m in range(
                    1, (rng.randint(3, 12) if parent is unit else rng.randint(2, 5)) + 1
                ):
                    label = f"{rng.choice(CELL_NAMES)} {m}"
                    other_cells.append(
                        tree.add(
                            f"{parent.code}-{m:02d}",
                            f"Chi bộ {label}",
                            OrgKind.CELL,
                            parent,
                            pid,
                            1.0,
                        )  # fmt: skip
                    )
    for cell in commune_cells:
        cell.weight = rng.uniform(0.5, 1.5)
    for cell in other_cells:
        cell.weight *= rng.uniform(0.5, 1.5)
    _normalise(commune_cells, COMMUNE_SHARE)
    _normalise(other_cells, 1 - COMMUNE_SHARE)
    return root


def _normalise(cells: list[Org], share: float) -> None:
    total = sum(c.weight for c in cells) or 1.0
    for c in cells:
        c.weight = share * c.weight / total


# --- members ------------------------------------------------------------------------------------


class MemberMaker:
    """Member rows for one province (a fresh ``random.Random`` per province keeps each province's
    members the same whichever preset built them). Counters make CCCD serials and card numbers
    unique; ``import_rows=True`` draws from ranges no world member has (for the import bench)."""

    def __init__(self, ref: Reference, *, as_of: dt.date, import_rows: bool = False):
        from apps.core.text import fold
        from apps.members.models import name_tails, person_sort_key

        self.ref = ref
        self.as_of = as_of
        self.as_of_ord = as_of.toordinal()
        self.serials: dict[tuple[str, int, int], int] = {}
        self.cards: dict[str, int] = {}
        self.serial_from = IMPORT_SERIAL_FROM if import_rows else 0
        self.card_from = IMPORT_CARD_FROM if import_rows else 0
        self._names: dict[str, tuple[str, ...]] = {}
        self._fold, self._sort_key, self._tails = fold, person_sort_key, name_tails
        self.given = {sex: _given(sex) for sex in ("male", "female")}
        self.middle = {sex: _cum(MIDDLE[sex]) for sex in ("male", "female")}
        ages = [(age, w) for low, high, w in AGE_WEIGHTS for age in range(low, high)]
        self.ages = _cum(ages)
        self.ethnicities = _cum(ETHNICITIES)
        self.religions = _cum(RELIGIONS)
        self.education = _cum(EDUCATION)
        self.theory = _cum(THEORY)
        self.left = _cum(LEFT_REASONS)
        self.renewal_from = dt.date(2025, 1, 2).toordinal()
        self.renewal_to = min(dt.date(2025, 12, 31), as_of).toordinal()

    def names(self, full_name: str) -> tuple[str, ...]:
        """(search_name, last3, last2, given, sort_key), as ``Member.save`` derives them."""
        got = self._names.get(full_name)
        if got is None:
            folded = self._fold(full_name)
            got = (folded, *self._tails(folded), self._sort_key(full_name)[:600])
            self._names[full_name] = got
        return got

    def rows(self, rng: random.Random, province, n: int):
        """``n`` member dicts-as-tuples for ``province`` (see COLUMNS), cell not yet set."""
        surnames = _surnames(province.code)
        own = self.ref.predecessors[province.code] or self.ref.all_cccd
        everywhere = self.ref.all_cccd
        home_of = self.ref.home_of_cccd
        fromord = dt.date.fromordinal
        as_of_ord = self.as_of_ord
        choices, rand = rng.choices, rng.random
        sur = choices(surnames[0], cum_weights=surnames[1], k=n)
        ages = choices(self.ages[0], cum_weights=self.ages[1], k=n)
        eth = choices(self.ethnicities[0], cum_weights=self.ethnicities[1], k=n)
        rel = choices(self.religions[0], cum_weights=self.religions[1], k=n)
        edu = choices(self.education[0], cum_weights=self.education[1], k=n)
        theory = choices(self.theory[0], cum_weights=self.theory[1], k=n)
        for i in range(n):
            sex = "female" if rand() < 0.38 else "male"
            middles, givens = self.middle[sex], self.given[sex]
            middle = choices(middles[0], cum_weights=middles[1])[0]
            given = choices(givens[0], cum_weights=givens[1])[0]
            full_name = f"{sur[i]} {middle} {given}"
            derived = self.names(full_name)
            age = ages[i]
            born_ord = as_of_ord - int((age + rand()) * 365.2425)
            born = fromord(born_ord)
            try:
                at18 = born.replace(year=born.year + 18).toordinal()
            except ValueError:  # 29 February: the first day they are 18 is 1 March
                at18 = dt.date(born.year + 18, 3, 1).toordinal()
            room = as_of_ord - at18
            wait = int(rng.gammavariate(2.0, 4.5 * 365.2425 / 2))
            admitted_ord = at18 + (wait if wait <= room else int(rand() * room))
            full_ord = admitted_ord + 365 + int(rand() * 45)
            status, reason, card, card_on = "probationary", "", None, None
            if full_ord > as_of_ord:
                full_ord = None
            else:
                roll = rand()
                if roll < 0.011:
                    status = "left"
                    reason = choices(self.left[0], cum_weights=self.left[1])[0]
                elif roll < 0.0115:
                    status, reason = "suspended", SUSPENDED_REASON
                elif (age >= 70 and roll < 0.16) or roll < 0.014:
                    status = "exempt"
                    reason = EXEMPT_REASONS[0 if age >= 70 else 1 + int(rand() * 2)]
                else:
                    status = "full"
                if rand() < 0.995:
                    card = self._card(province.code)
                    if rand() < 0.9 and full_ord < self.renewal_to:
                        low = max(self.renewal_from, full_ord)
                        card_on = low + int(rand() * (self.renewal_to - low + 1))
                    else:
                        card_on = min(full_ord + int(rand() * 120), as_of_ord)
            cccd = home = None
            if rand() < 0.975:
                code = own[int(rand() * len(own))] if rand() < 0.85 else rng.choice(everywhere)
                cccd = self._cccd(code, sex, born.year)
                home = home_of[code]
            yield (
                full_name,
                *derived,
                sex,
                born.isoformat(),
                cccd,
                eth[i],
                rel[i],
                edu[i],
                theory[i],
                fromord(admitted_ord).isoformat(),
                fromord(full_ord).isoformat() if full_ord else None,
                status,
                reason,
                card,
                fromord(card_on).isoformat() if card_on else None,
                home,
            )

    def _cccd(self, code: str, sex: str, year: int) -> str:
        digit = (0 if year < 2000 else 2) + (1 if sex == "female" else 0)
        key = (code, digit, year % 100)
        counter = self.serials.get(key, self.serial_from)
        self.serials[key] = counter + 1
        serial = (counter * SERIAL_STEP + 104_729) % 1_000_000
        return f"{code}{digit}{year % 100:02d}{serial:06d}"

    def _card(self, province_code: str) -> str:
        counter = self.cards.get(province_code, self.card_from)
        self.cards[province_code] = counter + 1
        return f"{province_code}{counter:07d}"


# Member columns written (then org_path, organization_id and the timestamps).
COLUMNS = [
    "full_name", "search_name", "search_last3", "search_last2", "search_given", "sort_key", "sex",
    "birth_date", "cccd", "ethnicity", "religion",
    "education", "theory_level", "admitted_on", "full_member_on", "status", "status_reason",
    "card_number", "card_issued_on", "home_province_id",
]  # fmt: skip
ORG_COLUMNS = [
    "id", "created_at", "updated_at", "code", "name", "kind", "parent_id", "path", "depth",
    "province_id", "valid_from", "search_name",
]  # fmt: skip
MEMBER_COLUMNS = ["id", "created_at", "updated_at", *COLUMNS, "org_path", "organization_id"]


# --- writers ------------------------------------------------------------------------------------


class Writer:
    """Rows into a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.stamp = "2026-01-01 00:00:00+00" if self.pg else "2026-01-01 00:00:00"

    def write(self, table: str, columns: list[str], rows) -> int:
        n = 0
        with self.connection.cursor() as cur:
            if self.pg:
                with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    buf = []
                    for row in rows:
                        buf.append("\t".join(r"\N" if v is None else str(v) for v in row))
                        n += 1
                        if len(buf) >= 20_000:
                            copy.write("\n".join(buf) + "\n")
                            buf = []
                    if buf:
                        copy.write("\n".join(buf) + "\n")
            else:
                sql = (
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('%s' for _ in columns)})"
                )
                batch = []
                for row in rows:
                    batch.append(row)
                    n += 1
                    if len(batch) >= 20_000:
                        cur.executemany(sql, batch)
                        batch = []
                if batch:
                    cur.executemany(sql, batch)
        return n


def _pg_drop_member_indexes(cur) -> list[str]:
    """Drop members_member's secondary indexes and constraints; return the SQL re-creating them."""
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'members_member'::regclass AND contype IN ('u', 'f')"
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'members_member' "
        "AND i.indexname NOT IN (SELECT conname FROM pg_constraint "
        "WHERE conrelid = 'members_member'::regclass)"
    )
    indexes = cur.fetchall()
    for name, _sql in constraints:
        cur.execute(f'ALTER TABLE members_member DROP CONSTRAINT "{name}"')
    for name, _sql in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes] + [
        f'ALTER TABLE members_member ADD CONSTRAINT "{name}" {sql}' for name, sql in constraints
    ]


def _schema(cur) -> list[tuple]:
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'members_member' "
        "ORDER BY indexname"
    )
    rows = cur.fetchall()
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'members_member'::regclass ORDER BY conname"
    )
    return rows + cur.fetchall()


# --- the world ----------------------------------------------------------------------------------


def preset_sizes(preset: str, scale: float, ref: Reference) -> list[tuple[object, int, int]]:
    """(province, members, grassroots) for each province the preset builds."""
    if preset == "province":
        members = round(PROVINCE_PRESET_MEMBERS * scale)
        grassroots = max(10, round(members * NATIONAL_GRASSROOTS / NATIONAL_MEMBERS))
        return [(ref.new[PROVINCE_PRESET_CODE], members, grassroots)]
    total = sum(POPULATION.get(code, 2.0) for code in ref.new)
    out, given_m, given_g = [], 0, 0
    codes = sorted(ref.new)
    for i, code in enumerate(codes):
        share = POPULATION.get(code, 2.0) / total
        last = i == len(codes) - 1
        m = (
            round(NATIONAL_MEMBERS * scale) - given_m
            if last
            else round(NATIONAL_MEMBERS * scale * share)
        )
        g = (
            round(NATIONAL_GRASSROOTS * scale) - given_g
            if last
            else round(NATIONAL_GRASSROOTS * scale * share)
        )
        given_m, given_g = given_m + m, given_g + g
        out.append((ref.new[code], m, max(10, g)))
    return out


def build_world(*, preset: str, seed: int = 2025, scale: float = 1.0, as_of: dt.date = AS_OF,
                log=print) -> WorldInfo:  # fmt: skip
    """Build the data set into the database Django is connected to (already migrated, empty)."""
    from django.db import connection

    from apps.members.choices import CELL_KINDS, OrgKind
    from apps.members.models import Member, PartyOrganization

    if PartyOrganization.objects.exists() or Member.objects.exists():
        raise SystemExit("the scratch database already holds party organisations")
    started = time.perf_counter()
    ref = Reference()
    writer = Writer(connection)
    info = WorldInfo(preset=preset, seed=seed, scale=scale, as_of=as_of.isoformat())
    sizes = preset_sizes(preset, scale, ref)
    tree = TreeBuilder(first_id=1)
    roots = []
    for province, _members, grassroots in sizes:
        rng = random.Random(f"{seed}-tree-{province.code}")
        roots.append(build_province_tree(tree, rng, province, grassroots))
    valid_from = "2025-07-01"
    info.organisations = writer.write(
        "members_partyorganization",
        ORG_COLUMNS,
        (
            (
                o.id,
                writer.stamp,
                writer.stamp,
                o.code,
                o.name,
                o.kind,
                o.parent.id if o.parent else None,
                o.path,
                o.depth,
                o.province_id,
                valid_from,
                _fold(f"{o.code} {o.name}"),
            )  # fmt: skip
            for o in tree.orgs
        ),
    )
    for o in tree.orgs:
        info.by_kind[str(o.kind)] = info.by_kind.get(str(o.kind), 0) + 1
    info.provinces = len(roots)
    info.grassroots = info.by_kind.get(OrgKind.GRASSROOTS, 0) + info.by_kind.get(
        OrgKind.GRASSROOTS_CELL, 0
    )
    info.cells = sum(1 for o in tree.orgs if o.kind in CELL_KINDS)
    log(
        f"organisations: {info.organisations} ({info.grassroots} grassroots, {info.cells} cells "
        f"where members meet) in {time.perf_counter() - started:.1f} s"
    )

    recreate = []
    if not writer.pg:  # a bigger page cache: the indexes' random inserts stay in memory
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -524288")
    if writer.pg:
        with connection.cursor() as cur:
            before = _schema(cur)
            cur.execute("SET synchronous_commit = off")
            recreate = _pg_drop_member_indexes(cur)
    maker = MemberMaker(ref, as_of=as_of)
    next_id = 1
    for (province, members, _g), root in zip(sizes, roots, strict=True):
        t0 = time.perf_counter()
        cells = [o for o in tree.orgs if o.province_id == province.pk and o.kind in CELL_KINDS]
        counts = _allot(members, [c.weight for c in cells])
        rng = random.Random(f"{seed}-members-{province.code}")

        def rows(cells=cells, counts=counts, rng=rng, province=province):
            nonlocal next_id
            stamp = writer.stamp
            for cell, n in zip(cells, counts, strict=True):
                for row in maker.rows(rng, province, n):
                    yield (next_id, stamp, stamp, *row, cell.path, cell.id)
                    next_id += 1

        written = writer.write("members_member", MEMBER_COLUMNS, rows())
        info.members += written
        log(
            f"  {root.name}: {written} members in {len(cells)} cells, "
            f"{time.perf_counter() - t0:.1f} s"
        )
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        if writer.pg:
            cur.execute("SET maintenance_work_mem = '1GB'")
            for sql in recreate:
                cur.execute(sql)
            if _schema(cur) != before:
                raise SystemExit("the member table's indexes differ from the migrations' ones")
            for table in ("members_member", "members_partyorganization"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            log(f"indexes and constraints rebuilt in {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            cur.execute("VACUUM (ANALYZE) members_member")
            cur.execute("VACUUM (ANALYZE) members_partyorganization")
            log(f"VACUUM ANALYZE in {time.perf_counter() - t0:.1f} s")
        else:
            cur.execute("ANALYZE")
        cur.execute("CREATE TABLE IF NOT EXISTS bench_world (info TEXT NOT NULL)")
        info.seconds = round(time.perf_counter() - started, 1)
        cur.execute("DELETE FROM bench_world")
        cur.execute("INSERT INTO bench_world (info) VALUES (%s)", [json.dumps(asdict(info))])
    return info


def _fold(text: str) -> str:
    from apps.core.text import fold

    return fold(text)


def _allot(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, in whole numbers adding up exactly."""
    scale = total / (sum(weights) or 1.0)
    out, acc, given = [], 0.0, 0
    for w in weights:
        acc += w * scale
        n = round(acc) - given
        out.append(n)
        given += n
    return out


def stored_world() -> dict | None:
    """The ``WorldInfo`` of the data set in the database Django is connected to, if any."""
    from django.db import connection

    with connection.cursor() as cur:
        if "bench_world" not in connection.introspection.table_names(cur):
            return None
        cur.execute("SELECT info FROM bench_world")
        row = cur.fetchone()
    return json.loads(row[0]) if row else None


def world_for(args) -> dict:
    """Set Django up on the scratch database holding the world ``args`` ask for: built afresh
    (database recreated), or the one already there with ``--reuse`` when it matches."""
    wanted = {"preset": args.preset, "seed": args.seed, "scale": args.scale}
    if args.reuse:
        setup_django(fresh=False)
        have = stored_world()
        if have and all(have.get(k) == v for k, v in wanted.items()):
            print(f"reusing the {have['preset']} world ({have['members']} members)")
            return have
        print("no matching world in the scratch database: building it")
        from django.db import connections

        connections.close_all()
    setup_django(fresh=True)
    with timer() as t:
        info = build_world(preset=args.preset, seed=args.seed, scale=args.scale)
    print(f"built the {args.preset} world: {info.members} members in {t['seconds']:.1f} s")
    return asdict(info)


def add_world_arguments(parser: argparse.ArgumentParser, *, default_preset="national") -> None:
    parser.add_argument("--preset", choices=["national", "province"], default=default_preset)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--scale", type=float, default=1.0, help="members and organisations × this")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the scratch database when it already holds this world (skip the build)",
    )


def check_world(sample: int = 2000) -> list[str]:
    """Spot checks of the built data: CCCDs valid for the record, derived columns as the app
    computes them, paths as org_create computes them, and members under each root adding up."""
    from apps.core.text import fold
    from apps.members.cccd import check_cccd
    from apps.members.models import (
        Member,
        PartyOrganization,
        name_tails,
        path_step,
        person_sort_key,
        years_after,
    )
    from apps.members.selectors import members_under

    problems = []
    total = Member.objects.count()
    step = max(1, total // sample)
    rows = Member.objects.filter(id__in=range(1, total + 1, step)).select_related("organization")
    checked = 0
    for m in rows:
        checked += 1
        if m.cccd:
            try:
                if check_cccd(m.cccd, sex=m.sex, birth_date=m.birth_date) != m.cccd:
                    problems.append(f"member {m.pk}: CCCD not normalised")
            except Exception as error:  # noqa: BLE001
                problems.append(f"member {m.pk}: {m.cccd}: {error}")
        folded = fold(m.full_name)
        if (
            m.search_name != folded
            or (m.search_last3, m.search_last2, m.search_given) != name_tails(folded)
            or m.sort_key != person_sort_key(m.full_name)[:600]
        ):
            problems.append(f"member {m.pk}: derived names differ")
        if m.org_path != m.organization.path or m.organization.kind not in (
            "cell",
            "grassroots_cell",
        ):
            problems.append(f"member {m.pk}: not in a cell's path")
        if m.admitted_on < years_after(m.birth_date, 18):
            problems.append(f"member {m.pk}: admitted before 18")
        if (m.status == "probationary") != (m.full_member_on is None):
            problems.append(
                f"member {m.pk}: status {m.status} with full_member_on {m.full_member_on}"
            )
        if m.status in ("left", "exempt", "suspended") and not m.status_reason:
            problems.append(f"member {m.pk}: {m.status} without a reason")
    orgs = {o.pk: o for o in PartyOrganization.objects.only("id", "parent_id", "path", "depth")}
    for o in orgs.values():
        parent = orgs.get(o.parent_id)
        expected = (parent.path if parent else "") + path_step(o.pk)
        if o.path != expected or o.depth != (parent.depth + 1 if parent else 0):
            problems.append(f"organisation {o.pk}: path {o.path} != {expected}")
            break
    roots = PartyOrganization.objects.filter(depth=0)
    under = sum(members_under(r).count() for r in roots)
    if under != total:
        problems.append(f"members under the roots: {under}, members: {total}")
    return problems + ([] if checked else ["no member sampled"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_world_arguments(parser)
    parser.add_argument("--no-check", action="store_true")
    args = parser.parse_args()
    args.reuse = False
    url = setup_django()
    print(f"machine: {machine()}; database: {url.rsplit('@', 1)[-1]}")
    if args.preset == "national" and not url.startswith("postgres"):
        print("note: the national preset is meant for PostgreSQL")
    with timer() as t:
        info = build_world(preset=args.preset, seed=args.seed, scale=args.scale)
    print(
        f"built {info.provinces} provinces, {info.organisations} organisations "
        f"({info.grassroots} grassroots), {info.members} members in {t['seconds']:.1f} s"
    )
    print(f"organisations by kind: {info.by_kind}")
    if not args.no_check:
        with timer() as t:
            problems = check_world()
        print(f"checks ({t['seconds']:.1f} s):", "all passed" if not problems else "FAILED")
        for p in problems[:20]:
            print("  ", p)
        if problems:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
