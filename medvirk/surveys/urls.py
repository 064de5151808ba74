from django.urls import path

from .views import staff

app_name = "surveys"

urlpatterns = [
    path("", staff.rounds, name="rounds"),
    path("new/", staff.round_create, name="round_create"),
    path("<int:pk>/", staff.round_detail, name="round_detail"),
    path("<int:pk>/edit/", staff.round_edit, name="round_edit"),
    path("<int:pk>/units/<int:unit_pk>/contact/", staff.round_contact, name="round_contact"),
    path("<int:pk>/import/", staff.round_import, name="round_import"),
    path("<int:pk>/open/", staff.round_open, name="round_open"),
    path("<int:pk>/close/", staff.round_close, name="round_close"),
    path("<int:pk>/purge/", staff.round_purge, name="round_purge"),
    path("<int:pk>/enter/", staff.round_enter, name="round_enter"),
    path("questionnaires/", staff.questionnaires, name="questionnaires"),
    path("questionnaires/<int:pk>/", staff.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/copy/", staff.questionnaire_copy, name="questionnaire_copy"),
    path("questionnaires/<int:pk>/edit/", staff.questionnaire_edit, name="questionnaire_edit"),
]
