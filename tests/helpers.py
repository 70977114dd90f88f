"""Small helpers shared by the test modules."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """The number of queries a GET of `url` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def queries_with_1_and_3(client, url, make_row):
    """The queries of a GET of `url` with one row made by `make_row`, then with three."""
    make_row()
    client.get(url)  # Fill the per-process caches (content types) first.
    one = count_queries(client, url)
    make_row()
    make_row()
    return one, count_queries(client, url)


def search_participants(client, words, **filters):
    """The men's list searched as a browser does it: the form POSTed, then the GET of the
    results it is redirected to (the words stay in the session, not in the URL)."""
    from django.urls import reverse

    posted = client.post(reverse("participants:list"), {"q": words, **filters})
    assert posted.status_code == 302, posted.status_code
    return client.get(posted["Location"])


def run_queued_tasks():
    """Run, in this process, every task waiting in the task engine's queue (its ORM broker),
    as a worker would, and empty the queue; tasks they queue run too. Returns how many ran."""
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    ran = 0
    while queued := list(OrmQ.objects.order_by("id")):
        for row in queued:
            task = SignedPackage.loads(row.payload)
            row.delete()
            func = task["func"]
            (import_string(func) if isinstance(func, str) else func)(
                *task["args"], **task["kwargs"]
            )
            ran += 1
    return ran
