from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    # /reports/export/  (the anonymised statistics for a government or funder)
    path("anonymised/", views.anonymised, name="anonymised"),
    path("anonymised.csv", views.anonymised_csv, name="anonymised_csv"),
    # /reports/export/attendance-<year>.csv  (every attendance row of a year, streamed)
    path("attendance-<int:year>.csv", views.attendance_export, name="attendance"),
    # /reports/export/participant-<pk>.json  (a man's subject-access request)
    path("participant-<int:pk>.json", views.subject_access, name="subject_access"),
    # /reports/export/<slug>.<fmt>  (one dashboard table as csv or xlsx)
    path("<slug:slug>.<str:fmt>", views.table_export, name="table"),
]
