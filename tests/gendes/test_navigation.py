"""Each role is offered the pages it may open, and only those: every link of the menu, and
of the home page and men's list it lands on, answers 200 for the user who sees it."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')

WEEK, GROUPS, MEN = reverse("sessions:my_week"), reverse("programmes:group_list"), "/participants/"
AT_RISK, REPORTS = reverse("participants:at_risk"), reverse("reports:dashboard")
PARTNER, ADMIN, PASSWORD = reverse("partner:list"), "/admin/", reverse("password_change")
AUDIT, SECOND_FACTOR = reverse("participants:audit_trail"), reverse("two_factor:profile")

# role: the menu's links after Home, in order (the second factor and Change password end
# every menu)
MENUS = {
    "facilitator": [WEEK, GROUPS, MEN],
    "outsider": [WEEK, GROUPS, MEN],
    "coordinator": [WEEK, GROUPS, MEN, AT_RISK, REPORTS, AUDIT],
    "partner": [PARTNER],
    "admin": [WEEK, GROUPS, MEN, AT_RISK, REPORTS, AUDIT, PARTNER, ADMIN],
    "no_role": [],
}


def user_of(cast, role):
    if role == "no_role":
        return factories.UserFactory(username="nobody")
    return getattr(cast, role)


def menu_links(html):
    nav = html[html.index("<nav") : html.index("</nav>")]
    return HREF.findall(nav)


def main_links(html):
    return HREF.findall(html[html.index('<main id="main"') : html.index("</main>")])


@pytest.mark.parametrize("role", sorted(MENUS))
def test_the_menu_offers_each_role_exactly_its_pages(cast, login_as, role):
    html = login_as(user_of(cast, role)).get(reverse("home")).content.decode()
    assert menu_links(html) == ["/", "/", *MENUS[role], SECOND_FACTOR, PASSWORD]


@pytest.mark.parametrize("role", sorted(MENUS))
def test_every_link_a_role_is_shown_answers_200(cast, login_as, role):
    factories.EnrolmentFactory(participant__site=cast.site_a, group=cast.group_a)
    client = login_as(user_of(cast, role))
    home = client.get(reverse("home")).content.decode()
    links = set(menu_links(home)) | set(main_links(home))
    if MEN in links:
        links |= set(main_links(client.get(MEN).content.decode()))
    assert links >= set(MENUS[role])
    answers = {url: client.get(url).status_code for url in sorted(links)}
    assert answers == {url: 200 for url in sorted(links)}


def test_the_mens_list_offers_at_risk_and_referrals_to_coordinators_only(cast, login_as):
    buttons = {AT_RISK, reverse("participants:referral_new")}
    for who, offered in (("facilitator", set()), ("coordinator", buttons), ("admin", buttons)):
        html = login_as(getattr(cast, who)).get(MEN).content.decode()
        assert set(main_links(html)) & buttons == offered, who


@pytest.mark.parametrize("role", ["partner", "no_role"])
def test_the_pages_about_the_men_answer_404_to_those_not_working_with_them(cast, login_as, role):
    client = login_as(user_of(cast, role))
    for url in (WEEK, GROUPS, MEN):
        assert client.get(url).status_code == 404, url
