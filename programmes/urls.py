from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    # /groups/  (a group's own page composes sessions and roster: sessions/urls.py)
    path("groups/", views.group_list, name="group_list"),
]
