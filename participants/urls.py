from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    # /participants/
    path("participants/", views.participant_list, name="list"),
    path("participants/<int:pk>/", views.participant_detail, name="detail"),
]
