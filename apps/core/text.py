"""Vietnamese text: one folding rule for search, one ordering rule for lists of names."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Punctuation separates words for search and ordering ("Bà Rịa–Vũng Tàu" = "Bà Rịa Vũng Tàu").
_PUNCTUATION = re.compile(r"[^\w\s]+")
_WORD_SEPARATORS = re.compile(r"[\W_]+")
# Marks that make a different *letter* in Vietnamese (ă, â, ê, ô, ơ, ư): they order letters.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
# Tone marks order only words that are otherwise equal: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# đ/Đ have no decomposition, so folding maps them by hand. Text converted from legacy Vietnamese
# encodings often carries the look-alike eth (ð/Ð, U+00F0/U+00D0) instead; treat it the same.
_D_WITH_STROKE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def fold(text: str | None) -> str:
    """Lower-case, strip tones and letter marks, map đ to d, punctuation to spaces, collapse spaces.

    ``fold("HÀ GIANG") == fold("ha giang") == "ha giang"``; stored in ``search_*`` columns and
    applied to every search query so diacritics and case never matter.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_WITH_STROKE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", stripped)).strip().lower()


def _letter_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _LETTER_MARKS and primary:
            primary[-1] += _LETTER_MARKS[ch]
        elif ch in _TONE_MARKS:
            if tones:
                tones[-1] = _TONE_MARKS[ch]
        elif not unicodedata.combining(ch):
            # Each base letter gets room for its marked variants: a < ă < â < b; d < đ < e.
            primary.append(ord("d") * 4 + 1 if ch in "đð" else ord(ch) * 4)
            tones.append(0)
    return tuple(primary), tuple(tones)


def vi_sort_key(text: str | None) -> tuple:
    """Key for Vietnamese alphabetical order (a ă â b c d đ e ê …), tones as a tie-break."""
    words = _SPACES.split((text or "").strip())
    keys = [_letter_key(w) for w in words if w]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys)


def vi_name_sort_key(full_name: str | None) -> tuple:
    """Order people as Vietnamese lists do: given name, then middle name(s), then family name."""
    words = _SPACES.split((full_name or "").strip())
    if len(words) <= 1:
        return (vi_sort_key(full_name), (), ())
    return (vi_sort_key(words[-1]), vi_sort_key(" ".join(words[1:-1])), vi_sort_key(words[0]))


def vi_collation_key(text: str | None) -> str:
    """``vi_sort_key`` as a string of digits, stored in ``sort_key`` columns for ORDER BY.

    Digits compare the same under every database collation (SQLite's binary, PostgreSQL's locale
    collations), so the database orders rows in Vietnamese alphabetical order without ICU.
    Each letter is three digits (100–999), words are separated by "001", and the tones follow
    after "000" as a tie-break.
    """
    normalized = unicodedata.normalize("NFC", text or "")
    words = [w for w in _WORD_SEPARATORS.split(normalized) if w]
    keys = [_letter_key(w) for w in words]
    primary = "001".join("".join(f"{min(p, 899) + 100:03d}" for p in key[0]) for key in keys)
    tones = "".join(str(t) for key in keys for t in key[1])
    return f"{primary}000{tones}"
