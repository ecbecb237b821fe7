from django.urls import path

from apps.funds import views

app_name = "funds"

urlpatterns = [
    path("terms/<int:term_pk>/fund/", views.ledger, name="ledger"),
    path("terms/<int:term_pk>/fund/export/", views.ledger_export, name="ledger_export"),
    path(
        "terms/<int:term_pk>/fund/contributions/new/",
        views.contribution_create,
        name="contribution_create",
    ),
    path(
        "terms/<int:term_pk>/fund/disbursements/new/",
        views.disbursement_create,
        name="disbursement_create",
    ),
    path("fund-entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("fund-entries/<int:pk>/handover/", views.entry_handover, name="entry_handover"),
    path("fund-entries/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("fund-attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
