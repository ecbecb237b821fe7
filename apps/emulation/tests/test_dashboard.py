"""The year's dashboard and a member unit's to-do list, on real rows made through the services."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.emulation import services
from apps.emulation.selectors.dashboard import term_todo, year_dashboard
from apps.emulation.tests.assessment_world import make_world
from apps.voting import services as voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = make_world()
    world.users["lead_leader"] = UserFactory(
        username="tc.lead_leader", role=Role.UNIT_LEADER, unit=world.lead
    )
    return world


def texts(items):
    return [item.text for item in items]


def test_member_leader_is_asked_to_self_assess_then_not_after_submitting(w):
    leader = w.users["leader"]
    items = term_todo(user=leader, term=w.term)
    assert any("tự chấm" in t.lower() for t in texts(items)), texts(items)
    todo = next(i for i in items if "tự chấm" in i.text.lower())
    assert todo.due == w.period.deadline
    assert todo.url == reverse("emulation:assessment", args=[w.period.pk, w.member.pk])

    assessment = w.fill(w.open(actor=leader))
    services.assessment_submit(actor=leader, assessment=assessment)
    assert not any("tự chấm" in t.lower() for t in texts(term_todo(user=leader, term=w.term)))


def test_officer_is_told_the_leader_submits(w):
    items = term_todo(user=w.users["officer"], term=w.term)
    assert any("lãnh đạo" in t.lower() for t in texts(items)), texts(items)


def test_no_todo_for_a_viewer_or_an_outsider_or_a_closed_period(w):
    assert term_todo(user=w.users["viewer"], term=w.term) == []
    assert term_todo(user=w.users["outsider_leader"], term=w.term) == []
    w.close()
    assert not any(
        "tự chấm" in t.lower() for t in texts(term_todo(user=w.users["leader"], term=w.term))
    )


def test_reopening_brings_the_item_back_with_its_own_day(w):
    w.close()
    reopening = w.reopen(days=2)
    items = [
        i for i in term_todo(user=w.users["leader"], term=w.term) if "tự chấm" in i.text.lower()
    ]
    assert len(items) == 1 and items[0].due == reopening.until and items[0].urgent


def test_unsigned_pact_and_open_ballot_reach_the_leader(w):
    leader = w.users["leader"]
    amendment = services.pact_amend(actor=None, pact=w.pact, reason="Bổ sung tiêu chí")
    services.pact_open_for_signing(actor=None, pact=amendment)
    assert any("ký giao ước" in t.lower() for t in texts(term_todo(user=leader, term=w.term)))
    services.pact_sign(actor=leader, pact=amendment, unit=w.member)
    assert not any("ký giao ước" in t.lower() for t in texts(term_todo(user=leader, term=w.term)))

    ballot = voting.ballot_create(
        actor=None, term=w.term, question="Đơn vị dẫn đầu Cụm năm 2025", candidates=[w.lead]
    )
    voting.ballot_open(actor=None, ballot=ballot)
    vote = [i for i in term_todo(user=leader, term=w.term) if "Đơn vị dẫn đầu" in i.text]
    assert len(vote) == 1
    # An officer cannot vote: no voting item for them.
    assert not [
        i for i in term_todo(user=w.users["officer"], term=w.term) if "Đơn vị dẫn đầu" in i.text
    ]
    voting.ballot_cast(actor=leader, ballot=ballot, choices=[ballot.candidates.get()])
    assert not [i for i in term_todo(user=leader, term=w.term) if "Đơn vị dẫn đầu" in i.text]


def test_cross_scoring_item_counts_submitted_sheets(w):
    third_leader = w.users["third_leader"]
    items = [i for i in term_todo(user=third_leader, term=w.term) if "chấm chéo" in i.text.lower()]
    assert len(items) == 1 and "0" in items[0].text and "2" in items[0].text


def test_dashboard_figures_and_secretariat_only_parts(w):
    leader = w.users["leader"]
    assessment = w.fill(w.open(actor=leader))
    services.assessment_submit(actor=leader, assessment=assessment)

    board = year_dashboard(user=w.users["lead_officer"], term=w.term)
    assert board.secretariat and board.pact == w.pact
    (panel,) = board.periods
    assert panel.counts["submitted"] == 1 and panel.counts["members"] == 3
    assert panel.flags is not None  # the secretariat sees the flags
    assert panel.blockers  # two units have not submitted yet

    member_view = year_dashboard(user=w.users["third_officer"], term=w.term)
    assert not member_view.secretariat
    assert member_view.periods[0].flags is None and member_view.periods[0].blockers == []


def test_missing_and_late_are_counted_after_the_deadline(w):
    leader = w.users["leader"]
    assessment = w.open(actor=leader)
    w.fill(assessment)
    w.close()
    w.reopen()
    services.assessment_submit(actor=leader, assessment=assessment)
    (panel,) = year_dashboard(user=w.users["central"], term=w.term).periods
    assert panel.counts["late"] == 1 and panel.counts["missing"] == 2


def test_page_for_readers_and_the_home_to_do(w, client):
    url = reverse("emulation:term_year", args=[w.term.pk])
    client.force_login(w.users["lead_officer"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cao Bằng" in html and 'data-figure="flags"' in html

    client.force_login(w.users["third_viewer"])
    html = client.get(url).content.decode()
    assert 'data-figure="flags"' not in html  # members do not see the secretariat's flags

    # The home page lists this year's terms: give the unit a term of the current year too.
    from apps.core.views import current_year
    from apps.emulation.tests.factories import review_period
    from apps.organizations import services as org
    from apps.organizations.tests.factories import ClusterFactory

    now = org.term_create(
        actor=None,
        cluster=ClusterFactory(),
        year=current_year(),
        members=[w.member, w.outsider],
        leader=w.outsider,
    )
    period = review_period(now)
    client.force_login(w.users["leader"])
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="todo"' in home
    assert reverse("emulation:assessment", args=[period.pk, w.member.pk]) in home


def test_home_has_no_to_do_block_when_nothing_is_due(w, client):
    w.period.opens_on = timezone.localdate() + dt.timedelta(days=5)
    w.period.deadline = w.period.opens_on + dt.timedelta(days=5)
    w.period.save()
    client.force_login(w.users["viewer"])
    assert 'id="todo"' not in client.get(reverse("core:home")).content.decode()


def test_the_api_answers_what_the_page_shows(w):
    from rest_framework.test import APIClient

    leader = w.users["leader"]
    assessment = w.fill(w.open(actor=leader))
    services.assessment_submit(actor=leader, assessment=assessment)
    url = f"/api/term-years/{w.term.pk}/"
    client = APIClient()
    client.force_authenticate(w.users["lead_officer"])
    body = client.get(url).json()
    assert body["secretariat"] is True and body["pact"]["id"] == w.pact.pk
    (period,) = body["periods"]
    assert period["counts"]["submitted"] == 1 and period["counts"]["members"] == 3
    assert [s["state"] for s in period["submissions"]].count("submitted") == 1
    assert period["flags"] is not None and period["blockers"]
    assert len(body["signed"]) + len(body["not_signed"]) == 3

    client.force_authenticate(w.users["third_officer"])
    member = client.get(url).json()
    assert member["secretariat"] is False
    assert member["periods"][0]["flags"] is None and member["periods"][0]["blockers"] == []
    assert any("tự chấm" in item["text"].lower() for item in member["todo"]), member["todo"]

    assert APIClient().get(url).status_code == 401
    assert client.get("/api/term-years/999999/").status_code == 404
