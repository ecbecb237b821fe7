"""Citizen ID rules: valid numbers of each century and sex, and every kind of invalid one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.members.cccd import FEMALE, MALE, check_cccd, mask_cccd, parse_cccd


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


@pytest.mark.parametrize(
    ("number", "sex", "year", "province"),
    [
        ("001085012345", MALE, 1985, "Hà Nội"),
        ("025185012345", FEMALE, 1985, "Phú Thọ"),
        ("026203000001", MALE, 2003, "Vĩnh Phúc"),  # a province merged in 2025: code still valid
        ("096399000001", FEMALE, 2099, "Cà Mau"),
        ("004400000001", MALE, 2100, "Cao Bằng"),
        ("014500000001", FEMALE, 2100, "Sơn La"),
    ],
)
def test_parse_valid_numbers(number, sex, year, province):
    info = parse_cccd(number)
    assert (info.sex, info.birth_year, info.province_name) == (sex, year, province)


def test_spaces_and_dots_are_ignored():
    assert check_cccd("001 0 85 012345") == "001085012345"
    assert check_cccd("001.085.012.345") == "001085012345"


@pytest.mark.parametrize(
    "number", ["00108501234", "0010850123456", "00108501234a", "", "００１０８５０１２３４５"]
)
def test_not_twelve_ascii_digits(number):
    with pytest.raises(ValidationError) as error:
        parse_cccd(number)
    assert codes(error.value) == {"format"}


def test_unknown_province_code():
    with pytest.raises(ValidationError) as error:
        parse_cccd("003085012345")  # 003 is no province
    assert codes(error.value) == {"province"}


@pytest.mark.parametrize("digit", "6789")
def test_sex_century_digit_out_of_range(digit):
    with pytest.raises(ValidationError) as error:
        parse_cccd(f"001{digit}85012345")
    assert codes(error.value) == {"century"}


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        parse_cccd("099785012345")
    assert codes(error.value) == {"province", "century"}


def test_must_agree_with_sex_and_birth_year():
    check_cccd("001185012345", sex=FEMALE, birth_date=dt.date(1985, 1, 2))
    with pytest.raises(ValidationError) as error:
        check_cccd("001185012345", sex=MALE, birth_date=dt.date(1986, 1, 2))
    assert codes(error.value) == {"sex", "birth_year"}
    messages = " ".join(error.value.messages)
    assert "1985" in messages and "1986" in messages


def test_century_matters_for_the_birth_year():
    # 0 → 1900s, 2 → 2000s: the same YY is a different year.
    with pytest.raises(ValidationError) as error:
        check_cccd("001203012345", birth_date=dt.date(1903, 5, 1))
    assert codes(error.value) == {"birth_year"}


def test_birth_year_in_the_future():
    with pytest.raises(ValidationError) as error:
        check_cccd("001299012345", today=dt.date(2026, 12, 3))
    assert codes(error.value) == {"future"}


def test_mask():
    assert mask_cccd("001085012389") == "0010******89"
    assert mask_cccd("001 085 012 389") == "0010******89"
    assert mask_cccd("123") == "***"
