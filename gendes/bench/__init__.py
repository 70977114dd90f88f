"""`manage.py bench`: page timings and query counts on a fresh demo database.

- `urls`: the bench URLconf, the project's URLs plus a bare page (base.html, nothing else);
- `target`: picks what the pages show (a 20-man session, its group, a man with a long history);
- `pages`: the measured pages, one line each;
- `measure`: seeds, requests every page through the whole middleware stack, and reports.
"""
