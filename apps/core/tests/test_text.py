"""Vietnamese folding for search and ordering for lists (apps.core.text)."""

import unicodedata

import pytest

from apps.core.text import fold, vi_name_sort_key, vi_sort_key


def test_fold_ignores_case_and_diacritics():
    assert fold("HÀ GIANG") == fold("Hà Giang") == fold("ha giang") == "ha giang"


def test_fold_maps_d_with_stroke():
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("ĐIỆN BIÊN") == "dien bien"
    assert fold("Ðà Nẵng") == "da nang"  # legacy-encoding look-alike (U+00D0) as well


def test_fold_is_the_same_for_composed_and_decomposed_text():
    composed = "Bà Rịa – Vũng Tàu"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "ba ria vung tau"


def test_fold_collapses_spaces_and_handles_empty_values():
    assert fold("  Cao   Bằng\t") == "cao bang"
    assert fold("") == "" and fold(None) == ""


@pytest.mark.parametrize(
    "letters",
    [
        ["a", "ă", "â", "b"],
        ["d", "đ", "e"],
        ["e", "ê", "g"],
        ["o", "ô", "ơ", "p"],
        ["u", "ư", "v"],
    ],
)
def test_vi_sort_key_orders_the_vietnamese_alphabet(letters):
    for shuffled in (list(reversed(letters)), letters[::2] + letters[1::2]):
        assert sorted(shuffled, key=vi_sort_key) == letters


def test_vi_sort_key_upper_and_lower_case_sort_together():
    assert sorted(["Đồng Tháp", "an giang", "Bắc Ninh", "Bạc Liêu"], key=vi_sort_key) == [
        "an giang",
        "Bạc Liêu",
        "Bắc Ninh",
        "Đồng Tháp",
    ]


def test_vi_sort_key_letters_before_tones():
    # Tones only break ties between otherwise equal words: "Ba" < "Bà" < "Bá" < "Bác" < "Bắc".
    words = ["Bắc", "Bác", "Bá", "Bà", "Ba"]
    assert sorted(words, key=vi_sort_key) == ["Ba", "Bà", "Bá", "Bác", "Bắc"]


def test_vi_sort_key_orders_province_names():
    names = ["Điện Biên", "Đắk Lắk", "Cao Bằng", "Cà Mau", "Hà Nội", "Hà Giang", "Hải Phòng"]
    assert sorted(names, key=vi_sort_key) == [
        "Cà Mau",
        "Cao Bằng",
        "Đắk Lắk",
        "Điện Biên",
        "Hà Giang",
        "Hà Nội",
        "Hải Phòng",
    ]


def test_vi_name_sort_key_orders_by_given_name_then_middle_then_family():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Bình"]
    assert sorted(names, key=vi_name_sort_key) == [
        "Trần Thị An",
        "Lê Văn Bình",
        "Nguyễn Văn Bình",
    ]


def test_vi_name_sort_key_middle_name_before_family_name():
    names = ["Lê Văn Bình", "Nguyễn Thị Bình"]
    assert sorted(names, key=vi_name_sort_key) == ["Nguyễn Thị Bình", "Lê Văn Bình"]


def test_vi_name_sort_key_handles_one_word_and_empty_names():
    names = ["Bình", "", "Trần An"]
    assert sorted(names, key=vi_name_sort_key) == ["", "Trần An", "Bình"]


def test_fold_treats_punctuation_as_space():
    from apps.core.text import fold

    assert fold("Bà Rịa–Vũng Tàu") == "ba ria vung tau"
    assert fold("Bà Rịa - Vũng Tàu") == "ba ria vung tau"
    assert fold("TP. Hồ Chí Minh") == "tp ho chi minh"


def test_collation_key_orders_like_vietnamese_dictionaries():
    from apps.core.text import vi_collation_key

    expected = [
        "An Giang",
        "Ăn",
        "Ấp",
        "Bà Rịa–Vũng Tàu",
        "Bạc Liêu",
        "Bắc Giang",
        "Bắc Kạn",
        "Dak",
        "Đà Nẵng",
        "Điện Biên",
        "Hà Giang",
        "Hà Nam",
        "Hà Nội",
        "Hải Phòng",
        "Hòa Bình",
    ]
    shuffled = expected[::2] + expected[1::2]
    assert sorted(shuffled, key=vi_collation_key) == expected


def test_collation_key_is_digits_only_so_any_database_collation_agrees():
    from apps.core.text import vi_collation_key

    key = vi_collation_key("Đắk Lắk – Bà Rịa")
    assert key.isdigit()
    # Tones only break ties: same letters, different tones stay adjacent and ordered.
    assert (
        vi_collation_key("Ma")
        < vi_collation_key("Mà")
        < vi_collation_key("Mả")
        < vi_collation_key("Mb")
    )
