"""The public pages of the councils, mounted at /brukerrad/ (see medvirk/urls.py)."""

from django.urls import path

from .views import public

app_name = "public_councils"

urlpatterns = [
    path("", public.councils, name="councils"),
    path("<int:pk>/", public.council, name="council"),
    path("<int:pk>/referat/<int:meeting_pk>/", public.minutes, name="minutes"),
    path("<int:pk>/referat/<int:meeting_pk>/referat.pdf", public.minutes_pdf, name="minutes_pdf"),
]
