"""50 MASH practitioners working the queue and person pages (see bench/load/run).

Each simulated user takes a session signed in through the sign-in page by run.py before the run
(SAFEHUB_LOAD_SESSIONS: sign-in is timed there, one at a time, as people arrive over a morning, not
50 at once in the first seconds); without that file it signs in here. Then, in a loop, it:
opens the MASH queue, a referral from it, the person page of someone in Leeds, and now and then
the person search. Think time 1 to 3 seconds, like a person reading a page. Ids come from the
file named by SAFEHUB_LOAD_IDS (written by run.py from the loaded world).
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

IDS = json.loads(open(os.environ["SAFEHUB_LOAD_IDS"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = os.environ["SAFEHUB_DEMO_PASSWORD"]
SESSIONS_FILE = os.environ.get("SAFEHUB_LOAD_SESSIONS")
SESSIONS: list[str] = json.loads(open(SESSIONS_FILE, encoding="utf-8").read()) if SESSIONS_FILE else []  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class MashPractitioner(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        if SESSIONS:
            self.client.cookies.set("sessionid", SESSIONS.pop())
            return
        page = self.client.get("/sign-in/", name="/sign-in/")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/sign-in/",
            data={
                "username": random.choice(IDS["usernames"]),
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/sign-in/"},
            name="/sign-in/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    @task(4)
    def queue(self) -> None:
        self.client.get("/referrals/", name="/referrals/ (MASH queue)")

    @task(4)
    def referral(self) -> None:
        self.client.get(f"/referrals/{random.choice(IDS['referrals'])}/", name="/referrals/[id]/")

    @task(5)
    def person(self) -> None:
        self.client.get(f"/people/{random.choice(IDS['people'])}/", name="/people/[id]/")

    @task(1)
    def search(self) -> None:
        self.client.get("/people/", name="/people/ (search page)")
