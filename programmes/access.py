"""The access policy: the one place that decides which sites and groups a user may see.

Every app's `visible_to(user)` queryset builds on these functions, and every view fetches
through those querysets, so a URL with another site's id answers 404.

- admin (superuser): everything;
- coordinator: everything at the sites where he or she holds the coordinator role;
- facilitator: the groups he or she facilitates, while holding the facilitator role at that
  group's site (removing the role revokes access even if the group still lists the user);
- partner-support worker: only partner contacts of his or her sites (participants/), never the
  men's files.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from .enums import StaffRoleKind


def _staff_role_model():
    return apps.get_model("programmes", "StaffRole")


def site_ids_with_role(user, role):
    """The ids of the sites where `user` holds `role`, as a subquery for scoped querysets."""
    return _staff_role_model().objects.filter(user_id=user.pk, role=role).values("site_id")


def _roles_at_sites(user):
    """(role, site id) of every role `user` holds, read once per request (the navigation bar
    and the permission checks all ask): 1 query."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_gendes_roles", None)
    if cached is None:
        cached = frozenset(
            _staff_role_model().objects.filter(user_id=user.pk).values_list("role", "site_id")
        )
        user._gendes_roles = cached
    return cached


def coordinated_site_ids(user):
    return site_ids_with_role(user, StaffRoleKind.COORDINATOR)


def partner_support_site_ids(user):
    return site_ids_with_role(user, StaffRoleKind.PARTNER_SUPPORT)


def facilitated_groups_q(user, prefix=""):
    """A Q on Group (or, with `prefix`, on a model reaching Group through it) for the groups
    `user` facilitates with the facilitator role at their site."""
    has_role = _staff_role_model().objects.filter(
        user_id=user.pk, role=StaffRoleKind.FACILITATOR, site_id=OuterRef(f"{prefix}site_id")
    )
    return Q(**{f"{prefix}facilitators": user.pk}) & Q(Exists(has_role))


def roles_of(user):
    """The set of role kinds a user holds at any site (cached on the user for the request)."""
    return frozenset(kind for kind, _site in _roles_at_sites(user))


def is_coordinator(user):
    return user.is_superuser or StaffRoleKind.COORDINATOR in roles_of(user)


def coordinates_site(user, site_id):
    """Whether `user` may manage what belongs to the site `site_id` (its groups and their
    sessions): an admin, or a coordinator there. From the roles read once for the request,
    as `Group.objects.coordinated_by(user)` decides it, without a query of its own."""
    return user.is_superuser or (StaffRoleKind.COORDINATOR, site_id) in _roles_at_sites(user)


def is_facilitator(user):
    return StaffRoleKind.FACILITATOR in roles_of(user)


def is_partner_support(user):
    return user.is_superuser or StaffRoleKind.PARTNER_SUPPORT in roles_of(user)


def works_with_men(user):
    """Coordinators, facilitators and admins: the week, the groups and the men's list."""
    return is_coordinator(user) or is_facilitator(user)


def pages_open_to(user):
    """Which of the pages kept for some roles `user` may open, by the name the navigation
    uses. The navigation and the pages' buttons link a page only for those who may open it
    (gendes.context_processors.navigation); its view refuses the others with 404 by the same
    function. From the roles read once for the request."""
    coordinator = is_coordinator(user)
    with_men = works_with_men(user)
    return {
        "week": with_men,
        "groups": with_men,
        "participants": with_men,
        "at_risk": coordinator,
        "referral_new": coordinator,
        "reports": coordinator,
        "progress_due": coordinator,
        "audit_trail": coordinator,
        "partner_contacts": is_partner_support(user),
        "admin": user.is_superuser,
    }
