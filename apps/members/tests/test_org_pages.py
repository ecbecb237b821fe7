"""The organisation management pages, the classification page's forms and the badge award form,
over HTTP: the keeping unit's staff act on their subtree only, a refusal comes back on the page
with what was typed, success writes through the audited services."""

import datetime as dt

import pytest

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.models import MemberBadge, MemberClassification, OrgClassification, OrgSuccession
from apps.members.tests.factories import member
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own, other = UnitFactory(short_name="Phú Thọ"), UnitFactory(short_name="Cao Bằng")

    def make(code, name, kind, parent=None, managed_by=None):
        return services.org_create(
            actor=None, code=code, name=name, kind=kind, parent=parent, managed_by=managed_by
        )

    province = make("PT", "Đảng bộ tỉnh Phú Thọ", OrgKind.PROVINCE, managed_by=own)
    grassroots = make("PT-CQ", "Đảng bộ Cơ quan Tỉnh ủy", OrgKind.GRASSROOTS, province)
    cell = make("PT-CQ-1", "Chi bộ Phòng Tổ chức", OrgKind.CELL, grassroots)
    lone = make("PT-2", "Chi bộ xã Hùng Lô", OrgKind.GRASSROOTS_CELL, province)
    elsewhere = make("CB", "Đảng bộ tỉnh Cao Bằng", OrgKind.PROVINCE, managed_by=other)
    elsewhere_cell = make("CB-1", "Chi bộ xã Ngọc Côn", OrgKind.GRASSROOTS_CELL, elsewhere)
    return {
        "province": province,
        "grassroots": grassroots,
        "cell": cell,
        "lone": lone,
        "elsewhere": elsewhere,
        "elsewhere_cell": elsewhere_cell,
        "officer": UserFactory(role=Role.UNIT_OFFICER, unit=own),
        "stranger": UserFactory(role=Role.UNIT_OFFICER, unit=other),
        "viewer": UserFactory(role=Role.VIEWER, unit=own),
        "central": UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")),
    }


# --- organisation management --------------------------------------------------------------------


def test_the_org_page_links_management_to_its_keepers_only(client, world):
    client.force_login(world["officer"])
    page = client.get(f"/party/orgs/{world['grassroots'].pk}/").content.decode()
    assert f"/party/orgs/{world['grassroots'].pk}/move/" in page
    client.force_login(world["viewer"])
    page = client.get(f"/party/orgs/{world['grassroots'].pk}/").content.decode()
    assert "/move/" not in page
    assert client.get(f"/party/orgs/{world['grassroots'].pk}/move/").status_code == 403


def test_a_child_may_only_be_of_an_allowed_kind(client, world):
    client.force_login(world["officer"])
    url = f"/party/orgs/{world['grassroots'].pk}/new/"
    page = client.get(url).content.decode()
    assert 'value="cell"' in page and 'value="section"' in page
    assert 'value="province"' not in page and 'value="grassroots_cell"' not in page
    response = client.post(url, {"kind": "province", "code": "x1", "name": "Sai"})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    response = client.post(url, {"kind": "cell", "code": "pt-cq-2", "name": " Chi bộ  Văn phòng "})
    assert response.status_code == 302
    child = world["grassroots"].children.get(code="PT-CQ-2")
    assert child.name == "Chi bộ Văn phòng" and child.path.startswith(world["grassroots"].path)


def test_a_used_code_is_refused_and_the_form_keeps_what_was_typed(client, world):
    client.force_login(world["officer"])
    response = client.post(
        f"/party/orgs/{world['lone'].pk}/edit/",
        {"code": "PT-CQ", "name": "Chi bộ xã Hùng Lô mới", "valid_from": "2020-01-01"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["code"]
    page = response.content.decode()
    assert 'value="Chi bộ xã Hùng Lô mới"' in page and 'value="2020-01-01"' in page
    response = client.post(
        f"/party/orgs/{world['lone'].pk}/edit/",
        {"code": "PT-HL", "name": "Chi bộ xã Hùng Lô mới", "valid_from": "2020-01-01"},
    )
    assert response.status_code == 302
    world["lone"].refresh_from_db()
    assert (world["lone"].code, world["lone"].name) == ("PT-HL", "Chi bộ xã Hùng Lô mới")
    assert AuditEvent.objects.filter(action="member.org_update").count() == 1


def test_moving_a_subtree_and_its_refusals(client, world):
    client.force_login(world["officer"])
    url = f"/party/orgs/{world['cell'].pk}/move/"
    # A cell cannot sit directly under a province: the service's refusal is on the form.
    response = client.post(url, {"new_parent": world["province"].code})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert 'value="PT"' in response.content.decode()
    # Another unit's subtree is refused, even when the kinds fit.
    other_grassroots = services.org_create(
        actor=None,
        code="CB-CQ",
        name="Đảng bộ Cơ quan Cao Bằng",
        kind=OrgKind.GRASSROOTS,
        parent=world["elsewhere"],
    )
    response = client.post(url, {"new_parent": "cb-cq"})
    assert response.status_code == 200 and response.context["form"].errors["new_parent"]
    assert client.post(url, {"new_parent": "NOPE"}).context["form"].errors["new_parent"]
    # Under its own keeping: moved, members follow.
    person = member(world["cell"])
    target = services.org_create(
        actor=None,
        code="PT-KH",
        name="Đảng bộ Khối",
        kind=OrgKind.GRASSROOTS,
        parent=world["province"],
    )
    assert client.post(url, {"new_parent": "PT-KH"}).status_code == 302
    world["cell"].refresh_from_db()
    person.refresh_from_db()
    assert world["cell"].parent == target and person.org_path.startswith(target.path)
    # A central officer may move across units.
    client.force_login(world["central"])
    assert client.post(url, {"new_parent": "CB-CQ"}).status_code == 302
    world["cell"].refresh_from_db()
    assert world["cell"].parent == other_grassroots


def test_recording_a_succession(client, world):
    client.force_login(world["officer"])
    url = f"/party/orgs/{world['lone'].pk}/succession/"
    data = {
        "kind": "merge",
        "successor": "PT-CQ",
        "effective_date": "2025-07-01",
        "legal_basis": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["legal_basis"]
    response = client.post(url, {**data, "successor": "CB-1", "legal_basis": "QĐ 5"})
    assert response.context["form"].errors["successor"]
    assert client.post(url, {**data, "legal_basis": "Quyết định 5-QĐ/TU"}).status_code == 302
    row = OrgSuccession.objects.get()
    assert (row.predecessor, row.successor) == (world["lone"], world["grassroots"])
    world["lone"].refresh_from_db()
    assert world["lone"].valid_to == dt.date(2025, 6, 30)
    page = client.get(f"/party/orgs/{world['grassroots'].pk}/").content.decode()
    assert "Chi bộ xã Hùng Lô" in page and "Quyết định 5-QĐ/TU" in page


def test_another_units_staff_cannot_manage(client, world):
    client.force_login(world["stranger"])
    for suffix in ("new/", "edit/", "move/", "succession/"):
        assert client.get(f"/party/orgs/{world['grassroots'].pk}/{suffix}").status_code == 403


# --- classification page ------------------------------------------------------------------------


def classification_url(org, suffix=""):
    return f"/party/orgs/{org.pk}/classification/{suffix}"


def test_recording_a_members_score_on_the_cells_page(client, world):
    cell = world["cell"]
    people = [member(cell, full_name=f"Người {i}", cccd="") for i in range(6)]
    client.force_login(world["officer"])
    page = client.get(classification_url(cell) + "?year=2025").content.decode()
    assert 'id="member-classification-form"' in page
    post = {"year": "2025", "member": people[0].pk, "score": "82.5", "disqualified": ""}
    response = client.post(classification_url(cell, "members/"), post)
    assert response.status_code == 302 and response["Location"].endswith("?year=2025")
    row = MemberClassification.objects.get(member=people[0])
    assert (row.level, row.year) == ("good", 2025)
    # The cell's quota: 1 "good" allows no "excellent"; the page keeps what was typed.
    response = client.post(
        classification_url(cell, "members/"),
        {"year": "2025", "member": people[1].pk, "score": "95", "disqualified": "Không"},
    )
    response = client.post(
        classification_url(cell, "members/"),
        {"year": "2025", "member": people[2].pk, "score": "96.5"},
    )
    assert response.status_code == 200
    assert response.context["member_form"].errors["score"]
    page = response.content.decode()
    assert 'value="96.5"' in page and f'value="{people[2].pk}" selected' in page
    assert not MemberClassification.objects.filter(member=people[2]).exists()
    # With the approval of 25 % … still 0 of 1 good: refused; after 4 good, one is allowed.
    for person in people[3:6]:
        client.post(
            classification_url(cell, "members/"),
            {"year": "2025", "member": person.pk, "score": "75"},
        )
    response = client.post(
        classification_url(cell, "members/"),
        {"year": "2025", "member": people[2].pk, "score": "96.5", "approved": "on"},
    )
    assert response.status_code == 302
    assert MemberClassification.objects.get(member=people[2]).level == "excellent"


def test_members_are_classified_only_in_a_cell_and_by_their_keepers(client, world):
    client.force_login(world["officer"])
    response = client.post(
        classification_url(world["grassroots"], "members/"), {"year": "2025", "score": "80"}
    )
    assert response.status_code == 403
    client.force_login(world["viewer"])
    page = client.get(classification_url(world["cell"])).content.decode()
    assert "member-classification-form" not in page


def test_the_organisations_steps_on_its_page(client, world):
    org = world["lone"]
    client.force_login(world["officer"])
    page = client.get(classification_url(org) + "?year=2025").content.decode()
    assert 'id="step-self_assess"' in page and 'id="step-decide"' not in page
    # Too high a level for the score: refused, typed values kept.
    response = client.post(
        classification_url(org, "self-assess/"),
        {"year": "2025", "score": "72", "level": "excellent", "comment": "Đề nghị xuất sắc"},
    )
    assert response.status_code == 200
    bound = response.context["step_forms"][0][1]
    assert bound.errors["level"]
    assert "Đề nghị xuất sắc" in response.content.decode()
    assert not OrgClassification.objects.exists()
    response = client.post(
        classification_url(org, "self-assess/"), {"year": "2025", "score": "92", "comment": ""}
    )
    assert response.status_code == 302
    # Deciding before appraisal: the wrong step is refused with both states named.
    response = client.post(
        classification_url(org, "decide/"),
        {"year": "2025", "level": "good", "decision_number": "1", "decision_date": "2026-01-05"},
    )
    assert response.status_code == 200
    assert response.context["step_forms"][-1][1].non_field_errors()
    response = client.post(
        classification_url(org, "appraise/"),
        {"year": "2025", "level": "excellent", "comment": "Đạt"},
    )
    assert response.status_code == 302
    # The province decides; its quota: 0 "good" allow no "excellent".
    data = {
        "year": "2025",
        "level": "excellent",
        "decision_number": "7-QĐ/TU",
        "decision_date": "2026-01-05",
    }
    response = client.post(classification_url(org, "decide/"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="7-QĐ/TU"' in page and response.context["step_forms"][-1][1].errors["level"]
    assert (
        client.post(classification_url(org, "decide/"), {**data, "level": "good"}).status_code
        == 302
    )
    record = OrgClassification.objects.get(organization=org)
    assert (record.state, record.level, record.decided_by) == (
        "decided",
        "good",
        world["province"],
    )
    page = client.get(classification_url(world["province"]) + "?year=2025").content.decode()
    assert 'id="org-target"' in page and "Chi bộ xã Hùng Lô" in page
    assert client.get(classification_url(org) + "?year=2025").context["step_forms"] == []


def test_a_step_needs_the_keeping_of_the_level_that_takes_it(client, world):
    org = world["elsewhere_cell"]
    services.org_classification_self_assess(actor=None, org=org, year=2025, score=80)
    client.force_login(world["officer"])
    response = client.post(classification_url(org, "appraise/"), {"year": "2025", "level": "good"})
    assert response.status_code == 403
    client.force_login(world["viewer"])
    assert (
        client.post(
            classification_url(world["lone"], "self-assess/"), {"year": "2025", "score": "80"}
        ).status_code
        == 403
    )
    page = client.get(classification_url(world["lone"])).content.decode()
    assert "step-self_assess" not in page


def test_a_unit_sees_only_its_subtree_on_the_classification_page(client, world):
    client.force_login(world["officer"])
    assert client.get(classification_url(world["elsewhere"])).status_code == 403
    page = client.get(classification_url(world["province"])).content.decode()
    assert "Chi bộ xã Hùng Lô" in page and "Chi bộ xã Ngọc Côn" not in page


# --- badges -------------------------------------------------------------------------------------


@pytest.fixture
def veteran(world):
    return member(
        world["lone"],
        full_name="Hoàng Văn Lâm",
        birth_date=dt.date(1960, 1, 1),
        admitted_on=dt.date(1990, 5, 19),
        cccd="",
    )


def badges_url(world):
    return f"/party/orgs/{world['province'].pk}/badges/?round_on=2020-05-19"


def test_awarding_a_due_badge_from_the_list(client, world, veteran):
    client.force_login(world["officer"])
    page = client.get(badges_url(world)).content.decode()
    assert f"/party/members/{veteran.pk}/badges/award/" in page
    data = {
        "org": world["province"].pk,
        "years": "30",
        "awarded_on": "2020-05-19",
        "early_reason": "",
        "number": " HH 0001 ",
    }
    response = client.post(f"/party/members/{veteran.pk}/badges/award/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/party/orgs/{world['province'].pk}/badges/?round_on=2020-05-19"
    badge = MemberBadge.objects.get(member=veteran)
    assert (badge.years, badge.number, badge.created_by) == (30, "HH0001", world["officer"])
    page = client.get(f"/party/members/{veteran.pk}/").content.decode()
    assert 'id="member-badges"' in page and "HH0001" in page


def test_a_refused_award_keeps_the_number_on_the_members_row(client, world, veteran):
    other = member(
        world["lone"],
        full_name="Lê Thị Mai",
        sex="female",
        birth_date=dt.date(1962, 2, 2),
        admitted_on=dt.date(1990, 5, 19),
        cccd="",
    )
    services.badge_award(
        actor=None, member=other, years=30, awarded_on=dt.date(2020, 5, 19), number="HH-9"
    )
    client.force_login(world["officer"])
    data = {
        "org": world["province"].pk,
        "years": "30",
        "awarded_on": "2020-05-19",
        "number": "HH-9",
    }
    response = client.post(f"/party/members/{veteran.pk}/badges/award/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="award-refused"' in page and 'value="HH-9"' in page
    assert not MemberBadge.objects.filter(member=veteran).exists()
    # Not due yet (a round before the 30 years): refused.
    early = {**data, "awarded_on": "2019-05-19", "number": "HH-10"}
    response = client.post(f"/party/members/{veteran.pk}/badges/award/", early)
    assert response.status_code == 200 and 'id="award-refused"' in response.content.decode()
    # Early, seriously ill: up to 12 months before.
    response = client.post(
        f"/party/members/{veteran.pk}/badges/award/", {**early, "early_reason": "ill"}
    )
    assert response.status_code == 302
    assert MemberBadge.objects.get(member=veteran).early_reason == "ill"


def test_only_the_keepers_award(client, world, veteran):
    client.force_login(world["viewer"])
    assert (
        f"/party/members/{veteran.pk}/badges/award/"
        not in client.get(badges_url(world)).content.decode()
    )
    data = {"org": world["province"].pk, "years": "30", "awarded_on": "2020-05-19", "number": "X"}
    assert client.post(f"/party/members/{veteran.pk}/badges/award/", data).status_code == 403
    client.force_login(world["stranger"])
    assert client.post(f"/party/members/{veteran.pk}/badges/award/", data).status_code == 403
