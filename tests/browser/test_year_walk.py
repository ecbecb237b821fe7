"""Issue 3's walk: the year of cluster 1 in 2025 with the demo accounts, in a real browser.

Phú Thọ leads the cluster in 2025. Its leader amends the signed pact and opens the new version
for signing; Cao Bằng and Lào Cai sign it. Cao Bằng's officer fills the self-assessment with an
evidence file and its leader submits it. Lào Cai's leader cross-scores Cao Bằng. The secretariat
publishes the ranking, prepares an acclamation vote from it, and Phú Thọ, Cao Bằng and Lào Cai
cast their votes; the vote is closed, published, and a receipt is checked.

What the walk does not click through is arranged with the same services beforehand: the other
six units' self-assessments and the other score sheets (see ``scenarios_scoring``).
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.emulation import services
from apps.emulation.choices import CriterionKind
from apps.emulation.models import AssessmentItem, Pact, ScoreSheet
from apps.emulation.tests.assessment_files import pdf_bytes
from apps.emulation.tests.factories import review_period
from apps.emulation.tests.scenarios_scoring import quick_fill, submit_assessment
from apps.voting.models import Ballot, BallotPaper, VoterRecord

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ThiDua@2026"


def _points(scorer, target, criterion):
    """Varied, deterministic cross scores (by name, so the same on every run)."""
    share = Decimal(70 + (len(scorer.short_name) * 7 + len(target.short_name) * 3) % 31) / 100
    return (criterion.max_points * share * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _confirm(page, modal_id):
    """Press the button that opens a confirmation modal, then its Confirm button."""
    page.locator(f'[data-bs-target="#{modal_id}"]').click()
    with page.expect_navigation():
        page.locator(f"#{modal_id}").get_by_role("button", name="Xác nhận").click()


def _as(page, login, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def test_the_year_of_cluster_one(demo, live_server, browser_page, login, screenshot_dir, tmp_path):
    page = browser_page
    term = demo.terms[2025]
    units = demo.units
    base = live_server.url
    signed = term.pacts.get()

    # 1. The leader amends the signed pact and opens the new version for signing.
    _as(page, login, "phutho.lanhdao")
    page.goto(f"{base}/terms/{term.pk}/year/")
    page.locator("#pact-card a", has_text=signed.title).click()
    page.get_by_role("link", name="Sửa đổi").click()
    page.fill("textarea[name=reason], input[name=reason]", "Bổ sung tiêu chí chuyển đổi số")
    with page.expect_navigation():
        page.locator(
            "form.form-page button[type=submit], main form button[type=submit]"
        ).first.click()
    amendment = Pact.objects.get(supersedes=signed)
    assert page.url.endswith(amendment.get_absolute_url())
    _confirm(page, "confirm-open")
    assert "Mở ký giao ước" not in page.locator("main").inner_text()
    amendment.refresh_from_db()
    assert amendment.state == "open_for_signing"

    # 2. Two member units sign it; the page says who signed and who has not.
    for username in ("caobang.lanhdao", "laocai.lanhdao"):
        _as(page, login, username)
        page.goto(base + amendment.get_absolute_url())
        _confirm(page, "confirm-sign")
    assert "Đã ký: 2/9" in page.locator("main").inner_text()
    assert page.locator("#signatures tbody tr").count() == 2
    assert page.locator("#missing-signatures li").count() == 7
    assert set(amendment.signatures.values_list("unit__short_name", flat=True)) == {
        "Cao Bằng",
        "Lào Cai",
    }
    page.screenshot(path=str(screenshot_dir / "year-pact-signing.png"), full_page=True)
    # Until every member signs, the signed version stays the one in force for scoring.
    period = review_period(term, panel=[units["Phú Thọ"], units["Hà Nội"]])
    assert period.term.pacts.filter(state="signed").get() == signed

    # 3. Cao Bằng's self-assessment: the officer types and attaches a file, the leader submits.
    others = [
        m.unit for m in term.memberships.select_related("unit") if m.unit != units["Cao Bằng"]
    ]
    for index, unit in enumerate(others):
        submit_assessment(period, unit, signed, good_practices=3 + index % 4)
    _as(page, login, "caobang.chuyenvien")
    url = f"{base}/review-periods/{period.pk}/units/{units['Cao Bằng'].pk}/assessment/"
    page.goto(url)
    assessment = units["Cao Bằng"].assessments.get(period=period)
    lines = list(
        assessment.items.filter(criterion__kind=CriterionKind.CRITERION).order_by(
            "criterion__group__position", "criterion__position"
        )
    )
    first = lines[0]
    page.locator(f"#points-{first.pk}").press_sequentially("7,5", delay=30)
    page.wait_for_selector(f'#status-{first.pk} [data-status="saved"]')
    pdf = tmp_path / "Báo cáo thành tích 2025.pdf"
    pdf.write_bytes(pdf_bytes())
    page.set_input_files(f"#file-{first.pk}", str(pdf))
    page.locator(f"#evidence-{first.pk} button[type=submit]").last.click()
    page.wait_for_selector(f"#evidence-{first.pk} a:has-text('Báo cáo thành tích 2025.pdf')")
    for item in AssessmentItem.objects.filter(
        assessment=assessment, criterion__kind=CriterionKind.CRITERION, points=None
    ):  # the remaining lines, as the officer would type them
        services.assessment_item_update(
            actor=demo.users["caobang.chuyenvien"],
            item=item,
            version=item.version,
            points=item.criterion.max_points,
        )
    _as(page, login, "caobang.lanhdao")
    page.goto(url)
    page.get_by_role("button", name="Gửi").first.click()
    page.locator("#confirm-submit").get_by_role("button", name="Xác nhận").click()
    page.wait_for_selector("#submitted-note")
    assessment.refresh_from_db()
    assert assessment.state == "submitted"
    assert first.evidence.count() == 1

    # 4. Lào Cai's leader cross-scores Cao Bằng; every other sheet is arranged.
    quick_fill(period, _points, skip=[(units["Lào Cai"], units["Cao Bằng"])])
    _as(page, login, "laocai.lanhdao")
    page.goto(f"{base}/review-periods/{period.pk}/scoring/")
    row = page.locator(f'#sheet-list tr[data-target="{units["Cao Bằng"].pk}"]')
    with page.expect_navigation():
        row.get_by_role("button", name="Bắt đầu chấm").click()
    sheet = ScoreSheet.objects.get(period=period, scorer=units["Lào Cai"], target=units["Cao Bằng"])
    for score in sheet.scores.select_related("criterion").order_by(
        "criterion__group__position", "criterion__position"
    ):
        value = _points(units["Lào Cai"], units["Cao Bằng"], score.criterion)
        page.fill(f"#points-{score.pk}", f"{value:f}".replace(".", ","))
        page.wait_for_selector(f'#status-{score.pk} [data-status="saved"]')
    page.get_by_role("button", name="Gửi").first.click()
    with page.expect_navigation():
        page.locator("#confirm-submit button[type=submit]").click()
    assert page.locator("#submitted-note").is_visible()

    # 5. The secretariat publishes the ranking.
    _as(page, login, "phutho.chuyenvien")
    page.goto(f"{base}/review-periods/{period.pk}/ranking/")
    assert page.locator("#preview-note").is_visible()
    page.get_by_role("button", name="Công bố xếp hạng").click()
    with page.expect_navigation():
        page.locator("#confirm-publish button[type=submit]").click()
    assert page.locator("#published-note").is_visible()
    page.screenshot(path=str(screenshot_dir / "year-ranking.png"), full_page=True)

    # 6. The leader prepares the vote from the ranking's top 3 and opens it.
    _as(page, login, "phutho.lanhdao")
    page.goto(f"{base}/terms/{term.pk}/ballots/new/")
    page.select_option("#top", "3")
    with page.expect_navigation():
        page.locator("#from-ranking button[type=submit]").click()
    ticked = page.locator("input[name=candidates]:checked").count()
    assert ticked >= 3
    with page.expect_navigation():
        page.locator("form.form-page button[type=submit]").click()
    ballot = Ballot.objects.get(term=term)
    assert ballot.candidates.count() == ticked
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Mở bỏ phiếu").click()
    ballot.refresh_from_db()
    assert ballot.state == "open"

    # 7. Three units cast; each gets a receipt code once.
    first_candidate = ballot.candidates.order_by("position").first()
    receipts = {}
    for username in ("phutho.lanhdao", "caobang.lanhdao", "laocai.lanhdao"):
        _as(page, login, username)
        page.goto(base + ballot.get_absolute_url())
        page.check(f'#cast-form input[value="{first_candidate.pk}"]')
        with page.expect_navigation():
            page.locator("#cast-form button[type=submit]").click()
        assert first_candidate.unit.name in page.locator("#chosen").inner_text()
        with page.expect_navigation():
            page.get_by_role("button", name="Bỏ phiếu").click()
        receipts[username] = page.locator("#receipt").inner_text().strip()
    assert len(set(receipts.values())) == 3
    assert VoterRecord.objects.filter(ballot=ballot).count() == 3
    page.screenshot(path=str(screenshot_dir / "year-ballot-receipt.png"), full_page=True)

    # 8. The leader closes and publishes; Lào Cai checks its receipt.
    _as(page, login, "phutho.lanhdao")
    page.goto(base + ballot.get_absolute_url())
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Kết thúc bỏ phiếu").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Công bố kết quả").click()
    page.get_by_role("link", name="Kết quả").first.click()
    results = page.locator("main").inner_text()
    assert "3/9" in results
    page.screenshot(path=str(screenshot_dir / "year-ballot-results.png"), full_page=True)
    _as(page, login, "laocai.lanhdao")
    page.goto(f"{base}/ballots/{ballot.pk}/papers/?receipt={receipts['laocai.lanhdao']}")
    assert first_candidate.unit.name in page.locator("main").inner_text()
    assert BallotPaper.objects.filter(ballot=ballot).count() == 3

    # The year at a glance for the leader.
    _as(page, login, "phutho.lanhdao")
    page.goto(f"{base}/terms/{term.pk}/year/")
    page.screenshot(path=str(screenshot_dir / "year-dashboard.png"), full_page=True)
    assert page.locator("#ballots-card").inner_text().count("Đã công bố") >= 1
