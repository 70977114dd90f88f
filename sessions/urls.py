from django.urls import path

from . import views

app_name = "sessions"

urlpatterns = [
    # /groups/<pk>/  (a group's page: schedule, roster, sessions)
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    # /sessions/<pk>/
    path("sessions/<int:pk>/", views.session_detail, name="detail"),
]
