"""The bench: its measuring part inside the test database (the command itself creates a
database of its own, which a test inside pytest-django's cannot do), and the command's
wiring with the database creation stubbed."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse

from gendes.bench import measure, report
from gendes.bench import pages as bench_pages
from gendes.bench.target import ONE_SITE_COORDINATOR, BenchError, prepare
from gendes.management.commands import bench as bench_command
from participants.models import Participant
from programmes.models import Site, StaffRole
from sessions.selectors import men_of_session

BASE_PAGES = {"record_get", "record_post", "facilitator_home", "group_page", "participant_page"}
# Later issues add their pages to gendes/bench/pages.py, one line each.
BARE_PAGES = {"bare", "bare_coordinator", f"bare_{ONE_SITE_COORDINATOR}"}
PAGES = {*BARE_PAGES, *(page.name for page in bench_pages.PAGES)}
NEW_PAGES = {
    "participant_list": "coordinator",
    "week": "facilitator",
    "session_page": "facilitator",
    "anonymised": "coordinator",
    "progress_report": "coordinator",
    **{
        f"{name}_one_site": ONE_SITE_COORDINATOR
        for name in (
            "participant_list",
            "at_risk_list",
            "participant_page",
            "dashboard",
            "anonymised",
            "progress_report",
        )
    },
}
ENTRY_KEYS = {"page", "scale", "queries", "median_ms", "p95_ms"}


@pytest.mark.django_db
def test_measure_every_page_and_write_json(tmp_path):
    measure.seed(scale=1)
    target = prepare()
    session = target.session
    assert len(men_of_session(session)[0]) == 20
    version = session.version

    results = measure.measure(target, runs=2, warmup=0)
    path = tmp_path / "bench.json"
    report.write_json({1: results}, path)

    entries = json.loads(path.read_text())
    assert BASE_PAGES < PAGES and set(NEW_PAGES) < PAGES
    assert {e["page"] for e in entries} == PAGES
    assert len(entries) == len(PAGES)
    for entry in entries:
        assert set(entry) == ENTRY_KEYS and entry["scale"] == 1, entry
        assert isinstance(entry["queries"], int) and entry["queries"] > 0, entry
        assert entry["median_ms"] > 0 and entry["p95_ms"] >= entry["median_ms"], entry
    # Every POST saved the record (the version moves once per save, a stale one answers 409).
    session.refresh_from_db()
    assert session.version == version + 2
    assert session.attendances.filter(status="present", violence="no").count() == 20
    lines = report.table(results)
    assert len(lines) == 2 + len(PAGES)
    assert [line.split("|")[1].strip() for line in lines[2:]] == [r.page for r in results]


@pytest.mark.django_db
def test_measure_export_streams_every_attendance_row_of_the_year():
    from django.utils import timezone

    from gendes.bench.export import measure_export
    from sessions.models import Attendance

    measure.seed(scale=1)
    target = prepare()
    result = measure_export(target, runs=1)
    expected = Attendance.objects.filter(session__date__year=timezone.localdate().year).count()
    assert result["rows"] == expected > 0
    assert result["peak_memory_mb"] > 0 and result["queries"] > 0


@pytest.mark.django_db
def test_prepare_needs_the_demo_data():
    with pytest.raises(BenchError, match="seed_demo"):
        prepare()


def test_percentile():
    assert measure.percentile([5.0], 0.95) == 5.0
    assert measure.percentile([1.0, 2.0], 0.5) == 1.5
    assert measure.percentile(list(range(1, 21)), 0.95) == pytest.approx(19.05)


@pytest.mark.parametrize("args", [["--scale", "0"], ["--scale", "1", "--runs", "0"]])
def test_command_refuses_nonpositive_numbers(args):
    with pytest.raises(CommandError):
        call_command("bench", *args)


def test_command_refuses_scale_zero_as_keyword():
    with pytest.raises(CommandError):
        call_command("bench", scale=0)


class FakeCreation:
    """Stands in for connection.creation: switches NAME like Django's and records calls."""

    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.real_name = wrapper.settings_dict["NAME"]
        self.calls = []

    def create_test_db(self, **kwargs):
        self.calls.append(("create", kwargs))
        self.wrapper.settings_dict["NAME"] = "bench_fake"
        return "bench_fake"

    def destroy_test_db(self, old_database_name, **kwargs):
        self.calls.append(("destroy", old_database_name))
        self.wrapper.settings_dict["NAME"] = old_database_name


@pytest.fixture
def fake_db(monkeypatch):
    # The connection itself, not the `connection` proxy (monkeypatch cannot undo through it).
    wrapper = connections[DEFAULT_DB_ALIAS]
    fake = FakeCreation(wrapper)
    monkeypatch.setattr(wrapper, "creation", fake)
    monkeypatch.setattr(
        bench_command.measure, "seed", lambda scale, years=None: fake.calls.append(scale)
    )
    return fake


def _fake_target():
    target = type("T", (), {"session": type("S", (), {"pk": 1, "date": "2026-01-05"})})
    target.group, target.added_men = type("G", (), {"pk": 2}), 0
    target.man = type("M", (), {"code": "CDMX-0001"})
    target.site = type("Site", (), {"code": "CDMX"})
    return target


EXPORT = {"page": "attendance_export", "queries": 6, "median_ms": 9.0, "p95_ms": 9.5}
EXPORT.update(rows=10, megabytes=0.01, peak_memory_mb=1.5)


def test_command_writes_table_and_json_and_drops_its_database(fake_db, monkeypatch, tmp_path):
    target = _fake_target()
    results = [
        measure.Result("bare", "facilitator", 2, [1.0, 2.0, 3.0]),
        measure.Result("record_get", "facilitator", 11, [4.0, 4.0, 8.0]),
    ]
    monkeypatch.setattr(bench_command.measure, "prepare", lambda: target)
    monkeypatch.setattr(bench_command.measure, "measure", lambda *a, **k: results)
    export = EXPORT
    monkeypatch.setattr(bench_command, "measure_export", lambda target: export)
    path = tmp_path / "out.json"
    out = _call(scale=3, runs=3, json=str(path))

    assert [c[0] if isinstance(c, tuple) else c for c in fake_db.calls] == [
        "create",
        3,
        "destroy",
    ]
    assert fake_db.calls[0][1]["keepdb"] is False
    assert fake_db.wrapper.settings_dict["NAME"] == fake_db.real_name
    assert "| record_get " in out and "2.0 |" in out  # median 4 over bare median 2
    assert json.loads(path.read_text()) == [
        {"page": "bare", "scale": 3, "queries": 2, "median_ms": 2.0, "p95_ms": 2.9},
        {"page": "record_get", "scale": 3, "queries": 11, "median_ms": 4.0, "p95_ms": 7.6},
        {**export, "scale": 3},
    ]
    assert "attendance_export: 10 rows" in out


def test_command_drops_its_database_when_measuring_fails(fake_db, monkeypatch):
    def fail():
        raise BenchError("no facilitator")

    monkeypatch.setattr(bench_command.measure, "prepare", fail)
    with pytest.raises(CommandError, match="no facilitator"):
        _call(scale=1)
    assert fake_db.calls[-1] == ("destroy", fake_db.real_name)
    assert fake_db.wrapper.settings_dict["NAME"] == fake_db.real_name


def test_command_measures_each_scale_in_a_database_of_its_own(fake_db, monkeypatch, tmp_path):
    def results_at(scale):
        """Bare pages alike; record_get grows 2.5x and makes one more query at scale 5; the
        dashboard goes from 20x to 30x its bare page (its goal is 25x)."""
        return [
            measure.Result("bare", "facilitator", 3, [2.0, 2.0, 2.0]),
            measure.Result(
                "record_get",
                "facilitator",
                7 if scale == 1 else 8,
                [4.0 if scale == 1 else 10.0] * 3,
                10,
            ),
            measure.Result("dashboard", "facilitator", 12, [40.0 if scale == 1 else 60.0] * 3, 25),
        ]

    monkeypatch.setattr(bench_command.measure, "prepare", _fake_target)
    monkeypatch.setattr(
        bench_command.measure, "measure", lambda *a, **k: results_at(fake_db.calls[-1])
    )
    monkeypatch.setattr(bench_command, "measure_export", lambda target: EXPORT)
    path = tmp_path / "out.json"
    out = io.StringIO()
    call_command(
        "bench", "--scale", "5", "--scale", "1", "--runs", "3", "--json", str(path), stdout=out
    )
    out = out.getvalue()
    words = " ".join(out.split())

    assert [c[0] if isinstance(c, tuple) else c for c in fake_db.calls] == [
        *("create", 1, "destroy"),
        *("create", 5, "destroy"),
    ]
    entries = json.loads(path.read_text())
    pages = [e for e in entries if e["page"] != "attendance_export"]
    assert sorted((e["page"], e["scale"]) for e in pages) == sorted(
        (page, scale) for page in ("bare", "record_get", "dashboard") for scale in (1, 5)
    )
    assert all(set(e) == ENTRY_KEYS for e in pages)
    assert {e["scale"] for e in entries if e["page"] == "attendance_export"} == {1, 5}
    assert {"median_ms": 10.0, "scale": 5, "page": "record_get"}.items() <= next(
        e for e in pages if e["page"] == "record_get" and e["scale"] == 5
    ).items()
    # A table per scale, then the scales compared, then the goals missed.
    assert "--scale 1\n" in out and "--scale 5\n" in out
    assert "| record_get | facilitator | 8 | 10.00 | 10.00 | 5.0 | 10x |" in words
    assert "| record_get | 7 / 8 | no | 4.00 | 10.00 | 2.50 |" in words
    assert "| bare | 3 / 3 | yes | 2.00 | 2.00 | 1.00 |" in words
    assert "- record_get: 7 / 8 queries at --scale 1 / 5 (goal: the same at every scale)" in out
    assert "- record_get: median 2.50x from --scale 1 to --scale 5 (goal: at most 2x)" in out
    assert "- dashboard: 30.0x bare at --scale 5 (goal: at most 25x)" in out
    assert "dashboard: 20.0x" not in out and "bare:" not in out


def test_command_passes_years_on_to_the_seeding(fake_db, monkeypatch):
    seeded = []
    monkeypatch.setattr(bench_command.measure, "seed", lambda *a: seeded.append(a))
    monkeypatch.setattr(bench_command.measure, "prepare", _fake_target)
    results = [measure.Result("bare", "facilitator", 3, [2.0])]
    monkeypatch.setattr(bench_command.measure, "measure", lambda *a, **k: results)
    monkeypatch.setattr(bench_command, "measure_export", lambda target: EXPORT)
    _call(scale=[3], years=10, runs=1)
    _call(scale=[2], runs=1)
    assert seeded == [(3, 10), (2, None)]


def test_seed_gives_seed_demo_years_only_when_asked(monkeypatch):
    # seed_demo may not know --years on this branch: its call is what is checked.
    calls = []
    monkeypatch.setattr(measure, "call_command", lambda *a, **k: calls.append((a, k)))
    monkeypatch.setattr(measure, "analyze", lambda: None)
    measure.seed(2)
    measure.seed(3, years=10)
    assert [(a, k["scale"], k.get("years", "-")) for a, k in calls] == [
        (("seed_demo",), 2, "-"),
        (("seed_demo",), 3, 10),
    ]


@pytest.mark.django_db
def test_the_added_pages_answer_as_their_own_user():
    measure.seed(scale=1)
    target = prepare()
    pages = {page.name: page for page in bench_pages.PAGES}
    with override_settings(**measure.bench_settings()):
        for name, username in NEW_PAGES.items():
            page = pages[name]
            assert page.user == username, name
            client = Client()
            client.force_login(target.users[username])
            response = client.get(page.url(target))
            assert response.status_code == 200, name  # not a redirect, not a 404
            assert response.wsgi_request.user.username == username, name
            if name == "session_page":
                assert "sessions/session_detail.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_the_one_site_coordinator_sees_only_the_largest_site():
    measure.seed(scale=1)
    target = prepare()
    user = target.users[ONE_SITE_COORDINATOR]
    assert list(StaffRole.objects.filter(user=user).values_list("site", "role")) == [
        (target.site.pk, "coordinator")
    ]
    men_per_site = dict(Site.objects.annotate(men=Count("participants")).values_list("pk", "men"))
    assert len(men_per_site) > 1 and men_per_site[target.site.pk] == max(men_per_site.values())
    his_men = Participant.objects.coordinated_by(user)
    assert his_men.filter(pk=target.man.pk).exists()
    with override_settings(**measure.bench_settings()):
        client = Client()
        client.force_login(user)
        listed = client.get(reverse("participants:list")).context["page"].paginator.count
        dashboard_sites = client.get(reverse("reports:dashboard")).context["sites"]
    assert listed == his_men.count() < Participant.objects.count()
    assert [site.pk for site in dashboard_sites] == [target.site.pk]


def _call(**options):
    out = io.StringIO()
    call_command("bench", stdout=out, **options)
    return out.getvalue()
