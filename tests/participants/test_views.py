import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.helpers import search_participants

pytestmark = pytest.mark.django_db


def test_list_shows_only_visible_men_and_searches_by_code_or_name(cast, login_as):
    factories.EnrolmentFactory(
        participant=factories.ParticipantFactory(
            site=cast.site_a, code="SA-0002", first_name="Luis"
        ),
        group=cast.group_a,
    )
    client = login_as(cast.facilitator)
    codes = [p.code for p in client.get(reverse("participants:list")).context["page"]]
    assert codes == ["SA-0001", "SA-0002"]
    found = search_participants(client, "luis").context["page"]
    assert [p.code for p in found] == ["SA-0002"]
    assert [p.code for p in search_participants(client, "SB-0001").context["page"]] == []


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "999999"},
        {"search": "x" * 10_000},
        {"status": "%' OR 1=1 --"},
    ],
)
def test_list_answers_garbage_with_a_page_not_an_error(cast, login_as, params):
    response = login_as(cast.coordinator).get(reverse("participants:list"), params)
    assert response.status_code == 200
    assert [p.code for p in response.context["page"]] == ["SA-0001"]


@pytest.mark.parametrize(
    "words,found", [("x" * 10_000, []), ("%' OR 1=1 --", []), ("SA\x00", ["SA-0001"])]
)
def test_list_answers_garbage_searches_with_a_page_not_an_error(cast, login_as, words, found):
    response = search_participants(login_as(cast.coordinator), words)
    assert response.status_code == 200
    assert [p.code for p in response.context["page"]] == found


@pytest.mark.parametrize("pk", [0, 999_999, 99_999_999_999_999_999_999])
def test_unknown_or_absurd_ids_answer_404(cast, login_as, pk):
    client = login_as(cast.coordinator)
    assert client.get(f"/participants/{pk}/").status_code == 404
    assert client.get(f"/sessions/{pk}/").status_code == 404
    assert client.get(f"/groups/{pk}/").status_code == 404


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("participants:list")).status_code == 200
    return len(queries)


def test_list_makes_the_same_queries_for_1_and_3_men(db, login_as):
    one_site, three_site = factories.SiteFactory(), factories.SiteFactory()
    for site, count in ((one_site, 1), (three_site, 3)):
        group = factories.GroupFactory(site=site)
        for _ in range(count):
            factories.EnrolmentFactory(group=group, participant__site=site)
    one = login_as(factories.coordinator_of(one_site))
    three = login_as(factories.coordinator_of(three_site))
    # session, user, roles (menu), count, the page's ids, the page's men with their standing
    # (from its view, for those men only), programmes, filter choices (2)
    assert _list_queries(one) == _list_queries(three) == 11  # the page's audit events included
