"""The award catalog's numbers: prize money on both sides of each effective date, the rounding
up to 10.000 đ, versions that close the one before and never rewrite history, the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.awards import services
from apps.awards.models import AwardType, BaseSalary
from apps.awards.selectors import base_salary_on, prize_money

pytestmark = pytest.mark.django_db

DECISION = dt.date(2025, 12, 5)


def award(code):
    return AwardType.objects.get(code=code)


@pytest.mark.parametrize(
    ("code", "amount"),
    [
        ("lao-dong-tien-tien", 710_000),  # 0,3 × 2.340.000 = 702.000 → up to 710.000
        ("chien-si-thi-dua-co-so", 2_340_000),  # exact: stays
        ("chien-si-thi-dua-tinh", 7_020_000),
        ("chien-si-thi-dua-toan-quoc", 10_530_000),
        ("tap-the-lao-dong-tien-tien", 1_880_000),  # 1.872.000 → 1.880.000
        ("tap-the-lao-dong-xuat-sac", 3_510_000),
        ("co-thi-dua-tinh", 18_720_000),
        ("co-thi-dua-chinh-phu", 28_080_000),
    ],
)
def test_prize_money_of_each_title_in_2025(code, amount):
    prize = prize_money(award(code), DECISION)
    assert prize.amount == amount
    assert prize.amount % 10_000 == 0 and prize.amount >= prize.exact
    assert prize.amount - prize.exact < 10_000
    assert prize.base_salary.amount == 2_340_000


def test_the_base_salary_changes_on_1_july_2024():
    assert base_salary_on(dt.date(2024, 6, 30)).amount == 1_800_000
    assert base_salary_on(dt.date(2024, 7, 1)).amount == 2_340_000
    ldtt = award("lao-dong-tien-tien")
    assert prize_money(ldtt, dt.date(2024, 6, 30)).amount == 540_000  # 0,3 × 1.800.000
    assert prize_money(ldtt, dt.date(2024, 7, 1)).amount == 710_000


def test_no_number_in_force_is_said_in_vietnamese():
    with pytest.raises(ValidationError) as info:
        prize_money(award("lao-dong-tien-tien"), dt.date(2023, 12, 31))  # before the coefficient
    assert "không có hệ số tiền thưởng" in " ".join(info.value.messages)
    with pytest.raises(ValidationError) as info:
        prize_money(award("giay-khen-ca-nhan"), DECISION)  # no coefficient configured
    assert "Giấy khen (cá nhân)" in " ".join(info.value.messages)


def test_a_new_version_closes_the_previous_one_and_history_stays(demo):
    central = demo.users["tw.chuyenvien"]
    services.base_salary_add(
        actor=central, amount=2_600_000, valid_from=dt.date(2026, 7, 1), source="NĐ (giả định)"
    )
    previous = BaseSalary.objects.get(amount=2_340_000)
    assert previous.valid_to == dt.date(2026, 6, 30)
    assert base_salary_on(dt.date(2026, 6, 30)).amount == 2_340_000
    assert base_salary_on(dt.date(2026, 7, 1)).amount == 2_600_000
    # A decision of 2025 keeps the numbers it was made with.
    assert prize_money(award("co-thi-dua-tinh"), DECISION).amount == 18_720_000
    for day in (dt.date(2026, 7, 1), dt.date(2025, 1, 1)):  # same day, or inside history
        with pytest.raises(ValidationError) as info:
            services.base_salary_add(actor=central, amount=1, valid_from=day, source="x")
        assert "valid_from" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.base_salary_add(
            actor=central, amount=2_700_000, valid_from=dt.date(2027, 1, 1), source="  "
        )


@pytest.mark.parametrize("value", ["0", "-1", "101", "1.234", "abc", "NaN"])
def test_bad_coefficients_are_refused(value):
    with pytest.raises(ValidationError) as info:
        services.prize_coefficient_add(
            actor=None,
            award_type=award("lao-dong-tien-tien"),
            coefficient=value,
            valid_from=dt.date(2030, 1, 1),
            source="x",
        )
    assert "coefficient" in info.value.message_dict


def test_a_new_coefficient_applies_from_its_day():
    ldtt = award("lao-dong-tien-tien")
    services.prize_coefficient_add(
        actor=None,
        award_type=ldtt,
        coefficient=Decimal("0.5"),
        valid_from=dt.date(2026, 1, 1),
        source="NĐ (giả định)",
    )
    assert prize_money(ldtt, dt.date(2025, 12, 31)).coefficient.coefficient == Decimal("0.3")
    assert prize_money(ldtt, dt.date(2026, 1, 1)).amount == 1_170_000  # 0,5 × 2.340.000


def test_the_catalog_page_prices_on_the_chosen_day(client, demo):
    client.force_login(demo.users["xem"])
    page = client.get(reverse("awards:catalog"), {"on": "2024-06-30"})
    html = page.content.decode()
    assert "540.000 đ" in html and "Nghị định 24/2023/NĐ-CP" in html
    assert "Thêm mức lương cơ sở" not in html  # a viewer does not change numbers
    client.force_login(demo.users["tw.chuyenvien"])
    response = client.post(
        reverse("awards:coefficient_create", args=[award("giay-khen-ca-nhan").pk]),
        {"coefficient": "0,15", "valid_from": "2025-01-01", "source": "Quy chế (giả định)"},
        follow=True,
    )
    assert "360.000 đ" in response.content.decode()  # 0,15 × 2.340.000 = 351.000 → 360.000
