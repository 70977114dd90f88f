"""The load test's check: the last accepted save of each session is what the database holds."""

import json

import pytest

from gendes.bench.load import check_saves
from tests import factories

pytestmark = pytest.mark.django_db


def save(session, men, absent, at):
    return json.dumps({"session": session.pk, "men": men, "absent": absent, "at": at})


def test_the_last_accepted_save_of_each_session_must_be_in_the_database(cast):
    other = factories.ParticipantFactory(site=cast.site_a, code="SA-0002")
    factories.AttendanceFactory(session=cast.session_a, participant=cast.man_a, status="present")
    factories.AttendanceFactory(
        session=cast.session_a, participant=other, status="unexcused", violence=""
    )
    men = [cast.man_a.pk, other.pk]
    earlier = save(cast.session_a, men, cast.man_a.pk, at=1.0)  # overwritten by the later one
    later = save(cast.session_a, men, other.pk, at=2.0)

    assert check_saves([later, earlier, ""]) == (2, 1, [])


def test_a_save_the_database_does_not_hold_is_reported(cast):
    factories.AttendanceFactory(session=cast.session_a, participant=cast.man_a, status="present")
    lost = save(cast.session_a, [cast.man_a.pk], cast.man_a.pk, at=1.0)

    assert check_saves([lost]) == (
        1,
        1,
        [(cast.session_a.pk, cast.man_a.pk, "present", "unexcused")],
    )
