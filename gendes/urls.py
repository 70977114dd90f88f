from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from two_factor import views as two_factor_views

from . import views
from .accounts.views import BackupCodesView, LogoutView

# django-two-factor-auth's pages, under the app's own account URLs (its login is ours above).
SECOND_FACTOR = [
    # Its views send an unverified user to "two_factor:login": that is the app's login.
    path(
        "login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
        name="login",
    ),
    path("", two_factor_views.ProfileView.as_view(), name="profile"),
    path("setup/", two_factor_views.SetupView.as_view(), name="setup"),
    path("setup/qrcode/", two_factor_views.QRGeneratorView.as_view(), name="qr"),
    path("setup/complete/", two_factor_views.SetupCompleteView.as_view(), name="setup_complete"),
    path("backup-codes/", BackupCodesView.as_view(), name="backup_tokens"),
    path("disable/", two_factor_views.DisableView.as_view(), name="disable"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy_notice, name="privacy"),
    # Accounts: Django's own views in the app's layout; the login asks for the second factor
    # (django-two-factor-auth) of those who have one.
    path("accounts/login/", two_factor_views.LoginView.as_view(), name="login"),
    path("accounts/two-factor/", include((SECOND_FACTOR, "two_factor"))),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Switching language is allowed before logging in (the login page has the switcher).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("programmes.urls")),
    path("", include("participants.urls")),
    path("", include("sessions.urls")),
    path("reports/", include("sessions.reports.dashboard.urls")),
    path("reports/export/", include("sessions.reports.exports.urls")),
    path("reports/progress/", include("sessions.reports.progress.urls")),
    path("partner/", include("participants.partner.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "GENDES"
admin.site.site_title = "GENDES"

# A database that cannot be reached answers 503 "try again" rather than 500.
handler500 = "gendes.views.server_error"
