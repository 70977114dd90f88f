"""django-two-factor-auth's views, where the app needs them to behave otherwise."""

from django.contrib.auth import views as auth_views
from django.views.generic import FormView
from two_factor import views as two_factor_views


class BackupCodesView(two_factor_views.BackupTokensView):
    """Its list of backup codes. The library's GET creates the (empty) code list when there is
    none; here a GET only reads, and the POST that generates the codes creates it."""

    def get_context_data(self, **kwargs):
        context = FormView.get_context_data(self, **kwargs)
        context["device"] = self.request.user.staticdevice_set.first()
        return context


class LogoutView(auth_views.LogoutView):
    """Django's logout, telling the browser to clear its caches: the record pages the phone
    kept for a weak connection go (records not sent yet stay, unless he discarded them)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response
