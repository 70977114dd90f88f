import itertools

import pytest
from django.urls import reverse

from programmes.admin_forms import GroupAdminForm
from programmes.models import Group, Topic
from tests import factories
from tests.helpers import count_queries, queries_with_1_and_3

pytestmark = pytest.mark.django_db


def a_group():
    group = factories.GroupFactory(weekdays="1,3")
    factories.facilitator_of(group)
    factories.facilitator_of(group)
    return group


serial = itertools.count()


def a_programme():
    return factories.ProgrammeFactory(name=f"Programa {next(serial)}")


def a_topic():
    return Topic.objects.create(programme=factories.ProgrammeFactory(), title=f"T{next(serial)}")


ROWS = {
    "programmes_site": factories.SiteFactory,
    "programmes_programme": a_programme,
    "programmes_topic": a_topic,
    "programmes_group": a_group,
    "programmes_staffrole": factories.StaffRoleFactory,
    "auth_user": factories.UserFactory,
}


@pytest.mark.parametrize("name", ROWS)
def test_changelist_queries_do_not_grow_with_rows(root, name):
    one, three = queries_with_1_and_3(root, reverse(f"admin:{name}_changelist"), ROWS[name])
    assert one == three
    assert three <= 10


def test_group_change_page_queries_do_not_grow_with_facilitators(root):
    group = factories.GroupFactory()
    factories.facilitator_of(group)
    url = reverse("admin:programmes_group_change", args=[group.pk])
    root.get(url)
    one = count_queries(root, url)
    factories.facilitator_of(group)
    factories.facilitator_of(group)
    factories.GroupFactory(programme=group.programme)
    three = count_queries(root, url)
    assert one == three
    assert three <= 12


def test_programme_change_page_queries_do_not_grow_with_topics(root):
    programme = factories.ProgrammeFactory()
    Topic.objects.create(programme=programme, title="La retirada", order=1)
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    root.get(url)
    one = count_queries(root, url)
    Topic.objects.create(programme=programme, title="Violencia emocional", order=2)
    Topic.objects.create(programme=programme, title="Celos", order=3)
    three = count_queries(root, url)
    assert one == three
    assert three <= 10


def test_site_change_page_queries_do_not_grow_with_staff_roles(root):
    site = factories.SiteFactory()
    factories.StaffRoleFactory(site=site)
    url = reverse("admin:programmes_site_change", args=[site.pk])
    root.get(url)
    one = count_queries(root, url)
    factories.StaffRoleFactory(site=site)
    factories.StaffRoleFactory(site=site, role="facilitator")
    three = count_queries(root, url)
    assert one == three
    assert three <= 10


def test_user_change_page_queries_do_not_grow_with_staff_roles(root):
    user = factories.UserFactory()
    factories.StaffRoleFactory(user=user)
    url = reverse("admin:auth_user_change", args=[user.pk])
    root.get(url)
    one = count_queries(root, url)
    factories.StaffRoleFactory(user=user)
    factories.StaffRoleFactory(user=user, role="facilitator")
    three = count_queries(root, url)
    assert one == three
    assert three <= 14


def test_user_page_lists_and_sets_roles_per_site(cast, login_as):
    client = login_as(cast.admin)
    url = reverse("admin:auth_user_change", args=[cast.coordinator.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="staff_roles-0-site"' in response.text


# The group's weekdays as checkboxes


def group_form_data(group, **changes):
    data = {
        "name": group.name,
        "programme": group.programme_id,
        "site": group.site_id,
        "facilitators": [user.pk for user in group.facilitators.all()],
        "active": "on",
        "weekdays": group.weekday_list,
        "start_time": "18:00",
        "start_date": "2026-01-05",
        "end_date": "",
        "capacity": "20",
        "is_open": "on",
    }
    return {**data, **changes}


def test_checking_tuesday_and_thursday_saves_1_3(cast, login_as):
    client = login_as(cast.admin)
    url = reverse("admin:programmes_group_change", args=[cast.group_a.pk])
    response = client.post(url, group_form_data(cast.group_a, weekdays=["3", "1"]))
    assert response.status_code == 302
    cast.group_a.refresh_from_db()
    assert cast.group_a.weekdays == "1,3"
    assert list(cast.group_a.facilitators.all()) == [cast.facilitator]


def test_weekdays_form_normalises_the_stored_string(cast):
    form = GroupAdminForm(
        data=group_form_data(cast.group_b, weekdays=["4", "0", "4"]), instance=cast.group_b
    )
    assert form.is_valid(), form.errors
    assert form.save().weekdays == "0,4"
    assert Group.objects.get(pk=cast.group_b.pk).weekdays == "0,4"


def test_weekdays_form_checks_the_stored_days(cast):
    cast.group_a.weekdays = "1,3"
    form = GroupAdminForm(instance=cast.group_a)
    assert form["weekdays"].value() == [1, 3]
    html = str(form["weekdays"])
    assert html.count("checked") == 2
    assert 'value="1"' in html and 'value="6"' in html


def test_weekdays_form_requires_a_day(cast):
    form = GroupAdminForm(data=group_form_data(cast.group_a, weekdays=[]), instance=cast.group_a)
    assert not form.is_valid()
    assert list(form.errors) == ["weekdays"]
    assert Group.objects.get(pk=cast.group_a.pk).weekdays == "1"


def test_new_group_form_starts_on_monday():
    assert GroupAdminForm()["weekdays"].value() == [0]


# Who gets in


def test_facilitator_who_is_not_staff_is_sent_to_the_admin_login(cast, login_as):
    client = login_as(cast.facilitator)
    for url in [reverse("admin:index"), reverse("admin:programmes_group_changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_anonymous_user_is_sent_to_the_login_page(client):
    # The project's login-required middleware answers before the admin does.
    url = reverse("admin:programmes_site_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
