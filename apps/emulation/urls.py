from django.urls import path

from apps.emulation import views

app_name = "emulation"

urlpatterns = [
    path("terms/<int:term_pk>/pacts/", views.term_pacts, name="term_pacts"),
    path("terms/<int:term_pk>/pacts/new/", views.pact_create, name="pact_create"),
    path("terms/<int:term_pk>/pacts/copy/", views.pact_copy, name="pact_copy"),
    path("pacts/<int:pk>/", views.pact_detail, name="pact_detail"),
    path("pacts/<int:pk>/edit/", views.pact_edit, name="pact_edit"),
    path("pacts/<int:pk>/open/", views.pact_open, name="pact_open"),
    path("pacts/<int:pk>/sign/", views.pact_sign, name="pact_sign"),
    path("pacts/<int:pk>/close/", views.pact_close, name="pact_close"),
    path("pacts/<int:pk>/amend/", views.pact_amend, name="pact_amend"),
    path("pacts/<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("pact-groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("pact-groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("pact-groups/<int:pk>/criteria/new/", views.criterion_create, name="criterion_create"),
    path("pact-criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("pact-criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    # --- the year at a glance ---
    path("terms/<int:term_pk>/year/", views.term_year, name="term_year"),
    # --- reviews and movements ---
    path("terms/<int:term_pk>/reviews/", views.term_reviews, name="term_reviews"),
    path(
        "terms/<int:term_pk>/reviews/new/", views.review_period_create, name="review_period_create"
    ),
    path("review-periods/<int:pk>/", views.review_period_detail, name="review_period_detail"),
    path("review-periods/<int:pk>/edit/", views.review_period_edit, name="review_period_edit"),
    path(
        "review-periods/<int:pk>/delete/", views.review_period_delete, name="review_period_delete"
    ),
    path(
        "review-periods/<int:pk>/reopen/", views.review_period_reopen, name="review_period_reopen"
    ),
    path("terms/<int:term_pk>/movements/", views.term_movements, name="term_movements"),
    path("terms/<int:term_pk>/movements/new/", views.movement_create, name="movement_create"),
    path("movements/<int:pk>/", views.movement_detail, name="movement_detail"),
    path("movements/<int:pk>/edit/", views.movement_edit, name="movement_edit"),
    path("movements/<int:pk>/delete/", views.movement_delete, name="movement_delete"),
    # --- self-assessment ---
    path(
        "review-periods/<int:period_pk>/units/<int:unit_pk>/assessment/",
        views.assessment_page,
        name="assessment",
    ),
    path("assessment-lines/<int:pk>/", views.assessment_line, name="assessment_line"),
    path("assessment-lines/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path(
        "assessments/<int:pk>/indicators/",
        views.assessment_indicators,
        name="assessment_indicators",
    ),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    # --- cross-scoring, reconciliation and ranking ---
    path("review-periods/<int:period_pk>/scoring/", views.scoring_home, name="scoring_home"),
    path(
        "review-periods/<int:period_pk>/scoring/start/",
        views.score_sheet_start,
        name="score_sheet_start",
    ),
    path("score-sheets/<int:pk>/", views.score_sheet_detail, name="score_sheet_detail"),
    path("score-sheets/<int:pk>/submit/", views.score_sheet_submit, name="score_sheet_submit"),
    path("score-lines/<int:pk>/", views.score_line, name="score_line"),
    path(
        "review-periods/<int:period_pk>/reconciliation/",
        views.reconciliation,
        name="reconciliation",
    ),
    path(
        "review-periods/<int:period_pk>/reconciliation/final/",
        views.final_score_set,
        name="final_score_set",
    ),
    path("review-periods/<int:period_pk>/ranking/", views.ranking, name="ranking"),
    path(
        "review-periods/<int:period_pk>/ranking/export/",
        views.ranking_export,
        name="ranking_export",
    ),
    path(
        "review-periods/<int:period_pk>/ranking/publish/",
        views.ranking_publish,
        name="ranking_publish",
    ),
]
