"""Selectors over the 2025 merger, read against the demo data set."""

import datetime as dt

import pytest

from apps.organizations import services
from apps.organizations.models import Province
from apps.organizations.selectors import (
    province_on,
    unit_cluster_history,
    unit_for_province,
    unit_lineage,
    unit_lineage_ids,
    unit_standing_for,
)

pytestmark = pytest.mark.django_db

MERGER = dt.date(2025, 7, 1)
REVIEW_2025 = dt.date(2025, 12, 5)


def _province(scheme, code):
    return Province.objects.get(scheme=scheme, code=code)


def test_lineage_of_the_new_phu_tho(demo):
    lineage = unit_lineage(unit=demo.units["Phú Thọ"])
    assert {entry.unit for entry in lineage} == {
        demo.old["Phú Thọ"],
        demo.old["Vĩnh Phúc"],
        demo.old["Hòa Bình"],
    }
    assert all(entry.effective_date == MERGER for entry in lineage)
    assert all(entry.merged_into == demo.units["Phú Thọ"] for entry in lineage)
    assert all(entry.depth == 1 for entry in lineage)
    assert all(entry.legal_basis.startswith("Nghị quyết số 202/2025/QH15") for entry in lineage)
    assert set(unit_lineage_ids(unit=demo.units["Phú Thọ"])) == {
        demo.units["Phú Thọ"].pk,
        *(entry.unit.pk for entry in lineage),
    }


def test_unchanged_and_old_units_have_no_predecessors(demo):
    assert unit_lineage(unit=demo.units["Hà Nội"]) == []
    assert unit_lineage(unit=demo.old["Vĩnh Phúc"]) == []


def test_unit_for_old_province_follows_the_merger(demo):
    vinh_phuc = _province("63", "26")
    assert unit_for_province(province=vinh_phuc, on=REVIEW_2025) == demo.units["Phú Thọ"]
    assert unit_for_province(province=vinh_phuc, on=dt.date(2024, 6, 1)) == demo.old["Vĩnh Phúc"]
    # The last day before the merger still answers the old board, the first day the new one.
    assert unit_for_province(province=vinh_phuc, on=dt.date(2025, 6, 30)) == demo.old["Vĩnh Phúc"]
    assert unit_for_province(province=vinh_phuc, on=MERGER) == demo.units["Phú Thọ"]


def test_unit_for_new_province(demo):
    assert unit_for_province(province=_province("34", "01"), on=REVIEW_2025) == demo.units["Hà Nội"]
    assert (
        unit_for_province(province=_province("34", "25"), on=REVIEW_2025) == demo.units["Phú Thọ"]
    )
    # Code 15 is Yên Bái in the old scheme and Lào Cai in the new one.
    assert (
        unit_for_province(province=_province("63", "15"), on=REVIEW_2025) == demo.units["Lào Cai"]
    )
    assert (
        unit_for_province(province=_province("34", "15"), on=REVIEW_2025) == demo.units["Lào Cai"]
    )
    assert (
        unit_for_province(province=_province("63", "15"), on=dt.date(2024, 6, 1))
        == demo.old["Yên Bái"]
    )
    # Thừa Thiên Huế became Huế with no merger: its board goes on.
    assert (
        unit_for_province(province=_province("34", "46"), on=REVIEW_2025)
        == demo.units["Thừa Thiên Huế"]
    )
    # Before 1/7/2025 the new provinces did not exist.
    assert unit_for_province(province=_province("34", "25"), on=dt.date(2024, 6, 1)) is None


def test_province_on(reference):
    yen_bai, lao_cai_new = _province("63", "15"), _province("34", "15")
    assert province_on(province=yen_bai, on=REVIEW_2025) == lao_cai_new
    assert province_on(province=yen_bai, on=dt.date(2024, 1, 1)) == yen_bai
    assert province_on(province=lao_cai_new, on=dt.date(2024, 1, 1)) is None


def test_unit_standing_for(demo):
    for name in ("Vĩnh Phúc", "Hòa Bình", "Phú Thọ"):
        old = demo.old[name]
        assert unit_standing_for(unit=old, on=dt.date(2024, 6, 1)) == old
        assert unit_standing_for(unit=old, on=dt.date(2025, 6, 30)) == old
        assert unit_standing_for(unit=old, on=MERGER) == demo.units["Phú Thọ"]
    assert unit_standing_for(unit=demo.old["Yên Bái"], on=REVIEW_2025) == demo.units["Lào Cai"]
    assert unit_standing_for(unit=demo.units["Hà Nội"], on=REVIEW_2025) == demo.units["Hà Nội"]
    assert unit_standing_for(unit=demo.units["Phú Thọ"], on=dt.date(2024, 6, 1)) is None


def test_next_year_members_of_2024_are_the_nine_of_2025(demo):
    members = services.next_year_members(term=demo.terms[2024])
    assert len(members) == 9
    assert set(members) == set(demo.terms[2025].member_units)


def test_next_year_members_of_2025_are_the_same_nine(demo):
    members = services.next_year_members(term=demo.terms[2025])
    assert set(members) == set(demo.terms[2026].member_units)


def test_cluster_history_of_the_new_phu_tho_includes_its_predecessors(demo):
    history = unit_cluster_history(unit=demo.units["Phú Thọ"])
    rows = {(m.year, m.unit.short_name, m.unit == demo.units["Phú Thọ"]) for m in history}
    assert rows == {
        (2026, "Phú Thọ", True),
        (2025, "Phú Thọ", True),
        (2024, "Phú Thọ", False),
        (2024, "Vĩnh Phúc", False),
        (2024, "Hòa Bình", False),
        (2023, "Phú Thọ", False),
        (2023, "Vĩnh Phúc", False),
        (2023, "Hòa Bình", False),
    }
    assert [m.year for m in history] == sorted((m.year for m in history), reverse=True)
    assert all(m.term.cluster == demo.cluster for m in history)
    leader_years = {m.year for m in history if m.role == "leader"}
    assert leader_years == {2025}


def test_cluster_history_of_an_unchanged_unit(demo):
    history = unit_cluster_history(unit=demo.units["Cao Bằng"])
    assert [(m.year, m.role) for m in history] == [
        (2026, "leader"),
        (2025, "member"),
        (2024, "member"),
        (2023, "member"),
    ]


def test_open_next_from_2026_carries_the_nine(demo):
    term_2027 = services.term_open_next(
        actor=None, term=demo.terms[2026], leader=demo.units["Lào Cai"]
    )
    assert term_2027.year == 2027
    assert set(term_2027.member_units) == set(demo.terms[2026].member_units)
    assert term_2027.leader == demo.units["Lào Cai"]
