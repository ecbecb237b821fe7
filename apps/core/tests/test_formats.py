"""Vietnamese number, money and date formats (apps.core.formats and the ``vn`` filters)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from apps.core.formats import vn_date, vn_date_long, vn_datetime, vn_money, vn_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2619, "2.619"),
        (0, "0"),
        (-1234567, "-1.234.567"),
        (12.5, "12,5"),
        (Decimal("5600000"), "5.600.000"),
        ("2619", "2.619"),
        (None, ""),
        ("", ""),
        ("không phải số", "không phải số"),  # a filter never breaks the page
    ],
)
def test_vn_number(value, expected):
    assert vn_number(value) == expected


def test_vn_number_with_fixed_digits():
    assert vn_number(Decimal("1234.5"), 2) == "1.234,50"
    assert vn_number(98.7654, 1) == "98,8"
    assert vn_number(3, 0) == "3"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (70000000, "70.000.000 đ"),
        (Decimal("1500.6"), "1.501 đ"),  # whole đồng, rounded half up
        (Decimal("1500.4"), "1.500 đ"),
        (0, "0 đ"),
        (None, ""),
    ],
)
def test_vn_money(value, expected):
    assert vn_money(value) == expected


def test_vn_date_and_long_form():
    assert vn_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert vn_date_long(dt.date(2025, 12, 5)) == "ngày 05 tháng 12 năm 2025"
    assert vn_date(None) == "" and vn_date_long(None) == ""


def test_datetimes_are_shown_in_vietnam_time():
    utc = dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.UTC)  # 00:30 on 1 July in Hà Nội
    assert vn_datetime(utc) == "01/07/2025 00:30"
    assert vn_date(utc) == "01/07/2025"
    assert vn_date_long(utc) == "ngày 01 tháng 07 năm 2025"
    tokyo = dt.datetime(2025, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert vn_datetime(tokyo) == "01/07/2025 07:00"


def test_vn_datetime_accepts_a_plain_date():
    assert vn_datetime(dt.date(2025, 12, 5)) == "05/12/2025"


def test_template_filters():
    template = Template(
        "{% load vn %}{{ n|vn_number }}|{{ m|vn_money }}|{{ d|vn_date }}|{{ d|vn_date_long }}"
    )
    rendered = template.render(Context({"n": 2619, "m": 70000000, "d": dt.date(2025, 12, 5)}))
    assert rendered == "2.619|70.000.000 đ|05/12/2025|ngày 05 tháng 12 năm 2025"
