"""The ranking workbook, opened again with openpyxl: title, header, one row per unit with its
rank, totals and one column per criterion, the Vietnamese number format, widths, frozen header,
and the line-by-line explanation sheet."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from apps.emulation import selectors, services
from apps.emulation.exports import NUMBER_FORMAT, ranking_filename, ranking_workbook
from apps.emulation.tests.scenarios_scoring import fill_all, scoring_setup
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def s():
    units = [
        UnitFactory(short_name="Phú Thọ", name="Ban Tổ chức Tỉnh ủy Phú Thọ"),
        UnitFactory(short_name="Cao Bằng", name="Ban Tổ chức Tỉnh ủy Cao Bằng"),
        UnitFactory(short_name="Sơn La", name="Ban Tổ chức Tỉnh ủy Sơn La"),
    ]
    setup = scoring_setup(units=units)
    fill_all(setup, {"Công tác cán bộ": 50, "Điểm thưởng": 2, "Điểm trừ": 1})
    services.final_score_set(
        actor=None,
        period=setup.period,
        unit=units[1],
        criterion=setup.criterion("Công tác cán bộ"),
        points=Decimal("52.5"),
        reason="Bổ sung minh chứng",
    )
    return setup


def _open(s, published=False):
    if published:
        services.ranking_publish(actor=None, period=s.period)
        s.period.refresh_from_db()
    return load_workbook(BytesIO(ranking_workbook(selectors.ranking_for(period=s.period))))


def test_ranking_sheet(s):
    book = _open(s)
    ws = book["Xếp hạng"]
    assert ws["A1"].value.startswith("Kết quả xếp hạng thi đua Cụm thi đua số")
    assert "2025" in ws["A1"].value and "Tổng kết cuối năm" in ws["A1"].value
    assert ws["A2"].value.startswith("Bản xem trước, chưa công bố")
    assert "Nhiều tiêu chí đạt điểm tối đa hơn" in ws["A2"].value
    header = [c.value for c in ws[4]]
    assert header[:6] == ["Hạng", "Đơn vị", "Điểm tiêu chí", "Điểm thưởng", "Điểm trừ", "Tổng"]
    assert header[6] == "I.1. Công tác cán bộ (tối đa 60)"
    assert header[9] == "I.4. Điểm thưởng: Điểm thưởng (tối đa 5)"
    assert len(header) == 6 + 5
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [row[:2] for row in rows] == [
        [1, "Ban Tổ chức Tỉnh ủy Cao Bằng"],
        [2, "Ban Tổ chức Tỉnh ủy Phú Thọ"],
        [2, "Ban Tổ chức Tỉnh ủy Sơn La"],
    ]
    # Cao Bằng: 52.5 (reconciled) + 30 + 10 = 92.5; bonus 2, penalty 1.
    assert rows[0][2:7] == [92.5, 2, 1, 93.5, 52.5]
    assert ws["F5"].number_format == NUMBER_FORMAT and ws["C6"].number_format == NUMBER_FORMAT
    assert ws["A5"].number_format == "0"
    assert ws.freeze_panes == "C5"
    assert ws.column_dimensions["B"].width == 38 and ws.column_dimensions["G"].width == 16
    assert ws["A4"].font.bold and ws["A4"].alignment.wrap_text


def test_explanation_sheet_and_published_title(s):
    book = _open(s, published=True)
    assert book.sheetnames == ["Xếp hạng", "Giải trình"]
    assert book["Xếp hạng"]["A2"].value.startswith("Công bố lúc")
    ws = book["Giải trình"]
    assert [c.value for c in ws[3]][:7] == [
        "Hạng",
        "Đơn vị",
        "Mã",
        "Tiêu chí",
        "Tối đa",
        "Điểm tính",
        "Nguồn điểm",
    ]
    lines = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(lines) == 3 * 5
    first = lines[0]
    assert first[:3] == [1, "Cao Bằng", "I.1"] and first[5] == 52.5
    assert first[6] == "thống nhất: Bổ sung minh chứng" and first[7] == 60
    assert first[8] == "Phú Thọ 50; Sơn La 50"
    panel = lines[1]
    assert panel[6] == "trung bình của 1 đơn vị chấm"  # a panel unit: the other panel member
    own = lines[2]
    assert own[6] == "tự chấm" and own[8] is None
    assert ws.freeze_panes == "A4"


def test_filename(s):
    assert ranking_filename(s.period) == (
        f"xep-hang-cum-{s.term.cluster.number}-2025-year_end.xlsx"
    )
