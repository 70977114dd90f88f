"""Spanish (the default) and English are both complete, and the committed .mo files match."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
SOURCES = ["gendes", "programmes", "participants", "sessions", "templates", "manage.py"]


def parse_po(path):
    """{msgid: (msgstrs, fuzzy)} of a .po file (enough of the format for our files)."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = "\n".join(line for line in lines if not line.startswith("#"))
        msgid = re.search(r'^msgid "(.*)"$', text, re.M)
        if not msgid or not msgid.group(1):
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, re.M)
        entries[msgid.group(1)] = (strs, fuzzy)
    return entries


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    entries = parse_po(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po")
    untranslated = [m for m, (strs, _) in entries.items() if not all(strs)]
    fuzzy = [m for m, (_, is_fuzzy) in entries.items() if is_fuzzy]
    assert len(entries) > 300
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext tools are not installed")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location", "--no-wrap"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///:memory:"},
    )
    fresh = parse_po(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po")
    committed = parse_po(ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po")
    assert sorted(set(fresh) - set(committed)) == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext tools are not installed")
@pytest.mark.parametrize("lang", ["es", "en"])
def test_committed_mo_matches_the_po(tmp_path, lang):
    folder = ROOT / "locale" / lang / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(folder / "django.po")], check=True)
    with open(fresh, "rb") as a, open(folder / "django.mo", "rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog


@pytest.mark.django_db
def test_pages_are_in_spanish_by_default_and_english_on_request(client):
    spanish = client.get(reverse("login")).content.decode()
    assert "Iniciar sesión" in spanish and 'lang="es"' in spanish
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("login")).content.decode()
    assert "Log in" in english and 'lang="en"' in english
