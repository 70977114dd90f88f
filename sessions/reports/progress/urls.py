from django.urls import path  # noqa: F401  (filled by the reports work)

app_name = "progress"

urlpatterns: list = [
    # /reports/progress/
]
