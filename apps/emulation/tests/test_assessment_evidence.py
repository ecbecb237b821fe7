"""Evidence files: every accepted kind by content, every refused kind with a Vietnamese message
naming the file, size limits per file and per assessment, random stored names with SHA-256,
download only for readers (with the original name), removal while draft."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.models import AuditEvent
from apps.emulation import services
from apps.emulation.evidence import detect
from apps.emulation.models import Evidence
from apps.emulation.tests import assessment_files as files
from apps.emulation.tests.assessment_world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


@pytest.fixture
def line(w):
    return w.line(w.open())


def _add(line, name, content, actor=None):
    return services.evidence_add(actor=actor, item=line, upload=files.upload(name, content))


@pytest.mark.parametrize("name", sorted(files.GOOD))
def test_each_accepted_kind_is_stored_with_a_random_name_and_its_hash(line, name, settings):
    content = files.GOOD[name]()
    evidence = _add(line, name, content, actor=None)
    assert evidence.original_name == name
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "evidence")
    assert name.rsplit(".", 1)[0] not in stored.name  # random: never the user's name
    assert stored.suffix == Path(name).suffix and len(stored.stem) == 32
    assert stored.read_bytes() == content
    expected = {
        ".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".doc": "application/msword",
        ".xls": "application/vnd.ms-excel",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".png": "image/png",
    }
    assert evidence.content_type == expected[stored.suffix]
    event = AuditEvent.objects.get(action="assessment.evidence_add")
    assert event.after["sha256"] == evidence.sha256 and event.after["name"] == name


def test_the_extension_is_matched_case_insensitively(line):
    assert _add(line, "SCAN.PDF", files.pdf_bytes()).content_type == "application/pdf"


REFUSED = [
    ("cai-dat.pdf", files.EXE_BYTES, "đây là tài liệu PDF", "nội dung là một chương trình"),
    ("bao-cao.pdf", files.HTML_BYTES, "đây là tài liệu PDF", "nội dung là một trang web (HTML)"),
    ("to-trinh.docx", files.zip_without_office_parts(), "tài liệu Word (.docx)", "không đọc được"),
    ("so-lieu.xlsx", files.docx_bytes(), "bảng tính Excel (.xlsx)", "lại là tài liệu Word (.docx)"),
    ("macro.docx", files.macro_docx_bytes(), "tài liệu Word (.docx)", "không đọc được"),
    ("cu.doc", files.xls_bytes(), "tài liệu Word (.doc)", "lại là bảng tính Excel (.xls)"),
    ("cu.xls", files.EXE_BYTES, "bảng tính Excel (.xls)", "một chương trình"),
    ("anh.png", files.JPEG_BYTES, "đây là ảnh PNG", "lại là ảnh JPEG; hãy đổi đuôi tệp"),
    ("anh.jpg", files.png_bytes()[:-12], "đây là ảnh JPEG", "không đọc được"),
    ("hong.png", files.png_bytes()[:-12], "đây là ảnh PNG", "hoặc tệp đã hỏng"),
    ("chuong-trinh.exe", files.EXE_BYTES, "không đính kèm được", "chỉ nhận tệp PDF"),
    ("ghi-chu.txt", b"Ghi chu", "không đính kèm được", "chỉ nhận tệp PDF"),
    ("khong-ten", files.pdf_bytes(), "không đính kèm được", ""),
    ("rong.pdf", b"", "trống", ""),
]


@pytest.mark.parametrize(("name", "content", "kind", "detail"), REFUSED)
def test_refused_kinds_name_the_file_in_vietnamese(line, name, content, kind, detail):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        _add(line, name, content)
    message = error.value.messages[0]
    assert message.startswith(f"Tệp “{name}” "), message
    assert kind in message and detail in message, message
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.evidence_add").exists()


def test_png_with_a_bad_checksum_or_truncated_data_is_refused():
    good = files.png_bytes()
    corrupt = bytearray(good)
    corrupt[-20] ^= 0xFF  # inside the image data: its CRC no longer matches
    assert detect(good).key == "png"
    assert detect(bytes(corrupt)) is None
    assert detect(good.replace(b"IEND", b"IENX")) is None


def test_a_pdf_without_its_end_marker_is_refused():
    assert detect(files.pdf_bytes().replace(b"%%EOF", b"")) is None


def test_too_big_a_file_is_refused_before_reading_it_all(line, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 1000
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        _add(line, "lon.docx", files.docx_bytes() + b"\0" * 1000)
    assert error.value.messages == ["Tệp “lon.docx” nặng 2 KB; mỗi tệp tối đa 1 KB."]


def test_files_of_an_assessment_together_stay_under_the_total(w, settings):
    assessment = w.open()
    line, other = w.line(assessment), w.line(assessment, n=1)
    pdf = files.pdf_bytes()
    settings.EVIDENCE_MAX_TOTAL_BYTES = 2 * len(pdf) + 10
    _add(line, "mot.pdf", pdf)
    _add(other, "hai.pdf", pdf)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        _add(line, "ba.pdf", pdf)
    assert error.value.messages[0].startswith("Tệp “ba.pdf” (1 KB) không vừa")
    assert Evidence.objects.count() == 2
    # Another unit's files do not count against this one.
    _add(w.line(w.open(unit=w.third)), "ba.pdf", pdf)


def test_file_names_from_windows_paths_are_cleaned(line):
    evidence = _add(line, "C:\\Users\\mai\\Desktop\\Báo cáo\u0007 năm.pdf", files.pdf_bytes())
    assert evidence.original_name == "Báo cáo năm.pdf"


def test_removal_deletes_the_row_and_the_file_after_commit(
    line, django_capture_on_commit_callbacks
):
    evidence = _add(line, "bao-cao.pdf", files.pdf_bytes())
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(actor=None, evidence=evidence)
    assert not Evidence.objects.exists() and not path.exists()
    event = AuditEvent.objects.get(action="assessment.evidence_delete")
    assert event.before["name"] == "bao-cao.pdf"


# --- download ------------------------------------------------------------------------------------


def _download(client, user, evidence):
    client.force_login(user)
    return client.get(f"/evidence/{evidence.pk}/")


def test_download_gives_the_original_name_and_type_to_readers(client, w):
    assessment = w.open()
    evidence = _add(w.line(assessment), "Báo cáo tổng kết.pdf", files.pdf_bytes())
    for name in ("officer", "viewer", "leader", "lead_officer", "central"):
        response = _download(client, w.users[name], evidence)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert (
            "filename*=utf-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt.pdf" in disposition
        )
        assert b"".join(response.streaming_content) == files.pdf_bytes()
        assert response["Cache-Control"] == "private, no-store"


def test_download_is_refused_to_other_members_until_submitted(client, w):
    assessment = w.open()
    evidence = _add(w.line(assessment), "bao-cao.pdf", files.pdf_bytes())
    refused = ("third_officer", "third_leader", "third_viewer", "outsider_leader", "lead_viewer")
    for name in refused:
        assert _download(client, w.users[name], evidence).status_code == 403, name
    w.fill(assessment)
    services.assessment_submit(actor=None, assessment=assessment)
    for name in ("third_officer", "third_leader", "third_viewer", "lead_viewer"):
        assert _download(client, w.users[name], evidence).status_code == 200, name
    # A unit outside the term never reads it.
    assert _download(client, w.users["outsider_leader"], evidence).status_code == 403
    client.logout()
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_download_of_a_missing_evidence_is_404(client, w):
    client.force_login(w.users["central"])
    assert client.get("/evidence/999999/").status_code == 404
