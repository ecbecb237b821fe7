from django.urls import path

from apps.awards import views

app_name = "awards"

urlpatterns = [
    path("awards/catalog/", views.catalog, name="catalog"),
    path("awards/base-salaries/new/", views.base_salary_create, name="base_salary_create"),
    path(
        "awards/types/<int:pk>/coefficients/new/",
        views.coefficient_create,
        name="coefficient_create",
    ),
]
