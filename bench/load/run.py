"""The load test behind `bench/load/run`: prepare PostgreSQL, serve with gunicorn, drive it with locust.

Only loopback traffic; bounded in time (the locust run is --seconds long; gunicorn is stopped
after it, by its own pid). The database `safehub_bench` is kept between runs (the demo loaders
are idempotent: a second run adds nothing); `--fresh` starts it again.
"""

# ruff: noqa: S603, S607, S608, E501 - a benchmark: it runs psql, gunicorn and locust; long Markdown lines

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench" / "fuzz"))

from benchinfo import commit, machine  # noqa: E402 - after the path

DB = "safehub_bench"  # --database to change (a trial run on the small world, say)
PG = "postgres://postgres@127.0.0.1:5432"
WORK = REPO / "var" / "bench-load"
TARGET_P95_MS = 300


def env() -> dict[str, str]:
    WORK.mkdir(parents=True, exist_ok=True)
    password_file = WORK / "demo-password.txt"
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        password_file.chmod(0o600)
    return {
        **os.environ,
        "SAFEHUB_ENV": "dev",
        "DATABASE_URL": f"{PG}/{DB}",
        "DATABASE_CONN_MAX_AGE": "60",
        "SAFEHUB_VAR_DIR": str(WORK),
        "SAFEHUB_DEMO_PASSWORD": password_file.read_text(encoding="utf-8").strip(),
        "DJANGO_SETTINGS_MODULE": "safehub.settings",
        "PYTHONPATH": str(REPO),
    }


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


PREPARE = """
import json, sys, time
import django
django.setup()
from django.core.management import call_command
from tests.security.worlds import load_world
started = time.monotonic()
call_command("migrate", interactive=False, verbosity=0)
failed = load_world(sys.argv[2], password=__import__("os").environ["SAFEHUB_DEMO_PASSWORD"], write=lambda l: print(l, flush=True))
from safehub.core.models import User
from safehub.people.models import Person
from safehub.referrals.models import Referral
mash = User.objects.get(username="mash")
ids = {
    "usernames": ["mash", "mashmanager"],
    "people": [str(pk) for pk in Person.objects.visible_to(mash).order_by("pk").values_list("pk", flat=True)[:1000]],
    "referrals": [str(pk) for pk in Referral.objects.visible_to(mash).order_by("pk").values_list("pk", flat=True)[:1000]],
    "failed_apps": failed,
    "counts": {"people": Person.objects.count(), "referrals": Referral.objects.count()},
    "prepare_seconds": round(time.monotonic() - started),
}
json.dump(ids, open(sys.argv[1], "w"))
print("prepared:", ids["counts"], "failed apps:", failed)
"""


def prepare(environment: dict[str, str], fresh: bool, size: str) -> dict:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'") == "1"
    if exists and fresh:
        psql(f'DROP DATABASE "{DB}"')
        exists = False
    if not exists:
        psql(f'CREATE DATABASE "{DB}"')
    ids_file = WORK / "ids.json"
    print(f"==> Loading the {size} demo world into {DB} (idempotent)", flush=True)
    subprocess.run(
        [sys.executable, "-c", PREPARE, str(ids_file), size], cwd=REPO, env=environment, check=True
    )
    return json.loads(ids_file.read_text(encoding="utf-8"))


def wait_ready(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not become ready at {url}")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in_all(url: str, usernames: list[str], users: int, password: str) -> tuple[list[str], list[float]]:
    """Sign each simulated user in through the sign-in page, one after another, as people arrive
    over the morning: the session cookies for the page journey, and each sign-in's time in ms.
    Sign-in (Argon2, deliberately slow) is measured here on its own, not queued with the pages."""
    sessions, timings = [], []
    for index in range(users):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        started = time.perf_counter()
        page = opener.open(url + "/sign-in/", timeout=30).read().decode()
        match = CSRF.search(page)
        if not match:
            raise SystemExit("the sign-in page has no CSRF token")
        body = urllib.parse.urlencode(
            {
                "username": usernames[index % len(usernames)],
                "password": password,
                "csrfmiddlewaretoken": match.group(1),
            }
        ).encode()
        request = urllib.request.Request(url + "/sign-in/", data=body, headers={"Referer": url + "/sign-in/"})  # noqa: S310 - loopback
        try:
            opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            if error.code != 302:
                raise SystemExit(f"sign-in answered {error.code}") from error
        timings.append((time.perf_counter() - started) * 1000)
        session = next((c.value for c in jar if c.name == "sessionid"), None)
        if session is None:
            raise SystemExit("sign-in set no session cookie")
        sessions.append(session)
    return sessions, timings


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201 - urllib's signature
        return None


def percentiles(stats_csv: Path) -> tuple[dict, list[dict]]:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return total, [r for r in rows if r["Name"] != "Aggregated"]


def main() -> int:
    global DB, WORK
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--size", default="full", choices=["small", "full"])
    parser.add_argument("--database", default=DB)
    args = parser.parse_args()
    DB = args.database
    WORK = WORK.parent / f"bench-load-{DB}" if DB != "safehub_bench" else WORK
    environment = env()
    ids = prepare(environment, args.fresh, args.size)
    if args.prepare_only:
        return 0
    environment["SAFEHUB_LOAD_IDS"] = str(WORK / "ids.json")
    url = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "safehub.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            # Longer than the users' longest think time (3 s): with gunicorn's default of 2 s, a
            # client can reuse a connection just as the server closes it (RemoteDisconnected).
            "--keep-alive",
            "5",
            "--access-logfile",
            "-",
            "--error-logfile",
            str(WORK / "gunicorn-errors.log"),
        ],
        cwd=REPO,
        env=environment,
        stdout=(WORK / "gunicorn-access.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    load_before = os.getloadavg()
    started_at = datetime.now(UTC)
    try:
        wait_ready(url)
        sessions, sign_ins = sign_in_all(
            url, ids["usernames"], args.users, environment["SAFEHUB_DEMO_PASSWORD"]
        )
        (WORK / "sessions.json").write_text(json.dumps(sessions), encoding="utf-8")
        environment["SAFEHUB_LOAD_SESSIONS"] = str(WORK / "sessions.json")
        load_before = os.getloadavg()
        started_at = datetime.now(UTC)
        prefix = WORK / "locust"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(REPO / "bench" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                url,
                "--csv",
                str(prefix),
                "--only-summary",
            ],
            cwd=REPO,
            env=environment,
            check=False,
            timeout=args.seconds + 120,
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    load_after = os.getloadavg()
    total, endpoints = percentiles(WORK / "locust_stats.csv")
    failures_csv = WORK / "locust_failures.csv"
    failure_rows = list(csv.DictReader(failures_csv.open(encoding="utf-8"))) if failures_csv.exists() else []
    errors = int(total["Failure Count"])
    p50, p95 = float(total["50%"]), float(total["95%"])
    met = p95 <= TARGET_P95_MS and errors == 0
    lines = [
        "# Load test: latest run",
        "",
        f"- Date: {started_at:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}; load average {load_before[0]:.2f} before the run, {load_after[0]:.2f} after (1-minute; the run's own load is in the second)",
        f"- Commit: {commit()}",
        f"- Command: `bench/load/run` ({args.users} users, spawn rate 10/s, {args.seconds} s; locust headless; think time 1-3 s)",
        f"- Server: gunicorn on 127.0.0.1:{args.port}, {args.workers} workers x {args.threads} threads (gthread), keep-alive 5 s, persistent database connections (60 s); "
        f"PostgreSQL {psql('SHOW server_version')} on 127.0.0.1:5432, database `{DB}`",
        f"- World: {args.size} demo ({ids['counts']['people']:,} people, {ids['counts']['referrals']:,} referrals; "
        f"demo apps that failed to load: {ids['failed_apps'] or 'none'})",
        f"- Sign-in: each user signed in through the sign-in page before the run, one after another (Argon2 password hashing): "
        f"p50 {statistics.median(sign_ins):.0f} ms, max {max(sign_ins):.0f} ms over {len(sign_ins)} sign-ins; not in the figures below",
        "- Journey (on those sessions): the MASH queue, a referral, a Leeds person's page (each read audited), the search page",
        "",
        f"**Requests: {int(total['Request Count']):,}; errors: {errors}; p50 {p50:.0f} ms; p95 {p95:.0f} ms; "
        f"{float(total['Requests/s']):.1f} requests/s. Target p95 <= {TARGET_P95_MS} ms and 0 errors: {'met' if met else 'NOT met'}.**",
        "",
        "| request | count | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in endpoints + [total]:
        lines.append(
            f"| {row['Type']} {row['Name']} | {int(row['Request Count']):,} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} |"
        )
    if failure_rows:
        lines += ["", "## Errors", ""]
        lines += [
            f"- {r['Method']} {r['Name']}: {r['Error']} ({r['Occurrences']} times)" for r in failure_rows
        ]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
