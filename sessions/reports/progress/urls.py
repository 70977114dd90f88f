from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    # /reports/progress/
    path("", views.due_list, name="due"),
    # /reports/progress/participants/<pk>/
    path("participants/<int:pk>/", views.report, name="report"),
    path("participants/<int:pk>/issue/", views.issue, name="issue"),
    path("participants/<int:pk>/certificate/", views.certificate, name="certificate"),
    # /reports/progress/<report_pk>/
    path("<int:report_pk>/", views.issued, name="issued"),
    path("<int:report_pk>/sent/", views.mark_sent, name="mark_sent"),
]
