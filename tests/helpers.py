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
