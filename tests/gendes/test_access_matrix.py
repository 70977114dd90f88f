"""The access matrix: every URL of the app, for every kind of user, and what it answers.

The tables below are the access policy as a reader can check it: one row per URL name, one
column per kind of user. A URL pattern without a row fails the suite
(`test_every_url_pattern_has_a_row`), so a new page cannot be added without deciding who may
open it. To add a URL: a line in GET (and in ARGS if it takes parameters; in POST and DATA
if a POST changes something).

Columns (USERS), each built with real objects by the `world` fixture:
  anon       not logged in
  fac        facilitator of the group ("Martes A", site A) the man is enrolled in
  fac_site   facilitator of another group ("Jueves A") at the same site
  fac_out    facilitator of a group at another site (site B)
  coord      coordinator of site A
  coord_out  coordinator of site B
  partner    partner-support worker of site A
  admin      superuser

Cells: the status code answered. L is a 302 to the login page (with ?next=); 405 is a GET of
a view that takes only POST. A refused POST (403 or 404, or 400: a form that names what is
not his, like another site) must change nothing in the database.
Django admin's own URLs are covered by `test_django_admin_refuses_everyone_but_admins`.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from participants.models import Enrolment, PartnerContact
from programmes.models import Programme
from sessions.models import SafetyAlert
from sessions.reports.progress import services as progress_services
from tests import factories

pytestmark = pytest.mark.django_db

USERS = ("anon", "fac", "fac_site", "fac_out", "coord", "coord_out", "partner", "admin")
L = "login"

# fmt: off
GET = {
    #                                     anon  fac   fac   fac   coord coord partn admin
    #                                           group site  other site  other
    # accounts (Django's views)
    "login":                             (200,  200,  200,  200,  200,  200,  200,  200),
    "logout":                            (L,    405,  405,  405,  405,  405,  405,  405),
    "password_change":                   (L,    200,  200,  200,  200,  200,  200,  200),
    "password_change_done":              (L,    200,  200,  200,  200,  200,  200,  200),
    "password_reset":                    (200,  200,  200,  200,  200,  200,  200,  200),
    "password_reset_done":               (200,  200,  200,  200,  200,  200,  200,  200),
    "password_reset_confirm":            (302,  302,  302,  302,  302,  302,  302,  302),
    "password_reset_complete":           (200,  200,  200,  200,  200,  200,  200,  200),
    "set_language":                      (302,  302,  302,  302,  302,  302,  302,  302),
    # the second factor (django-two-factor-auth): optional for facilitators, required for
    # the others, whose logins in this table have passed it
    "two_factor:login":                  (302,  302,  302,  302,  302,  302,  302,  302),
    "two_factor:profile":                (L,    200,  200,  200,  200,  200,  200,  200),
    # a user with a device is sent on from the setup
    "two_factor:setup":                  (L,    200,  200,  200,  302,  302,  302,  302),
    # the QR code exists only during a setup (it is the setup's secret)
    "two_factor:qr":                     (L,    404,  404,  404,  404,  404,  404,  404),
    # pages of a verified login: a facilitator without a device logs in again
    "two_factor:setup_complete":         (L,    L,    L,    L,    200,  200,  200,  200),
    "two_factor:backup_tokens":          (L,    L,    L,    L,    200,  200,  200,  200),
    "two_factor:disable":                (L,    302,  302,  302,  200,  200,  200,  200),
    "privacy":                           (200,  200,  200,  200,  200,  200,  200,  200),
    # home, groups, the week
    "home":                              (L,    200,  200,  200,  200,  200,  200,  200),
    "programmes:group_list":             (L,    200,  200,  200,  200,  200,  404,  200),
    "sessions:my_week":                  (L,    200,  200,  200,  200,  200,  404,  200),
    "sessions:offline_sessions":         (L,    200,  200,  200,  200,  200,  404,  200),
    # the service worker script: public, like any static file (it holds no data)
    "sessions:service_worker":           (200,  200,  200,  200,  200,  200,  200,  200),
    "sessions:group_detail":             (L,    200,  404,  404,  200,  404,  404,  200),
    "sessions:extra_session_add":        (L,    405,  405,  405,  405,  405,  405,  405),
    "sessions:group_walk_ins":           (L,    405,  405,  405,  405,  405,  405,  405),
    # sessions and alerts
    "sessions:detail":                   (L,    200,  404,  404,  200,  404,  404,  200),
    "sessions:record":                   (L,    200,  404,  404,  200,  404,  404,  200),
    "sessions:walk_in_add":              (L,    405,  405,  405,  405,  405,  405,  405),
    "sessions:cancel":                   (L,    405,  405,  405,  405,  405,  405,  405),
    "sessions:restore":                  (L,    405,  405,  405,  405,  405,  405,  405),
    "sessions:alert_acknowledge":        (L,    405,  405,  405,  405,  405,  405,  405),
    "sessions:alert_list":               (L,    404,  404,  404,  200,  200,  404,  200),
    # the men
    "participants:list":                 (L,    200,  200,  200,  200,  200,  404,  200),
    "participants:at_risk":              (L,    404,  404,  404,  200,  200,  404,  200),
    "participants:referral_new":         (L,    404,  404,  404,  200,  200,  404,  200),
    "participants:detail":               (L,    200,  404,  404,  200,  404,  404,  200),
    "participants:intake":               (L,    405,  405,  405,  405,  405,  405,  405),
    "participants:audit_trail":          (L,    404,  404,  404,  200,  200,  404,  200),
    "participants:follow_up_new":        (L,    404,  404,  404,  200,  404,  404,  200),
    "participants:enrol":                (L,    405,  405,  405,  405,  405,  405,  405),
    "participants:enrolment_close":      (L,    405,  405,  405,  405,  405,  405,  405),
    "participants:enrolment_transfer":   (L,    405,  405,  405,  405,  405,  405,  405),
    # reports
    "reports:dashboard":                 (L,    404,  404,  404,  200,  200,  404,  200),
    "reports:group_figures":             (L,    200,  404,  404,  200,  404,  404,  200),
    "exports:anonymised":                (L,    404,  404,  404,  200,  200,  404,  200),
    "exports:anonymised_csv":            (L,    404,  404,  404,  200,  200,  404,  200),
    "exports:attendance":                (L,    404,  404,  404,  200,  200,  404,  200),
    "exports:table":                     (L,    404,  404,  404,  200,  200,  404,  200),
    "exports:subject_access":            (L,    404,  404,  404,  200,  404,  404,  200),
    "progress:due":                      (L,    404,  404,  404,  200,  200,  404,  200),
    "progress:report":                   (L,    404,  404,  404,  200,  404,  404,  200),
    "progress:issue":                    (L,    405,  405,  405,  405,  405,  405,  405),
    "progress:certificate":              (L,    404,  404,  404,  200,  404,  404,  200),
    "progress:issued":                   (L,    404,  404,  404,  200,  404,  404,  200),
    "progress:mark_sent":                (L,    405,  405,  405,  405,  405,  405,  405),
    # partner contacts (segregated)
    "partner:list":                      (L,    404,  404,  404,  404,  404,  200,  200),
    "partner:new":                       (L,    404,  404,  404,  404,  404,  200,  200),
    "partner:detail":                    (L,    404,  404,  404,  404,  404,  200,  200),
    "partner:entry_add":                 (L,    404,  404,  404,  404,  404,  405,  405),
    "partner:edit":                      (L,    404,  404,  404,  404,  404,  200,  200),
}

# What a POST answers where it changes something: every POST-only view, and the pages
# whose form saves. Each is sent as a valid form (DATA), so a missing check would show.
POST = {
    #                                     anon  fac   fac   fac   coord coord partn admin
    #                                           group site  other site  other
    "logout":                            (L,    302,  302,  302,  302,  302,  302,  302),
    "sessions:extra_session_add":        (L,    404,  404,  404,  302,  404,  404,  302),
    "sessions:group_walk_ins":           (L,    404,  404,  404,  302,  404,  404,  302),
    "sessions:walk_in_add":              (L,    302,  404,  404,  302,  404,  404,  302),
    "sessions:cancel":                   (L,    404,  404,  404,  302,  404,  404,  302),
    "sessions:restore":                  (L,    404,  404,  404,  302,  404,  404,  302),
    "sessions:alert_acknowledge":        (L,    404,  404,  404,  302,  404,  404,  302),
    "participants:referral_new":         (L,    404,  404,  404,  302,  400,  404,  302),
    "participants:intake":               (L,    404,  404,  404,  302,  404,  404,  302),
    "participants:follow_up_new":        (L,    404,  404,  404,  302,  404,  404,  302),
    "participants:enrol":                (L,    404,  404,  404,  302,  404,  404,  302),
    "participants:enrolment_close":      (L,    404,  404,  404,  302,  404,  404,  302),
    "participants:enrolment_transfer":   (L,    404,  404,  404,  302,  404,  404,  302),
    "progress:issue":                    (L,    404,  404,  404,  302,  404,  404,  302),
    "progress:mark_sent":                (L,    404,  404,  404,  302,  404,  404,  302),
    "partner:new":                       (L,    404,  404,  404,  404,  404,  302,  302),
    "partner:entry_add":                 (L,    404,  404,  404,  404,  404,  302,  302),
    "partner:edit":                      (L,    404,  404,  404,  404,  404,  302,  302),
}
# fmt: on

# The URL parameters of each name, from the world's objects.
ARGS = {
    "password_reset_confirm": lambda w: {"uidb64": w.uidb64, "token": w.token},  # a valid link
    "sessions:group_detail": lambda w: {"pk": w.group_a.pk},
    "sessions:extra_session_add": lambda w: {"pk": w.group_a.pk},
    "sessions:group_walk_ins": lambda w: {"pk": w.group_a.pk},
    "sessions:detail": lambda w: {"pk": w.session_a.pk},
    "sessions:record": lambda w: {"pk": w.session_a.pk},
    "sessions:walk_in_add": lambda w: {"pk": w.session_a.pk},
    "sessions:cancel": lambda w: {"pk": w.session_a.pk},
    "sessions:restore": lambda w: {"pk": w.cancelled.pk},
    "sessions:alert_acknowledge": lambda w: {"pk": w.alert.pk},
    "participants:detail": lambda w: {"pk": w.man_a.pk},
    "participants:intake": lambda w: {"pk": w.man_a.pk},
    "participants:follow_up_new": lambda w: {"pk": w.man_a.pk},
    "participants:enrol": lambda w: {"pk": w.man_new.pk},
    "participants:enrolment_close": lambda w: {"pk": w.man_a.pk, "enrolment_pk": w.enrolment.pk},
    "participants:enrolment_transfer": lambda w: {
        "pk": w.man_a.pk,
        "enrolment_pk": w.enrolment.pk,
    },
    "reports:group_figures": lambda w: {"pk": w.group_a.pk},
    "exports:attendance": lambda w: {"year": 2026},
    "exports:table": lambda w: {"slug": "men-reached", "fmt": "csv"},
    "progress:report": lambda w: {"pk": w.man_a.pk},
    "exports:subject_access": lambda w: {"pk": w.man_a.pk},
    "progress:issue": lambda w: {"pk": w.man_a.pk},
    "progress:certificate": lambda w: {"pk": w.man_done.pk},
    "progress:issued": lambda w: {"report_pk": w.report.pk},
    "progress:mark_sent": lambda w: {"report_pk": w.report.pk},
    "partner:detail": lambda w: {"pk": w.contact.pk},
    "partner:entry_add": lambda w: {"pk": w.contact.pk},
    "partner:edit": lambda w: {"pk": w.contact.pk},
}

DAY = "2026-03-03"
# A valid form for each POST row.
DATA = {
    "logout": lambda w: {},
    "sessions:extra_session_add": lambda w: {"date": "2026-03-05", "start_time": "18:00"},
    "sessions:group_walk_ins": lambda w: {"allow": "1"},
    "sessions:walk_in_add": lambda w: {
        "first_name": "Nuevo",
        "last_name": "Llegado",
        "consented": "on",
    },
    "sessions:cancel": lambda w: {"reason": "Día festivo"},
    "sessions:restore": lambda w: {},
    "sessions:alert_acknowledge": lambda w: {"note": "Llamé a la coordinadora"},
    "participants:referral_new": lambda w: {
        "site": w.site_a.pk,
        "first_name": "Ramón",
        "source_type": "court",
        "referred_on": DAY,
    },
    "participants:intake": lambda w: {
        "intake_date": DAY,
        "consent_given": "on",
        "consent_date": DAY,
        "consent_version": "v2",
    },
    "participants:follow_up_new": lambda w: {
        "contacted_on": DAY,
        "channel": "phone",
        "outcome": "returning",
    },
    "participants:enrol": lambda w: {"group": w.group_a.pk, "start_date": DAY},
    "participants:enrolment_close": lambda w: {
        "exit_status": "dropped_out",
        "end_date": DAY,
        "reason": "Dejó de venir",
    },
    "participants:enrolment_transfer": lambda w: {"to_group": w.group_a2.pk, "date": DAY},
    "progress:issue": lambda w: {},
    "progress:mark_sent": lambda w: {"sent_on": DAY},
    "partner:new": lambda w: {"code": w.man_new.code, "safe_channel": "Teléfono de su hermana"},
    "partner:entry_add": lambda w: {"contacted_on": DAY, "notes": "Refiere calma"},
    "partner:edit": lambda w: {"safe_channel": "Correo", "safe_times": "Mañanas"},
}

# Not in the tables: Django admin's own URLs (see its test below).
EXCLUDED_NAMESPACES = ("admin:",)


@pytest.fixture
def world(cast):
    """The conftest cast, extended to one user of each column and an object of each kind."""
    w = SimpleNamespace(**{k: v for k, v in vars(cast).items() if not k.startswith("__")})
    w.group_a2 = factories.GroupFactory(site=w.site_a, name="Jueves A")
    w.fac_site = factories.facilitator_of(w.group_a2, factories.UserFactory(username="fac_a2"))
    w.coord_out = factories.coordinator_of(w.site_b, factories.UserFactory(username="coord_b"))
    w.fac, w.fac_out, w.coord = w.facilitator, w.outsider, w.coordinator
    Programme.objects.filter(pk=w.group_a.programme_id).update(report_interval_days=90)
    w.enrolment = Enrolment.objects.get(participant=w.man_a)
    factories.ReferralFactory(participant=w.man_a, reports_requested=True)
    factories.AttendanceFactory(session=w.session_a, participant=w.man_a)
    w.man_new = factories.ParticipantFactory(site=w.site_a, code="SA-0002", status="referred")
    w.man_done = factories.ParticipantFactory(site=w.site_a, code="SA-0003", status="completed")
    factories.EnrolmentFactory(
        participant=w.man_done,
        group=w.group_a,
        end_date=datetime.date(2026, 6, 30),
        exit_status="completed",
    )
    w.cancelled = factories.GroupSessionFactory(
        group=w.group_a, date=datetime.date(2026, 3, 10), state="cancelled"
    )
    w.alert = SafetyAlert.objects.create(
        session=w.session_a, participant=w.man_a, physical=True, raised_by=w.fac
    )
    w.report, _created = progress_services.issue_report(participant=w.man_a, by=w.admin)
    w.contact = PartnerContact.objects.create(participant=w.man_a, safe_channel="Teléfono")
    # A password reset link of a user who is none of the columns (logging in voids a link).
    forgetful = factories.UserFactory(username="forgetful")
    w.uidb64 = urlsafe_base64_encode(force_bytes(forgetful.pk))
    w.token = default_token_generator.make_token(forgetful)
    return w


def clients(world):
    made = {"anon": Client()}
    for who in USERS[1:]:
        made[who] = Client()
        made[who].force_login(getattr(world, who))
    return made


def iter_patterns(resolver=None, namespace=""):
    """(full name, pattern) of every URL pattern, through every include."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def app_url_names():
    return {name for name, _ in iter_patterns() if not name.startswith(EXCLUDED_NAMESPACES)}


def url_of(world, name):
    return reverse(name, kwargs=ARGS[name](world) if name in ARGS else None)


def answer(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="):
        return L
    return response.status_code


def database_state():
    """Every row of the project's tables (users, sites to sessions, the audit trail): what a
    refused POST must leave as it was."""
    labels = ("auth", "programmes", "participants", "group_sessions", "audit")
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def sent(method, client, url, data=None):
    """One request, undone afterwards (a savepoint), so every user meets the same world; and
    for a POST, whether it changed the database."""
    savepoint = transaction.savepoint()
    try:
        before = database_state() if method == "post" else None
        response = getattr(client, method)(url, data or {})
        changed = method == "post" and database_state() != before
    finally:
        transaction.savepoint_rollback(savepoint)
    return answer(response), changed


def row_text(name, cells):
    return f"{name!r}: ({', '.join(c if c == L else str(c) for c in cells)}),"


# --- The tables cover every URL ------------------------------------------------------------


def test_every_url_pattern_has_a_row():
    missing = sorted(app_url_names() - GET.keys())
    assert missing == [], f"URL names without a row in GET: {missing}"


def test_every_row_is_a_url_pattern():
    assert sorted(GET.keys() - app_url_names()) == []
    assert sorted(POST.keys() - GET.keys()) == []
    assert POST.keys() == DATA.keys()
    for name, (_anon, *signed_in) in GET.items():
        if set(signed_in) == {405}:  # a POST-only view: its POST must be tested
            assert name in POST, name


def test_every_row_has_a_cell_per_user():
    for name, cells in [*GET.items(), *POST.items()]:
        assert len(cells) == len(USERS), name


# --- What each user gets -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GET))
def test_get_answers_each_user_as_the_table_says(world, name):
    url = url_of(world, name)
    got = tuple(sent("get", client, url)[0] for client in clients(world).values())
    assert got == GET[name], (
        f"{url}\n  table:  {row_text(name, GET[name])}\n  actual: {row_text(name, got)}"
    )


@pytest.mark.parametrize("name", sorted(POST))
def test_post_answers_each_user_as_the_table_says_and_refusals_change_nothing(world, name):
    url, data = url_of(world, name), DATA[name](world)
    got, changed_by = [], []
    for who, client in clients(world).items():
        status, changed = sent("post", client, url, data)
        got.append(status)
        if changed and status in (L, 400, 403, 404):
            changed_by.append(who)
    got = tuple(got)
    assert got == POST[name], (
        f"{url}\n  table:  {row_text(name, POST[name])}\n  actual: {row_text(name, got)}"
    )
    assert changed_by == [], f"a refused POST changed the database: {changed_by}"


def test_an_allowed_post_does_change_the_database(world):
    """The refusals above are not vacuous: the same form from an allowed user saves."""
    for name in ("participants:enrolment_close", "sessions:cancel", "partner:edit"):
        who = "partner" if name.startswith("partner:") else "coord"
        client = clients(world)[who]
        status, changed = sent("post", client, url_of(world, name), DATA[name](world))
        assert (status, changed) == (302, True), name


# --- Django admin ----------------------------------------------------------------------------


def admin_urls():
    """The admin's index, and the list and add page of every registered model."""
    names = ["admin:index"] + [
        name
        for name, _ in iter_patterns()
        if name.startswith("admin:") and name.endswith(("_changelist", "_add"))
    ]
    return [reverse(name) for name in names]


# Admin pages that refuse admins too: the audit trail and issued progress reports are
# written by the app, never by hand.
ADMIN_REFUSES_EVEN_ADMINS = {
    # django-axes' records are written by the logins themselves.
    "/admin/axes/accessattempt/add/",
    "/admin/axes/accessfailurelog/add/",
    "/admin/axes/accesslog/add/",
    "/admin/audit/auditevent/add/",
    # django-q2's records of tasks run and queued are written by the workers.
    "/admin/django_q/success/add/",
    "/admin/django_q/failure/add/",
    "/admin/django_q/ormq/add/",
    "/admin/group_sessions/progressreport/add/",
}


def test_django_admin_refuses_everyone_but_admins(world):
    urls = admin_urls()
    assert len(urls) > 10
    wrong = []
    for who, client in clients(world).items():
        for url in urls:
            response = client.get(url)
            location = response.get("Location", "")
            if who == "admin":
                ok = response.status_code == (403 if url in ADMIN_REFUSES_EVEN_ADMINS else 200)
            elif who == "anon":  # the admin's index sends him to its own login page
                ok = response.status_code == 302 and location.startswith(
                    ("/admin/login/?next=", "/accounts/login/?next=")
                )
            else:
                ok = response.status_code == 302 and location == f"/admin/login/?next={url}"
            if not ok:
                wrong.append((who, url, response.status_code))
    assert wrong == []
