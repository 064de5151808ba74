"""The public results pages, mounted at /resultater/ (see medvirk/urls.py)."""

from django.urls import path

from . import public_views

app_name = "public_results"

urlpatterns = [
    path("", public_views.rounds, name="rounds"),
    path("<int:round_pk>/", public_views.round_overview, name="round"),
    path("<int:round_pk>/<str:audience>/<slug:key>/", public_views.cell, name="cell"),
]
