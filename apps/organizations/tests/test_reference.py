"""The province reference file and the idempotent ``load_reference`` command."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command

from apps.core.models import AuditEvent
from apps.organizations.management.commands.load_reference import (
    load_reference,
    read_provinces_file,
)
from apps.organizations.models import Province, ProvinceSuccession
from apps.organizations.selectors import province_on

OLD, NEW = "63", "34"
UNCHANGED = {
    "Hà Nội",
    "Cao Bằng",
    "Điện Biên",
    "Lai Châu",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Huế",
}


@pytest.fixture(scope="module")
def data():
    return read_provinces_file()


def _provinces(data, scheme):
    return [p for p in data["provinces"] if p["scheme"] == scheme]


def _by_code(data, scheme):
    return {p["code"]: p for p in _provinces(data, scheme)}


def _predecessor_names(data, new_code):
    old = _by_code(data, OLD)
    (row,) = [s for s in data["successions"] if s["successor"]["code"] == new_code]
    return {old[p["code"]]["name"] for p in row["predecessors"]}


# --- the file ------------------------------------------------------------------------------------


def test_file_has_63_old_and_34_new_provinces(data):
    assert len(_provinces(data, OLD)) == 63
    assert len(_provinces(data, NEW)) == 34
    assert {p["scheme"] for p in data["provinces"]} == {OLD, NEW}


def test_codes_are_unique_within_each_scheme_and_two_digits(data):
    for scheme in (OLD, NEW):
        codes = [p["code"] for p in _provinces(data, scheme)]
        assert len(codes) == len(set(codes)), scheme
        assert all(len(c) == 2 and c.isdigit() for c in codes)
        names = [p["name"] for p in _provinces(data, scheme)]
        assert len(names) == len(set(names)), scheme


def test_all_63_citizen_id_codes_present(data):
    cccd = [p["cccd_code"] for p in _provinces(data, OLD)]
    assert len(set(cccd)) == 63
    assert all(c and len(c) == 3 and c.isdigit() for c in cccd)
    # In the old scheme the administrative code and the citizen-ID code are the same number.
    assert all(p["cccd_code"] == "0" + p["code"] for p in _provinces(data, OLD))
    assert all(p["cccd_code"] is None for p in _provinces(data, NEW))
    old = _by_code(data, OLD)
    assert (old["01"]["name"], old["01"]["cccd_code"]) == ("Hà Nội", "001")
    assert old["46"]["name"] == "Thừa Thiên Huế"
    assert old["96"]["cccd_code"] == "096"


def test_validity_dates(data):
    for p in _provinces(data, OLD):
        assert (p["valid_from"], p["valid_to"]) == (None, "2025-06-30"), p["name"]
    for p in _provinces(data, NEW):
        assert (p["valid_from"], p["valid_to"]) == ("2025-07-01", None), p["name"]


def test_city_kinds(data):
    old_cities = {p["name"] for p in _provinces(data, OLD) if p["kind"] == "city"}
    new_cities = {p["name"] for p in _provinces(data, NEW) if p["kind"] == "city"}
    assert old_cities == {
        "Hà Nội",
        "Hải Phòng",
        "Đà Nẵng",
        "TP Hồ Chí Minh",
        "Cần Thơ",
        "Thừa Thiên Huế",
    }
    assert new_cities == {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "TP Hồ Chí Minh", "Cần Thơ"}
    assert {p["kind"] for p in data["provinces"]} == {"city", "province"}


def test_every_new_province_has_one_succession_and_every_old_one_a_single_successor(data):
    successors = [s["successor"] for s in data["successions"]]
    assert all(s["scheme"] == NEW for s in successors)
    assert sorted(s["code"] for s in successors) == sorted(_by_code(data, NEW))
    predecessors = Counter(
        (p["scheme"], p["code"]) for s in data["successions"] for p in s["predecessors"]
    )
    assert set(predecessors) == {(OLD, code) for code in _by_code(data, OLD)}
    assert set(predecessors.values()) == {1}
    for row in data["successions"]:
        assert row["effective_date"] == "2025-07-01"
        assert row["legal_basis"] in data["legal_basis"]
    assert "202/2025/QH15" in data["legal_basis"]["nq202"]


def test_names_written_beside_codes_agree_with_the_province_list(data):
    old, new = _by_code(data, OLD), _by_code(data, NEW)
    for row in data["successions"]:
        assert row["successor"]["name"] == new[row["successor"]["code"]]["name"]
        for p in row["predecessors"]:
            assert p["name"] == old[p["code"]]["name"]


def test_merger_map(data):
    new = _by_code(data, NEW)
    assert new["25"]["name"] == "Phú Thọ"
    assert _predecessor_names(data, "25") == {"Phú Thọ", "Vĩnh Phúc", "Hòa Bình"}
    assert _predecessor_names(data, "79") == {"Bình Dương", "Bà Rịa–Vũng Tàu", "TP Hồ Chí Minh"}
    assert _predecessor_names(data, "46") == {"Thừa Thiên Huế"}
    unchanged = {
        p["name"] for p in _provinces(data, NEW) if len(_predecessor_names(data, p["code"])) == 1
    }
    assert unchanged == UNCHANGED
    assert len(data["successions"]) - len(unchanged) == 23


def test_a_code_means_different_provinces_in_the_two_schemes(data):
    assert _by_code(data, OLD)["15"]["name"] == "Yên Bái"
    assert _by_code(data, NEW)["15"]["name"] == "Lào Cai"
    assert _predecessor_names(data, "15") == {"Yên Bái", "Lào Cai"}


# --- the command ---------------------------------------------------------------------------------


def _run() -> str:
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_reference_loads_everything_once():
    output = _run()
    assert Province.objects.filter(scheme=OLD).count() == 63
    assert Province.objects.filter(scheme=NEW).count() == 34
    assert ProvinceSuccession.objects.count() == 63
    assert "97" in output and "63" in output
    assert AuditEvent.objects.filter(action="reference.provinces_load").count() == 1

    vinh_phuc = Province.objects.get(scheme=OLD, code="26")
    assert (vinh_phuc.name, vinh_phuc.cccd_code) == ("Vĩnh Phúc", "026")
    assert vinh_phuc.valid_to == dt.date(2025, 6, 30)
    phu_tho = Province.objects.get(scheme=NEW, code="25")
    assert province_on(province=vinh_phuc, on=dt.date(2025, 12, 5)) == phu_tho
    assert province_on(province=vinh_phuc, on=dt.date(2024, 6, 1)) == vinh_phuc
    assert vinh_phuc.successions_as_predecessor.get().legal_basis.startswith(
        "Nghị quyết số 202/2025/QH15"
    )


@pytest.mark.django_db
def test_load_reference_twice_changes_nothing():
    _run()
    events = AuditEvent.objects.count()
    rows = list(Province.objects.values_list("pk", "scheme", "code", "name", "cccd_code"))
    successions = list(ProvinceSuccession.objects.values_list("pk", "predecessor", "successor"))

    output = _run()

    assert AuditEvent.objects.count() == events
    assert list(Province.objects.values_list("pk", "scheme", "code", "name", "cccd_code")) == rows
    assert list(ProvinceSuccession.objects.values_list("pk", "predecessor", "successor")) == (
        successions
    )
    assert output.strip() and "\n" not in output.strip()  # one summary line
    assert load_reference() == {"created": 0, "updated": 0, "successions": 0}
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_load_reference_restores_a_changed_row():
    _run()
    lao_cai = Province.objects.get(scheme=NEW, code="15")
    Province.objects.filter(pk=lao_cai.pk).update(name="Lào Cai (sửa tay)", kind="city")
    ProvinceSuccession.objects.filter(predecessor__scheme=OLD, predecessor__code="15").update(
        successor=Province.objects.get(scheme=NEW, code="19")
    )
    events = AuditEvent.objects.count()

    _run()

    lao_cai.refresh_from_db()
    assert (lao_cai.name, lao_cai.kind, lao_cai.search_name) == ("Lào Cai", "province", "lao cai")
    yen_bai = Province.objects.get(scheme=OLD, code="15")
    assert yen_bai.successions_as_predecessor.get().successor == lao_cai
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("id").after == {"created": 0, "updated": 1, "successions": 1}
