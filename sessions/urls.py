from django.urls import path

from . import views

app_name = "sessions"

urlpatterns = [
    # /week/
    path("week/", views.my_week, name="my_week"),
    # /week/offline.json  (the record pages his phone keeps for a weak connection)
    path("week/offline.json", views.offline_sessions, name="offline_sessions"),
    # /sw.js  (the service worker: served from the root so that it controls every page)
    path("sw.js", views.service_worker, name="service_worker"),
    # /groups/<pk>/  (a group's page: schedule, roster, sessions)
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/extra-session/", views.extra_session_add, name="extra_session_add"),
    path("groups/<int:pk>/walk-ins/", views.group_walk_ins, name="group_walk_ins"),
    # /sessions/<pk>/
    path("sessions/<int:pk>/", views.session_detail, name="detail"),
    path("sessions/<int:pk>/record/", views.session_record, name="record"),
    path("sessions/<int:pk>/walk-in/", views.walk_in_add, name="walk_in_add"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("sessions/<int:pk>/restore/", views.session_restore, name="restore"),
    # /alerts/
    path("alerts/", views.alert_list, name="alert_list"),
    # /alerts/<pk>/
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
]
