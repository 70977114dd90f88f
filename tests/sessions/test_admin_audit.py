"""The Django admin's views and changes of the men's data are in the audit trail."""

import pytest
from django.urls import reverse

from gendes.audit.models import AuditEvent
from sessions.models import CheckIn
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_in(cast):
    return factories.AttendanceFactory(
        session=cast.session_a, participant=cast.man_a, reflection="Me enojé con mi hermano"
    )


def events(action):
    return list(
        AuditEvent.objects.filter(action=action).values_list(
            "user__username", "object_type", "object_id", "participant_id", "detail"
        )
    )


def test_editing_a_check_in_s_reflection_in_the_admin_is_audited_without_its_text(
    cast, login_as, check_in
):
    client = login_as(cast.admin)
    url = reverse("admin:group_sessions_checkin_change", args=[check_in.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["reflection"] = "Hablé con calma"
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}

    answer = client.post(url, data)

    assert answer.status_code == 302, answer.context["adminform"].form.errors
    assert CheckIn.objects.get(pk=check_in.pk).reflection == "Hablé con calma"
    pk = str(check_in.pk)
    assert events(AuditEvent.Action.VIEW) == [
        ("root", "group_sessions.checkin", pk, cast.man_a.pk, "admin")
    ]
    assert events(AuditEvent.Action.CHANGE) == [
        ("root", "group_sessions.checkin", pk, cast.man_a.pk, "reflection")
    ]
    assert not AuditEvent.objects.filter(detail__contains="calma").exists()


def test_an_admin_list_writes_one_event_per_row_shown(cast, login_as, check_in):
    factories.AttendanceFactory(session=cast.session_b, participant=cast.man_b)
    login_as(cast.admin).get(reverse("admin:group_sessions_attendance_changelist"))
    shown = events(AuditEvent.Action.VIEW)
    assert sorted(e[3] for e in shown) == sorted([cast.man_a.pk, cast.man_b.pk])
    assert {e[4] for e in shown} == {"admin list"}


def test_deleting_in_the_admin_is_audited(cast, login_as):
    follow_up = factories.ReferralFactory(participant=cast.man_a)
    login_as(cast.admin).post(
        reverse("admin:participants_referral_delete", args=[follow_up.pk]), {"post": "yes"}
    )
    assert events(AuditEvent.Action.DELETE) == [
        ("root", "participants.referral", str(follow_up.pk), cast.man_a.pk, "admin")
    ]
