from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("history/<int:content_type_id>/<str:object_id>/", views.object_history, name="history"),
]
