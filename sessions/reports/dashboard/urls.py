from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    # /reports/
    path("", views.dashboard, name="dashboard"),
    # /reports/groups/<pk>/  (one group's attendance figures, for its facilitators too)
    path("groups/<int:pk>/", views.group_figures, name="group_figures"),
]
