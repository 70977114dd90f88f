from django.urls import path

from . import views

app_name = "partner"

urlpatterns = [
    # /partner/
    path("", views.contact_list, name="list"),
    path("new/", views.contact_new, name="new"),
    # /partner/<pk>/
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/entries/", views.entry_add, name="entry_add"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
]
