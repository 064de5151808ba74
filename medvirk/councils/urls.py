"""The staff pages of the councils, mounted at /staff/councils/ (see medvirk/urls.py)."""

from django.urls import path

from .views import actions, councils, meetings, reports

app_name = "councils"

urlpatterns = [
    path("", councils.index, name="index"),
    path("dialogue/", councils.dialogue, name="dialogue"),
    path("settings/", councils.settings_edit, name="settings"),
    path("new/", councils.council_create, name="council_create"),
    path("areas/<int:pk>/<int:year>/", reports.area_report, name="area_report"),
    path(
        "areas/<int:pk>/<int:year>/arsrapport.pdf", reports.area_report_pdf, name="area_report_pdf"
    ),
    path("<int:pk>/", councils.council_detail, name="council"),
    path("<int:pk>/members/new/", councils.member_create, name="member_create"),
    path("<int:pk>/members/<int:member_pk>/", councils.member_edit, name="member_edit"),
    path("<int:pk>/members/<int:member_pk>/end/", councils.member_end, name="member_end"),
    path("<int:pk>/plans/new/", councils.plan_create, name="plan_create"),
    path("<int:pk>/plans/<int:year>/", councils.plan_detail, name="plan"),
    path("<int:pk>/plans/<int:year>/meetings/new/", councils.meeting_create, name="meeting_create"),
    path("<int:pk>/report/<int:year>/", reports.council_report, name="report"),
    path(
        "<int:pk>/report/<int:year>/arsrapport.pdf", reports.council_report_pdf, name="report_pdf"
    ),
    path("<int:pk>/actions/", actions.actions, name="actions"),
    path("<int:pk>/actions/new/", actions.action_create, name="action_create"),
    path("<int:pk>/actions/<int:action_pk>/", actions.action_edit, name="action_edit"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/items/new/", meetings.item_create, name="item_create"),
    path("meetings/<int:pk>/items/<int:item_pk>/", meetings.item_edit, name="item_edit"),
    path("meetings/<int:pk>/items/<int:item_pk>/delete/", meetings.item_delete, name="item_delete"),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/confirm/", meetings.item_confirm, name="item_confirm"
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/results/", meetings.item_results, name="item_results"
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/results/remove/",
        meetings.item_results_remove,
        name="item_results_remove",
    ),
    path("meetings/<int:pk>/notice/", meetings.notice_send, name="notice_send"),
    path("meetings/<int:pk>/minutes/", meetings.minutes_edit, name="minutes"),
    path("meetings/<int:pk>/approve/", meetings.minutes_approve, name="minutes_approve"),
    path("meetings/<int:pk>/resend/", meetings.papers_resend, name="papers_resend"),
    path("meetings/<int:pk>/innkalling.pdf", meetings.notice_pdf, name="notice_pdf"),
    path("meetings/<int:pk>/referat.pdf", meetings.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/registrations/", meetings.registrations, name="registrations"),
    path(
        "meetings/<int:pk>/registrations/<int:registration_pk>/",
        meetings.registration_update,
        name="registration_update",
    ),
]
