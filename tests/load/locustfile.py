"""The load test's simulated staff (`make load` runs it; see README "Performance").

Facilitators open their home, their week, a group page and a man's page, and record sessions
(the record page, then Save with one man marked absent); coordinators open their home, a
man's page, the participant list, the at-risk list and the dashboard. A tenth of all requests
are bad ones (ids that do not exist, other sites' objects, an invalid form, absurd
parameters). Every account logs in once, before the run, and its simulated users share that
login. Each accepted save is written to LOAD_SAVES (JSON lines) for `load_plan --check`.

Settings from the environment: LOAD_PLAN (the plan `manage.py load_plan` wrote), LOAD_SAVES,
LOAD_PASSWORD, LOAD_OUTCOME (where the count of answers per status goes).
"""

import collections
import json
import os
import random
import re
import time

import requests
from django_otp.oath import TOTP
from locust import HttpUser, between, events, task

# The demo users' TOTP secret (gendes/accounts/devices.py; RFC 6238's test secret).
DEMO_TOTP_HEX = "3132333435363738393031323334353637383930"

PLAN = json.load(open(os.environ["LOAD_PLAN"], encoding="utf-8"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "gendes-demo")
SAVES = open(os.environ["LOAD_SAVES"], "a", encoding="utf-8")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
BAD_SHARE = 0.1
# The answers a bad request may get: refused, not found, or the page with a message.
BAD_ANSWERS = {200, 302, 400, 403, 404}

cookies = {}  # username -> the session and CSRF cookies of its one login
statuses = collections.Counter()


def log_in(host, username):
    """Log in through the real form, once per account: the password, then (for the roles
    that have one) the code of the demo TOTP secret."""
    session = requests.Session()
    url = host + "/accounts/login/"
    page = session.get(url, timeout=60)
    step = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1)}
    answer = session.post(
        url,
        data={
            **step,
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": PASSWORD,
        },
        headers={"Referer": url},
        timeout=60,
    )
    if "token-otp_token" in answer.text:
        step = {"csrfmiddlewaretoken": CSRF.search(answer.text).group(1)}
        code = f"{TOTP(bytes.fromhex(DEMO_TOTP_HEX)).token():06d}"
        answer = session.post(
            url,
            data={**step, "login_view-current_step": "token", "token-otp_token": code},
            headers={"Referer": url},
            timeout=60,
        )
    if "sessionid" not in session.cookies or "login_view-current_step" in answer.text:
        raise RuntimeError(f"{username} could not log in ({answer.status_code})")
    return session.cookies.get_dict()


@events.test_start.add_listener
def _log_everyone_in(environment, **_kwargs):
    for username in PLAN["accounts"]:
        cookies[username] = log_in(environment.host, username)


@events.request.add_listener
def _count(response=None, **_kwargs):
    statuses[getattr(response, "status_code", 0)] += 1


@events.test_stop.add_listener
def _write_outcome(**_kwargs):
    SAVES.flush()
    path = os.environ.get("LOAD_OUTCOME")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({str(k): v for k, v in sorted(statuses.items())}, out)


class Staff(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    accounts = []

    def on_start(self):
        self.username = random.choice(self.accounts)
        self.plan = PLAN["accounts"][self.username]
        self.client.cookies.update(cookies[self.username])

    def open(self, journey):
        if random.random() < BAD_SHARE:
            return self.bad()
        url = random.choice(self.plan["pages"][journey])
        with self.client.get(url, name=journey, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")

    def bad(self):
        url = random.choice(self.plan["bad"])
        with self.client.get(url, name="bad request", catch_response=True) as answer:
            if answer.status_code in BAD_ANSWERS:
                answer.success()
            else:
                answer.failure(f"{answer.status_code}")


class Facilitator(Staff):
    weight = 3
    accounts = [name for name, a in PLAN["accounts"].items() if a["role"] == "facilitator"]

    @task(3)
    def home(self):
        self.open("home")

    @task(2)
    def week(self):
        self.open("week")

    @task(2)
    def group_page(self):
        self.open("group_page")

    @task(2)
    def man_page(self):
        self.open("man_page")

    @task(3)
    def record(self):
        session = random.choice(self.plan["sessions"])
        with self.client.get(session["record"], name="record GET", catch_response=True) as page:
            if page.status_code != 200:
                return page.failure(f"{page.status_code}")
        if random.random() < BAD_SHARE:
            return self.invalid_save(session, page)
        absent = random.choice(session["men"]) if session["men"] else None
        data = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "version": VERSION.search(page.text).group(1),
            "notes": "",
            "facilitators": session["facilitators"],
            "topics": session["topics"],
        }
        for man in session["men"]:  # as the browser sends it: every radio group answered
            data[f"m{man}-status"] = "unexcused" if man == absent else "present"
            data[f"m{man}-violence"] = "no"
        with self.save(session, data, "record POST") as answer:
            if answer.status_code == 302:
                SAVES.write(
                    json.dumps(
                        {
                            "session": session["id"],
                            "men": session["men"],
                            "absent": absent,
                            "at": time.time(),
                        }
                    )
                    + "\n"
                )
            elif answer.status_code == 409:
                # Someone saved first: the merge page, nothing stored. Not a lost save.
                answer.success()
            else:
                answer.failure(f"{answer.status_code}")

    def save(self, session, data, name):
        """POST the record form as the browser does (its Referer; the redirect not followed)."""
        return self.client.post(
            session["record"],
            data=data,
            headers={"Referer": self.host + session["record"]},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    def invalid_save(self, session, page):
        data = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "version": "not a number",
            **{f"m{man}-status": "<b>nonsense</b>" for man in session["men"]},
        }
        with self.save(session, data, "bad request") as answer:
            if answer.status_code in BAD_ANSWERS - {302}:
                answer.success()
            else:
                answer.failure(f"{answer.status_code}")


class Coordinator(Staff):
    weight = 2
    accounts = [name for name, a in PLAN["accounts"].items() if a["role"] == "coordinator"]

    @task(2)
    def home(self):
        self.open("home")

    @task(3)
    def man_page(self):
        self.open("man_page")

    @task(2)
    def participant_list(self):
        self.open("participant_list")

    @task(2)
    def at_risk_list(self):
        self.open("at_risk_list")

    @task(1)
    def dashboard(self):
        self.open("dashboard")


class Bare(Staff):
    """One user on the bare page (base.html only): what any page costs under this load."""

    weight = 0
    fixed_count = 1
    accounts = ["facilitator"]

    @task
    def bare(self):
        self.client.get(PLAN["bare"], name="bare page")
