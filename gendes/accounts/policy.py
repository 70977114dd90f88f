"""Who must log in with a second factor (TWO_FACTOR_REQUIRED turns the rule on)."""

from django.conf import settings

from programmes import access


def must_use_second_factor(user):
    """Coordinators, partner-support workers and admins: they see every man of their sites,
    or the partners' safe contacts. For facilitators it is optional."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or access.is_coordinator(user) or access.is_partner_support(user)


def username_of_attempt(request, credentials):
    """The username a login attempt named, for the lockout: from the credentials given to
    authenticate(), else from the login wizard's first step ("auth-username")."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    if request is not None and request.method == "POST":
        return request.POST.get("auth-username") or request.POST.get("username")
    return None
