from django.urls import path

from apps.voting import views

app_name = "voting"

urlpatterns = [
    path("terms/<int:term_pk>/ballots/", views.term_ballots, name="term_ballots"),
    path("terms/<int:term_pk>/ballots/new/", views.ballot_create, name="ballot_create"),
    path("ballots/<int:pk>/", views.ballot_detail, name="ballot_detail"),
    path("ballots/<int:pk>/edit/", views.ballot_edit, name="ballot_edit"),
    path("ballots/<int:pk>/open/", views.ballot_open, name="ballot_open"),
    path("ballots/<int:pk>/close/", views.ballot_close, name="ballot_close"),
    path("ballots/<int:pk>/publish/", views.ballot_publish, name="ballot_publish"),
    path("ballots/<int:pk>/cast/", views.ballot_cast, name="ballot_cast"),
    path("ballots/<int:pk>/results/", views.ballot_results, name="ballot_results"),
    path("ballots/<int:pk>/papers/", views.ballot_papers, name="ballot_papers"),
]
