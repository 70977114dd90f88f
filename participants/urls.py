from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    # /participants/
    path("participants/", views.participant_list, name="list"),
    path("participants/at-risk/", views.at_risk_list, name="at_risk"),
    path("participants/new/", views.referral_new, name="referral_new"),
    path("participants/<int:pk>/", views.participant_detail, name="detail"),
    path("participants/<int:pk>/intake/", views.intake_edit, name="intake"),
    path("participants/<int:pk>/follow-ups/new/", views.follow_up_new, name="follow_up_new"),
    # /audit/  (who viewed or changed what about the men of his sites)
    path("audit/", views.audit_trail, name="audit_trail"),
    # /participants/<pk>/enrolments/
    path("participants/<int:pk>/enrolments/", views.enrolment_new, name="enrol"),
    path(
        "participants/<int:pk>/enrolments/<int:enrolment_pk>/close/",
        views.enrolment_close,
        name="enrolment_close",
    ),
    path(
        "participants/<int:pk>/enrolments/<int:enrolment_pk>/transfer/",
        views.enrolment_transfer,
        name="enrolment_transfer",
    ),
]
