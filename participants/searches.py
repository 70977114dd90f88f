"""Searches by name kept in the session, so that a name never travels in a URL.

The list's form is POSTed; `results_url` keeps its words under a new opaque random key in
the session and answers the list's URL with that key and the form's other filters (ids,
status: no names) in the query string. `words_of` finds the words again for the GET. The
session keeps the last KEPT searches, so old keys expire; an unknown key is just a search
no longer available."""

import secrets

from django.urls import reverse
from django.utils.http import urlencode

SESSION_KEY = "participant_searches"
KEPT = 20
# The list's filters that are not names: they may stay in the URL.
URL_FILTERS = ("site", "group", "status", "source")
WORDS_MAX = 100  # the form's own limit


def results_url(request):
    """Keep the POSTed search words (if any) and give the URL that shows their results."""
    params = [(name, request.POST[name]) for name in URL_FILTERS if request.POST.get(name)]
    words = request.POST.get("q", "").replace("\x00", "").strip()[:WORDS_MAX]
    if words:
        kept = request.session.get(SESSION_KEY, {})
        key = secrets.token_urlsafe(12)
        kept[key] = words
        request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT:])
        params.insert(0, ("search", key))
    url = reverse("participants:list")
    return f"{url}?{urlencode(params)}" if params else url


def words_of(request, key):
    """The words kept under `key`, or None when the session has no such search."""
    kept = request.session.get(SESSION_KEY, {})
    return kept.get(key) if isinstance(kept, dict) else None
