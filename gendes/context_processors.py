from django.utils.functional import SimpleLazyObject

from programmes import access


def navigation(request):
    """What the navigation bar and the pages' buttons offer the user: each page kept for some
    roles is linked only for those who may open it (`access.pages_open_to`). Lazy: the roles
    are looked up (one query, cached on the user for the request) only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def menu():
        return {
            **access.pages_open_to(user),
            # By role, for the links that follow a role rather than a page.
            "coordinator": access.is_coordinator(user),
            "works_with_men": access.works_with_men(user),
            "partner_support": access.is_partner_support(user),
        }

    return {"nav": SimpleLazyObject(menu)}
