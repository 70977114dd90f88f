from django.utils.functional import SimpleLazyObject

from programmes import access


def navigation(request):
    """What the navigation bar offers the user. Lazy: the roles are looked up (one query,
    cached on the user for the request) only when a page renders the bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def menu():
        coordinator = access.is_coordinator(user)
        facilitator = access.is_facilitator(user)
        return {
            "coordinator": coordinator,
            "works_with_men": coordinator or facilitator,
            "partner_support": access.is_partner_support(user),
        }

    return {"nav": SimpleLazyObject(menu)}
