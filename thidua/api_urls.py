from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from apps.awards.api.views import (
    AwardQuotaViewSet,
    AwardRecordViewSet,
    AwardRuleViewSet,
    AwardTypeViewSet,
    DecisionViewSet,
    ProposalCandidateViewSet,
    ProposalViewSet,
)
from apps.emulation.api.assessment import (
    AssessmentEvidenceViewSet,
    AssessmentItemViewSet,
    AssessmentViewSet,
)
from apps.emulation.api.dashboard import TermYearViewSet
from apps.emulation.api.reviews import MovementViewSet, ReviewPeriodViewSet
from apps.emulation.api.scoring import ScoreSheetViewSet, ScoreViewSet, ScoringViewSet
from apps.emulation.api.views import ContentGroupViewSet, CriterionViewSet, PactViewSet
from apps.funds.api.views import FundEntryViewSet
from apps.members.api.history import ImportViewSet
from apps.members.api.inspections import CourseViewSet, InspectionViewSet, ParticipantViewSet
from apps.members.api.orgs import PartyStatisticsViewSet
from apps.members.api.views import MemberViewSet, PartyOrgViewSet
from apps.organizations.api.views import ClusterViewSet, ProvinceViewSet, TermViewSet, UnitViewSet
from apps.practices.api.views import PracticeViewSet
from apps.voting.api.views import BallotViewSet

# Basenames are part of the API's contract: URL names such as "unit-detail" or "term-open-next"
# are used by tests and the permission matrix.
router = DefaultRouter()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("units", UnitViewSet, basename="unit")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("terms", TermViewSet, basename="term")
router.register("pacts", PactViewSet, basename="pact")
router.register(r"pacts/(?P<pact_pk>[0-9]+)/groups", ContentGroupViewSet, basename="pact-group")
router.register(r"pacts/(?P<pact_pk>[0-9]+)/criteria", CriterionViewSet, basename="pact-criterion")
# reviews and movements
router.register(r"terms/(?P<term_pk>[0-9]+)/movements", MovementViewSet, basename="term-movement")
router.register("review-periods", ReviewPeriodViewSet, basename="review-period")
# self-assessment
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register(
    r"assessments/(?P<assessment_pk>[0-9]+)/items",
    AssessmentItemViewSet,
    basename="assessment-item",
)
router.register(
    r"assessments/(?P<assessment_pk>[0-9]+)/evidence",
    AssessmentEvidenceViewSet,
    basename="assessment-evidence",
)
# cross-scoring, reconciliation and ranking
router.register("score-sheets", ScoreSheetViewSet, basename="score-sheet")
router.register("scores", ScoreViewSet, basename="score")
router.register("scoring", ScoringViewSet, basename="scoring")

router.register("ballots", BallotViewSet, basename="ballot")
router.register("term-years", TermYearViewSet, basename="term-year")
router.register("fund-entries", FundEntryViewSet, basename="fund-entry")
router.register("practices", PracticeViewSet, basename="practice")
router.register("award-types", AwardTypeViewSet, basename="award-type")
router.register("award-rules", AwardRuleViewSet, basename="award-rule")
router.register("award-quotas", AwardQuotaViewSet, basename="award-quota")
router.register("award-proposals", ProposalViewSet, basename="award-proposal")
router.register("award-candidates", ProposalCandidateViewSet, basename="award-candidate")
router.register("award-records", AwardRecordViewSet, basename="award-record")
router.register("award-decisions", DecisionViewSet, basename="award-decision")
router.register("party-orgs", PartyOrgViewSet, basename="party-org")
router.register("party-members", MemberViewSet, basename="party-member")
router.register("party-imports", ImportViewSet, basename="party-import")
router.register("party-inspections", InspectionViewSet, basename="party-inspection")
router.register("training-courses", CourseViewSet, basename="training-course")
router.register(
    r"training-courses/(?P<course_pk>[0-9]+)/participants",
    ParticipantViewSet,
    basename="training-participant",
)
router.register("party-statistics", PartyStatisticsViewSet, basename="party-statistics")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
