"""Citizen ID (căn cước công dân, CCCD) rules, DOMAIN.md §4: 12 digits ``PPP G YY NNNNNN``.

PPP is the province where the birth was registered, in the old 63-province codes (a number does not
change when provinces merge); G is sex and century (0/1 male/female born 1900–1999, 2/3 2000–2099,
4/5 2100–2199); YY the last two digits of the birth year. ``check_cccd`` returns the normalised
number or raises ``ValidationError`` listing every problem it found, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PROVINCES_FILE = (
    Path(__file__).resolve().parent.parent / "organizations" / "data" / "provinces.json"
)
MALE, FEMALE = "male", "female"
CENTURIES = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100}

__all__ = ["CccdInfo", "check_cccd", "cccd_provinces", "mask_cccd", "normalise_cccd", "parse_cccd"]


@cache
def cccd_provinces() -> dict[str, str]:
    """Province code (3 digits) → name, from the reference data the app ships."""
    data = json.loads(PROVINCES_FILE.read_text(encoding="utf-8"))
    return {p["cccd_code"]: p["name"] for p in data["provinces"] if p.get("cccd_code")}


@dataclass(frozen=True)
class CccdInfo:
    number: str
    province_code: str
    province_name: str
    sex: str  # MALE or FEMALE
    birth_year: int
    serial: str


def normalise_cccd(value) -> str:
    """Digits only: "001 0 85 012345" and "001.085.012.345" are the same number."""
    text = str(value or "")
    if text.isdigit():  # already normal (the usual case in an import): nothing to drop
        return text
    return "".join(ch for ch in text if not ch.isspace() and ch not in ".-")


def parse_cccd(value) -> CccdInfo:
    number = normalise_cccd(value)
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        raise ValidationError(
            _("A citizen ID (CCCD) has exactly 12 digits; “%(value)s” has %(n)s characters.")
            % {"value": value, "n": len(number)},
            code="format",
        )
    problems = []
    province = cccd_provinces().get(number[:3])
    if province is None:
        problems.append(
            ValidationError(
                _("%(code)s is not a province code of a citizen ID (001 Hà Nội … 096 Cà Mau).")
                % {"code": number[:3]},
                code="province",
            )
        )
    digit = int(number[3])
    if digit not in CENTURIES:
        problems.append(
            ValidationError(
                _("The 4th digit (sex and century) must be 0 to 5, not %(digit)s.")
                % {"digit": digit},
                code="century",
            )
        )
    if problems:
        raise ValidationError(problems)
    return CccdInfo(
        number=number,
        province_code=number[:3],
        province_name=province,
        sex=MALE if digit % 2 == 0 else FEMALE,
        birth_year=CENTURIES[digit] + int(number[4:6]),
        serial=number[6:],
    )


def check_cccd(
    value,
    *,
    sex: str | None = None,
    birth_date: dt.date | None = None,
    today: dt.date | None = None,
) -> str:
    """The normalised number, after checking it agrees with the person's sex and birth year."""
    info = parse_cccd(value)
    problems = []
    if sex in (MALE, FEMALE) and info.sex != sex:
        problems.append(
            ValidationError(
                _("The citizen ID says %(id_sex)s but the record says %(sex)s.")
                % {"id_sex": _sex_label(info.sex), "sex": _sex_label(sex)},
                code="sex",
            )
        )
    if birth_date is not None and info.birth_year != birth_date.year:
        problems.append(
            ValidationError(
                _("The citizen ID says born in %(id_year)s but the record says %(year)s.")
                % {"id_year": info.birth_year, "year": birth_date.year},
                code="birth_year",
            )
        )
    if info.birth_year > (today or dt.date.today()).year:
        problems.append(
            ValidationError(
                _("The citizen ID gives a birth year in the future (%(year)s).")
                % {"year": info.birth_year},
                code="future",
            )
        )
    if problems:
        raise ValidationError(problems)
    return info.number


def _sex_label(sex: str) -> str:
    return _("male") if sex == MALE else _("female")


def mask_cccd(value) -> str:
    """For lists: the first 4 and last 2 digits, "0010******89"."""
    number = normalise_cccd(value)
    if len(number) != 12:
        return "*" * len(number)
    return f"{number[:4]}{'*' * 6}{number[-2:]}"
