"""The sites of a user's role: a subquery until his roles are read in the request, then the
ids themselves; both scope the same rows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from participants.models import Participant
from programmes import access
from programmes.models import Group
from tests import factories

pytestmark = pytest.mark.django_db


def test_site_ids_are_the_sites_where_he_holds_the_role(cast):
    other = factories.SiteFactory(name="Sede C", code="SC")
    factories.coordinator_of(other, cast.coordinator)
    user = get_user_model().objects.get(pk=cast.coordinator.pk)  # as a request loads him
    sites = access.coordinated_site_ids(user)
    assert set(sites.values_list("site_id", flat=True)) == {cast.site_a.pk, other.pk}
    men = set(Participant.objects.coordinated_by(user).values_list("code", flat=True))
    assert men == {"SA-0001"}
    assert list(access.partner_support_site_ids(user)) == []


def test_coordinates_site_answers_as_the_coordinated_groups_do(cast, django_assert_num_queries):
    for user in (cast.coordinator, cast.facilitator, cast.outsider, cast.partner, cast.admin):
        user = get_user_model().objects.get(pk=user.pk)  # no roles read yet
        for group in (cast.group_a, cast.group_b):
            expected = Group.objects.coordinated_by(user).filter(pk=group.pk).exists()
            assert access.coordinates_site(user, group.site_id) is expected, user.username
    user = get_user_model().objects.get(pk=cast.coordinator.pk)
    access.roles_of(user)
    with django_assert_num_queries(0):
        assert access.coordinates_site(user, cast.site_a.pk) is True
        assert access.coordinates_site(user, cast.site_b.pk) is False
    assert access.coordinates_site(AnonymousUser(), cast.site_a.pk) is False
    assert access.roles_of(AnonymousUser()) == frozenset()
