"""The bench: its measuring part inside the test database (the command itself creates a
database of its own, which a test inside pytest-django's cannot do), and the command's
wiring with the database creation stubbed."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections

from gendes.bench import measure
from gendes.bench import pages as bench_pages
from gendes.bench.target import BenchError, prepare
from gendes.management.commands import bench as bench_command
from sessions.selectors import men_of_session

BASE_PAGES = {"record_get", "record_post", "facilitator_home", "group_page", "participant_page"}
# Later issues add their pages to gendes/bench/pages.py, one line each.
PAGES = {"bare", "bare_coordinator", *(page.name for page in bench_pages.PAGES)}


@pytest.mark.django_db
def test_measure_every_page_and_write_json(tmp_path):
    measure.seed(scale=1)
    target = prepare()
    session = target.session
    assert len(men_of_session(session)[0]) == 20
    version = session.version

    results = measure.measure(target, runs=2, warmup=0)
    path = tmp_path / "bench.json"
    measure.write_json(results, path)

    entries = json.loads(path.read_text())
    assert BASE_PAGES < PAGES
    assert {e["page"] for e in entries} == PAGES
    assert len(entries) == len(PAGES)
    for entry in entries:
        assert set(entry) == {"page", "queries", "median_ms", "p95_ms"}
        assert isinstance(entry["queries"], int) and entry["queries"] > 0, entry
        assert entry["median_ms"] > 0 and entry["p95_ms"] >= entry["median_ms"], entry
    # Every POST saved the record (the version moves once per save, a stale one answers 409).
    session.refresh_from_db()
    assert session.version == version + 2
    assert session.attendances.filter(status="present", violence="no").count() == 20
    lines = measure.table(results)
    assert len(lines) == 2 + len(PAGES)
    assert "record_post" in lines[5]


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
    monkeypatch.setattr(bench_command.measure, "seed", lambda scale: fake.calls.append(scale))
    return fake


def test_command_writes_table_and_json_and_drops_its_database(fake_db, monkeypatch, tmp_path):
    target = type("T", (), {"session": type("S", (), {"pk": 1, "date": "2026-01-05"})})
    target.group, target.added_men = type("G", (), {"pk": 2}), 0
    target.man = type("M", (), {"code": "CDMX-0001"})
    results = [
        measure.Result("bare", "facilitator", 2, [1.0, 2.0, 3.0]),
        measure.Result("record_get", "facilitator", 11, [4.0, 4.0, 8.0]),
    ]
    monkeypatch.setattr(bench_command.measure, "prepare", lambda: target)
    monkeypatch.setattr(bench_command.measure, "measure", lambda *a, **k: results)
    export = {"page": "attendance_export", "queries": 6, "median_ms": 9.0, "p95_ms": 9.5}
    export.update(rows=10, megabytes=0.01, peak_memory_mb=1.5)
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
        {"page": "bare", "queries": 2, "median_ms": 2.0, "p95_ms": 2.9},
        {"page": "record_get", "queries": 11, "median_ms": 4.0, "p95_ms": 7.6},
        export,
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


def _call(**options):
    out = io.StringIO()
    call_command("bench", stdout=out, **options)
    return out.getvalue()
