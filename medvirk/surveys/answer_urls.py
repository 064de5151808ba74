"""The answer pages, at /svar/ (the address the invitation letter prints)."""

from django.urls import path

from .views import answering

app_name = "answer"

urlpatterns = [
    path("", answering.code, name="code"),
    path("start/", answering.start, name="start"),
    path("del/<int:number>/", answering.section, name="section"),
    path("oppsummering/", answering.summary, name="summary"),
    path("lagret/", answering.paused, name="paused"),
    path("takk/<int:questionnaire>/", answering.thanks, name="thanks"),
]
