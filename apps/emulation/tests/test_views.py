"""Pact pages through the HTTP client, with the demo accounts of cluster 1 in 2025."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from apps.core.models import AuditEvent
from apps.emulation import selectors, services
from apps.emulation.choices import PactState
from apps.emulation.demo import DESCRIPTION
from apps.emulation.models import Criterion, Pact

pytestmark = pytest.mark.django_db


def _login(client, demo, username):
    client.force_login(demo.users[username])
    return client


def test_demo_pact_is_signed_by_all_nine(demo):
    pact = demo.terms[2025].pacts.get()
    assert pact.state == PactState.SIGNED
    assert pact.description == DESCRIPTION and "minh họa" in pact.description
    assert pact.groups.count() == 8
    assert pact.signatures.count() == 9
    assert not pact.signatures.exclude(signed_by=None).exists()  # imported from paper
    points = dict.fromkeys(("criterion", "bonus", "penalty"), 0)
    for criterion in Criterion.objects.filter(group__pact=pact):
        points[criterion.kind] += criterion.max_points
    assert points == {"criterion": 100, "bonus": 5, "penalty": 5}
    assert timezone.localtime(pact.signed_at).date() == dt.date(2024, 11, 30)
    assert selectors.pact_in_force(term=demo.terms[2025], on=dt.date(2025, 6, 1)) == pact
    assert selectors.pact_in_force(term=demo.terms[2025], on=dt.date(2024, 11, 29)) is None


def test_demo_load_is_idempotent(demo):
    from apps.organizations.demo import load_demo

    before = AuditEvent.objects.count()
    load_demo()
    assert AuditEvent.objects.count() == before
    assert Pact.objects.count() == 1


def test_pact_page_shows_totals_and_signatures(client, demo):
    pact = demo.terms[2025].pacts.get()
    response = _login(client, demo, "xem").get(pact.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="total-criteria">100<' in html
    assert 'id="total-bonus">+5<' in html and 'id="total-penalty">−5<' in html
    assert "Đã ký: 9/9" in html
    assert "Cao Bằng" in html
    assert "Tham mưu sắp xếp, tinh gọn tổ chức bộ máy" in html
    # A viewer sees no action buttons.
    assert "/open/" not in html and "/amend/" not in html and "/sign/" not in html


def test_term_page_links_to_pacts(client, demo):
    term = demo.terms[2025]
    html = _login(client, demo, "xem").get(term.get_absolute_url()).content.decode()
    assert f"/terms/{term.pk}/pacts/" in html
    assert "Giao ước thi đua Cụm thi đua số 1 năm 2025" in html


def test_secretariat_copies_opens_and_leaders_sign(client, demo):
    term = demo.terms[2026]  # led by Cao Bằng
    _login(client, demo, "caobang.chuyenvien")
    response = client.post(f"/terms/{term.pk}/pacts/copy/", {"title": ""})
    pact = term.pacts.get()
    assert response.status_code == 302 and response["Location"] == pact.get_absolute_url()
    assert pact.title.endswith("2026") and pact.groups.count() == 8
    page = client.get(pact.get_absolute_url()).content.decode()
    assert f"/pacts/{pact.pk}/open/" in page and f"/pacts/{pact.pk}/edit/" in page
    client.post(f"/pacts/{pact.pk}/open/")
    pact.refresh_from_db()
    assert pact.state == PactState.OPEN_FOR_SIGNING
    # Opened: no more editing, refused by the service with a message.
    group = pact.groups.first()
    response = client.post(
        f"/pact-groups/{group.pk}/edit/", {"position": 1, "code": "I", "title": "Đổi"}
    )
    assert response.status_code == 200
    assert "Chỉ sửa được giao ước ở trạng thái dự thảo" in response.content.decode()
    # Unit leaders sign; the Phú Thọ leader signs once only.
    _login(client, demo, "phutho.lanhdao")
    assert f"/pacts/{pact.pk}/sign/" in client.get(pact.get_absolute_url()).content.decode()
    client.post(f"/pacts/{pact.pk}/sign/")
    page = client.get(pact.get_absolute_url()).content.decode()
    assert f"/pacts/{pact.pk}/sign/" not in page
    response = client.post(f"/pacts/{pact.pk}/sign/", follow=True)
    assert "đã ký giao ước này" in response.content.decode()
    assert pact.signatures.count() == 1


def test_wrong_transition_shows_message(client, demo):
    pact = demo.terms[2025].pacts.get()
    _login(client, demo, "phutho.chuyenvien")
    with translation.override("vi"):
        response = client.post(f"/pacts/{pact.pk}/open/", follow=True)
    assert "Giao ước ở trạng thái Đã ký không thể chuyển sang Đang lấy chữ ký." in (
        response.content.decode()
    )


def test_amend_from_the_page(client, demo):
    pact = demo.terms[2025].pacts.get()
    _login(client, demo, "phutho.lanhdao")
    response = client.post(f"/pacts/{pact.pk}/amend/", {"reason": "Bổ sung tiêu chí"})
    amendment = Pact.objects.get(version=2)
    assert response["Location"] == amendment.get_absolute_url()
    html = client.get(amendment.get_absolute_url()).content.decode()
    assert "Bổ sung tiêu chí" in html
    listing = client.get(f"/terms/{pact.term_id}/pacts/").content.decode()
    assert "Đang có hiệu lực" in listing


def test_other_term_secretariat_cannot_open(client, demo):
    term = demo.terms[2026]
    draft = services.pact_copy_from_previous(actor=None, term=term)
    _login(client, demo, "phutho.chuyenvien")  # 2025's secretariat, not 2026's
    assert client.post(f"/pacts/{draft.pk}/open/").status_code == 403


def test_pact_page_queries_do_not_grow_with_criteria(client, demo, django_assert_max_num_queries):
    pact = demo.terms[2025].pacts.get()
    _login(client, demo, "phutho.lanhdao")
    client.get(pact.get_absolute_url())  # warm the session and content-type caches
    with django_assert_max_num_queries(15):
        response = client.get(pact.get_absolute_url())
    assert response.status_code == 200
