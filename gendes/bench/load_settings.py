"""Settings for the load test's gunicorn: the project's, plus the bench's bare page."""

from gendes.settings import *  # noqa: F403

ROOT_URLCONF = "gendes.bench.urls"
