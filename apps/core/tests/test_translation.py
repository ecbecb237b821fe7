"""Nothing untranslated reaches a Vietnamese user: the catalog is complete, its placeholders agree
with the English, and every translatable string in the source is in it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*(?::[^}]*)?\}")


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle)


def _strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_entry_is_translated_and_none_is_fuzzy():
    bad = [m.id for m in _catalog() if m.id and (m.fuzzy or not all(_strings(m)))]
    assert not bad, f"untranslated or fuzzy: {bad[:10]}"


def test_placeholders_survive_translation():
    wrong = []
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = sorted(set(PLACEHOLDER.findall(ids[-1])))
        for text in _strings(message):
            if sorted(set(PLACEHOLDER.findall(text))) != expected:
                wrong.append(ids[0])
    assert not wrong, f"placeholders differ: {wrong}"


def test_vietnamese_is_active_for_users():
    assert settings.LANGUAGE_CODE == "vi"
    with translation.override("vi"):
        assert translation.gettext("History") == "Lịch sử"
        assert translation.gettext("This field is required.") == "Trường này là bắt buộc."


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_source_string_is_in_the_catalog(tmp_path):
    """Extract the strings afresh from a copy of the tree and compare with the committed catalog."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    for name in ("apps", "thidua", "templates", "manage.py", "locale"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "THIDUA_VAR_DIR": str(tmp_path / "var")},
    )
    with (copy / "locale" / "vi" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        fresh = read_po(handle)
    missing = [m.id for m in fresh if m.id and (m.fuzzy or not all(_strings(m)))]
    assert not missing, f"strings in the source without a Vietnamese translation: {missing[:15]}"
