"""The men's list is searched by POST: the words (often a name) never travel in a URL, which
access logs and the browser's history keep. They wait in the session under an opaque key
that the results' URL carries (post/redirect/get), so paging and the back button work.
Facilitators' searches match codes and first names only."""

import pytest
from django.urls import reverse

from participants.searches import KEPT, SESSION_KEY
from tests import factories
from tests.helpers import search_participants

pytestmark = pytest.mark.django_db

LIST = reverse("participants:list")


def codes(response):
    return [man.code for man in response.context["page"]]


@pytest.fixture
def luis(cast):
    cast.man_a.last_name = "Pérez"
    cast.man_a.save()
    man = factories.ParticipantFactory(
        site=cast.site_a, code="SA-0002", first_name="Luis", last_name="Zamora"
    )
    factories.EnrolmentFactory(participant=man, group=cast.group_a)
    return man


def test_a_search_is_posted_and_its_results_are_at_an_opaque_key(cast, login_as, luis):
    client = login_as(cast.coordinator)
    posted = client.post(LIST, {"q": "Zamora"})
    assert posted.status_code == 302
    location = posted["Location"]
    assert location.startswith(f"{LIST}?search=")
    key = location.removeprefix(f"{LIST}?search=")
    assert len(key) == 16 and "Zamora" not in location and "zamora" not in location.lower()
    assert client.session[SESSION_KEY] == {key: "Zamora"}
    results = client.get(location)
    assert codes(results) == ["SA-0002"]
    # The box shows what was searched (in the page, not in the URL).
    assert 'value="Zamora"' in results.content.decode()


def test_the_list_form_posts_with_its_csrf_token(cast, login_as):
    html = login_as(cast.facilitator).get(LIST).content.decode()
    form = html[
        html.index('role="search"') - 200 : html.index("</form>", html.index('role="search"'))
    ]
    assert f'<form method="post" action="{LIST}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'method="get"' not in form


def test_the_other_filters_stay_in_the_url_beside_the_key(cast, login_as, luis):
    client = login_as(cast.coordinator)
    posted = client.post(LIST, {"q": "luis", "status": "active", "group": cast.group_a.pk})
    location = posted["Location"]
    assert f"&group={cast.group_a.pk}&status=active" in location
    assert "luis" not in location.lower()
    assert codes(client.get(location)) == ["SA-0002"]


def test_filters_without_words_keep_no_search(cast, login_as, luis):
    client = login_as(cast.coordinator)
    posted = client.post(LIST, {"q": "  ", "status": "active"})
    assert posted["Location"] == f"{LIST}?status=active"
    assert SESSION_KEY not in client.session
    assert client.post(LIST, {})["Location"] == LIST


def test_paging_through_the_results_keeps_the_search(cast, login_as):
    for n in range(2, 32):
        factories.ParticipantFactory(site=cast.site_a, code=f"SA-{n:04d}", first_name="Luis")
    client = login_as(cast.coordinator)
    first = search_participants(client, "luis")
    key = client.session[SESSION_KEY].popitem()[0]
    assert (first.context["page"].paginator.count, len(codes(first))) == (30, 25)
    assert f'href="?search={key}&amp;page=2"' in first.content.decode()
    second = client.get(LIST, {"search": key, "page": "2"})
    assert codes(second) == [f"SA-{n:04d}" for n in range(27, 32)]


def test_an_unknown_or_expired_key_shows_the_list_without_it_and_says_so(
    cast, login_as, luis, english
):
    response = login_as(cast.coordinator).get(LIST, {"search": "no-such-key"})
    assert response.status_code == 200
    assert codes(response) == ["SA-0001", "SA-0002"]
    assert [str(m) for m in response.context["messages"]] == [
        "That search is no longer available: here is the list without it."
    ]


def test_another_users_key_is_unknown_to_him(cast, login_as, luis):
    coordinator = login_as(cast.coordinator)
    search_participants(coordinator, "Zamora")
    key = next(iter(coordinator.session[SESSION_KEY]))
    other = login_as(factories.coordinator_of(cast.site_a))
    assert codes(other.get(LIST, {"search": key})) == ["SA-0001", "SA-0002"]


def test_a_name_in_an_old_get_link_is_ignored(cast, login_as, luis):
    response = login_as(cast.coordinator).get(LIST, {"q": "Zamora"})
    assert codes(response) == ["SA-0001", "SA-0002"]


def test_the_session_keeps_only_the_latest_searches(cast, login_as):
    client = login_as(cast.coordinator)
    for n in range(KEPT + 5):
        client.post(LIST, {"q": f"word{n}"})
    kept = client.session[SESSION_KEY]
    assert list(kept.values()) == [f"word{n}" for n in range(5, KEPT + 5)]


# --- What a facilitator's search may match ---------------------------------------------------


def test_facilitator_cannot_confirm_a_last_name_by_searching_it(cast, login_as, luis):
    client = login_as(cast.facilitator)
    assert codes(search_participants(client, "Zamora")) == []
    assert codes(search_participants(client, "Pérez")) == []


def test_facilitator_finds_men_by_code_and_first_name(cast, login_as, luis):
    client = login_as(cast.facilitator)
    assert codes(search_participants(client, "luis")) == ["SA-0002"]
    assert codes(search_participants(client, "sa-000")) == ["SA-0001", "SA-0002"]
    assert codes(search_participants(client, "Juan")) == ["SA-0001"]


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_those_who_manage_him_find_him_by_last_name(cast, login_as, luis, who):
    client = login_as(getattr(cast, who))
    assert codes(search_participants(client, "zamora")) == ["SA-0002"]


def test_a_coordinator_elsewhere_who_facilitates_here_matches_last_names_only_at_home(
    cast, login_as, luis
):
    # He coordinates site B (its men's last names are his to see) and facilitates Martes A.
    both = factories.coordinator_of(cast.site_b, factories.facilitator_of(cast.group_a))
    cast.man_b.last_name = "Zamora"
    cast.man_b.save()
    assert codes(search_participants(login_as(both), "zamora")) == ["SB-0001"]
