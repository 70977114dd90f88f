"""Production settings: safe by default, and `check --deploy` passes with only the variables a
deployment has to set.

Each case runs Django in a fresh subprocess with an environment built from scratch (nothing
inherited from the test run, such as DEBUG or SECRET_KEY), and with the project's `.env`
file switched off, so a developer's local `.env` cannot change the result.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

# Run Django without reading the project's .env (settings.py calls Env.read_env()).
NO_DOTENV = "import environ; environ.Env.read_env = classmethod(lambda *a, **k: None); "
MANAGE = NO_DOTENV + (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py'] + sys.argv[1:])"
)
PRINT_SETTINGS = NO_DOTENV + (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name, None) for name in %r}))"
)
SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "ALLOWED_HOSTS",
    "EMAIL_BACKEND",
    "STORAGES",
]
ONE_YEAR = 60 * 60 * 24 * 365


def production_env(tmp_path, **overrides):
    """Only what a production deployment sets, plus what a process needs to start."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "gendes.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "gendes.example.org",
        # The database URL is only parsed by these commands, never connected to.
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run_python(code, env, *args):
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(env):
    result = run_python(PRINT_SETTINGS % (SECURITY_SETTINGS,), env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_only_the_production_variables(tmp_path):
    result = run_python(
        MANAGE, production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_a_weak_secret_key(tmp_path):
    """The test above would mean little if the check could not fail here."""
    env = production_env(tmp_path, SECRET_KEY="short")
    result = run_python(MANAGE, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_without_debug_a_missing_secret_key_is_an_error(tmp_path):
    result = run_python(MANAGE, production_env(tmp_path, SECRET_KEY=None), "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_an_empty_secret_key_is_an_error_too(tmp_path):
    result = run_python(MANAGE, production_env(tmp_path, SECRET_KEY=""), "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_true_runs_without_a_secret_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None, DEBUG="true", ALLOWED_HOSTS=None)
    result = run_python(MANAGE, env, "check")
    assert result.returncode == 0, result.stderr


def test_without_debug_every_security_setting_defaults_to_safe(tmp_path):
    settings = settings_with(production_env(tmp_path))
    assert settings["DEBUG"] is False
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_HSTS_PRELOAD"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    # X-Forwarded-Proto is spoofable unless a proxy that sets it is in front.
    assert settings["SECURE_PROXY_SSL_HEADER"] is None
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_without_debug_no_host_is_allowed_by_default(tmp_path):
    settings = settings_with(production_env(tmp_path, ALLOWED_HOSTS=None))
    assert settings["ALLOWED_HOSTS"] == []


def test_the_proxy_header_is_trusted_only_when_the_deployment_says_so(tmp_path):
    settings = settings_with(production_env(tmp_path, TRUST_X_FORWARDED_PROTO="true"))
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    settings = settings_with(production_env(tmp_path, TRUST_X_FORWARDED_PROTO="false"))
    assert settings["SECURE_PROXY_SSL_HEADER"] is None


@pytest.mark.parametrize(
    "name, value",
    [
        ("SECURE_SSL_REDIRECT", False),
        ("SESSION_COOKIE_SECURE", False),
        ("CSRF_COOKIE_SECURE", False),
    ],
)
def test_a_security_default_can_be_switched_off_explicitly(tmp_path, name, value):
    settings = settings_with(production_env(tmp_path, **{name: str(value).lower()}))
    assert settings[name] is value


def test_debug_true_relaxes_the_defaults_for_local_use(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None, DEBUG="true", ALLOWED_HOSTS=None)
    settings = settings_with(env)
    assert settings["DEBUG"] is True
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert "127.0.0.1" in settings["ALLOWED_HOSTS"]


def test_every_variable_the_settings_read_is_documented():
    source = (PROJECT_DIR / "gendes" / "settings.py").read_text()
    variables = set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', source))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TRUST_X_FORWARDED_PROTO"} <= variables
    readme = (PROJECT_DIR / "README.md").read_text()
    example = (PROJECT_DIR / ".env.example").read_text()
    assert sorted(v for v in variables if f"`{v}`" not in readme) == [], "missing in README.md"
    assert (
        sorted(v for v in variables if not re.search(rf"^#? ?{v}=", example, re.MULTILINE)) == []
    ), "missing in .env.example"


def test_postgresql_connections_run_without_the_jit_compiler(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    postgres = production_env(tmp_path, DATABASE_URL="postgres://u@db.example.org:5432/gendes")
    sqlite = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    options = [run_python(code, env).stdout.strip().splitlines()[-1] for env in (postgres, sqlite)]
    assert [json.loads(o) for o in options] == [{"options": "-c jit=off"}, {}]
