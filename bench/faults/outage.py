"""A real PostgreSQL outage against gunicorn (see bench/faults/run).

Phases, each with requests every 0.2 s to `/readyz`, a person page (signed in, session) and the
person API (token): before (cluster up), during (cluster stopped with `pg_ctlcluster ... stop -m
fast`), after (cluster started again; the same gunicorn processes, not restarted). Every response
is recorded; the results file counts statuses by phase and path, names any 500, and gives the time
from the cluster answering again to the first 200 from each path.
"""

# ruff: noqa: S603, S607, E501 - a fault drill: it runs pg_ctlcluster, psql and gunicorn; long Markdown lines

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench" / "fuzz"))

from benchinfo import commit, machine  # noqa: E402 - after the path

VERSION, CLUSTER, PORT = "15", "faults", 5433
DB = "safehub_faults"
WORK = REPO / "var" / "bench-faults"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def run(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), capture_output=True, text=True, check=check)


def cluster_exists() -> bool:
    return any(
        line.split()[:2] == [VERSION, CLUSTER] for line in run("pg_lsclusters", "--no-header").stdout.splitlines()
    )


def pg_ready() -> bool:
    return run("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PORT), check=False).returncode == 0


def cluster(action: str) -> None:
    argv = ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, action]
    if action == "stop":
        argv += ["-m", "fast"]
    run(*argv)


def psql(sql: str) -> str:
    return run("psql", "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", "-d", "postgres", "-tAc", sql).stdout.strip()


PREPARE = """
import os, sys, django
django.setup()
from django.core.management import call_command
from tests.security.worlds import load_world
call_command("migrate", interactive=False, verbosity=0)
failed = load_world("small", password=os.environ["SAFEHUB_DEMO_PASSWORD"])
from rest_framework.authtoken.models import Token
from safehub.core.models import User
from safehub.people.models import Person
mash = User.objects.get(username="mash")
person = Person.objects.visible_to(mash).order_by("pk").first()
token, _ = Token.objects.get_or_create(user=mash)
open(sys.argv[1], "w").write(f"{person.pk} {token.key} {failed or 'none'}")
"""


class Prober:
    """Requests every `interval` seconds to each path, recording (phase, path, status, ms)."""

    def __init__(self, base: str, password: str, person_id: str, token: str) -> None:
        self.base = base
        self.phase = "before"
        self.records: list[tuple[str, str, int, float, float]] = []
        self.stop = threading.Event()
        self.session = requests.Session()
        page = self.session.get(base + "/sign-in/", timeout=10)
        response = self.session.post(
            base + "/sign-in/",
            data={"username": "mash", "password": password, "csrfmiddlewaretoken": CSRF.search(page.text).group(1)},
            headers={"Referer": base + "/sign-in/"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, f"sign-in answered {response.status_code}"
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Token {token}"
        self.paths = {
            "/readyz": (requests.Session(), "/readyz"),
            "person page": (self.session, f"/people/{person_id}/"),
            "person API": (self.api, f"/api/v1/people/{person_id}/"),
        }
        self.samples: dict[tuple[str, int], str] = {}

    def loop(self, interval: float = 0.2) -> None:
        while not self.stop.is_set():
            for name, (session, path) in self.paths.items():
                started = time.monotonic()
                try:
                    response = session.get(self.base + path, timeout=10, allow_redirects=False)
                    status = response.status_code
                    if (name, status) not in self.samples:
                        self.samples[(name, status)] = response.text[:300]
                except requests.RequestException as exc:
                    status = 0
                    self.samples.setdefault((name, 0), type(exc).__name__)
                self.records.append((self.phase, name, status, (time.monotonic() - started) * 1000, time.monotonic()))
            time.sleep(interval)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--outage-seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--drop", action="store_true", help="drop the faults cluster afterwards")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if not cluster_exists():
        print(f"==> Creating PostgreSQL cluster {VERSION}/{CLUSTER} on port {PORT} (trust auth, loopback)", flush=True)
        run("pg_createcluster", VERSION, CLUSTER, "--port", str(PORT), "--", "--auth=trust")
    if not pg_ready():
        cluster("start")
        for _ in range(30):
            if pg_ready():
                break
            time.sleep(1)
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'") != "1":  # noqa: S608 - a constant
        psql(f'CREATE DATABASE "{DB}"')
    password = secrets.token_urlsafe(12)
    environment = {
        **os.environ,
        "SAFEHUB_ENV": "dev",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PORT}/{DB}",
        "DATABASE_CONN_MAX_AGE": "60",  # persistent connections: the broken ones must be noticed
        "SAFEHUB_VAR_DIR": str(WORK),
        "SAFEHUB_DEMO_PASSWORD": password,
        "DJANGO_SETTINGS_MODULE": "safehub.settings",
        "PYTHONPATH": str(REPO),
    }
    print("==> Migrating and loading the small demo world", flush=True)
    subprocess.run([sys.executable, "-c", PREPARE, str(WORK / "ids.txt")], cwd=REPO, env=environment, check=True)
    person_id, token, failed_apps = (WORK / "ids.txt").read_text().split(" ", 2)
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "safehub.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
         "--workers", "2", "--threads", "4", "--worker-class", "gthread", "--error-logfile", str(WORK / "gunicorn.log")],
        cwd=REPO,
        env=environment,
    )
    timeline: list[str] = []
    started_at = datetime.now(UTC)
    try:
        for _ in range(60):
            try:
                if requests.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        pids_before = run("pgrep", "-P", str(gunicorn.pid), check=False).stdout.split()
        prober = Prober(base, password, person_id, token)
        thread = threading.Thread(target=prober.loop, daemon=True)
        thread.start()
        time.sleep(5)
        prober.phase = "during"
        stop_at = time.monotonic()
        cluster("stop")
        timeline.append(f"{datetime.now(UTC):%H:%M:%S} cluster stopped (`pg_ctlcluster {VERSION} {CLUSTER} stop -m fast`)")
        time.sleep(args.outage_seconds)
        cluster("start")
        while not pg_ready():
            time.sleep(0.1)
        up_at = time.monotonic()
        timeline.append(f"{datetime.now(UTC):%H:%M:%S} cluster started and answering, after {up_at - stop_at:.1f} s down")
        prober.phase = "after"
        time.sleep(10)
        prober.stop.set()
        thread.join(timeout=15)
        pids_after = run("pgrep", "-P", str(gunicorn.pid), check=False).stdout.split()
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        if args.drop:
            run("pg_dropcluster", "--stop", VERSION, CLUSTER, check=False)
        else:
            cluster("stop")

    counts: Counter = Counter((phase, name, status) for phase, name, status, _, _ in prober.records)
    recovery = {}
    for name in prober.paths:
        first_ok = next((t for phase, n, status, _, t in prober.records if phase == "after" and n == name and status == 200), None)
        recovery[name] = f"{first_ok - up_at:.1f} s" if first_ok is not None else "never (within 10 s)"
    server_errors = [(p, n, s) for (p, n, s) in counts if s >= 500 and s != 503]
    # During: 200 until the stop takes effect (the first probes), then 503 only; never a 500 or no answer.
    during_ok = all(s in (200, 503) for (p, n, s) in counts if p == "during") and all(
        any(p == "during" and n == name and s == 503 for (p, n, s) in counts) for name in prober.paths
    )
    lines = [
        "# PostgreSQL outage drill: latest run",
        "",
        f"- Date: {started_at:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Commit: {commit()}",
        f"- Command: `bench/faults/run` (cluster {VERSION}/{CLUSTER} on 127.0.0.1:{PORT}, separate from the main one; "
        f"gunicorn 2 workers x 4 threads on 127.0.0.1:{args.port}; persistent database connections, 60 s; small demo world, "
        f"apps that failed to load: {failed_apps.strip()})",
        "- Probes every 0.2 s: `/readyz`, a person page signed in as `mash` (session), `GET /api/v1/people/{id}/` (token)",
        "",
        "## Timeline",
        "",
        *[f"- {line}" for line in timeline],
        f"- gunicorn worker pids before {pids_before}, after {pids_after}: "
        + ("the same processes (no restart)" if pids_before == pids_after else "CHANGED (a worker restarted)"),
        "",
        "## Responses by phase",
        "",
        "| phase | path | status | count |",
        "|---|---|---|---|",
    ]
    for (phase, name, status), count in sorted(counts.items(), key=lambda kv: (["before", "during", "after"].index(kv[0][0]), kv[0][1], kv[0][2])):
        lines.append(f"| {phase} | {name} | {status or 'no answer'} | {count} |")
    lines += ["", "## Recovery (from the cluster answering to the first 200)", ""]
    lines += [f"- {name}: {value}" for name, value in recovery.items()]
    lines += ["", "## What the outage looked like (first response of each kind)", ""]
    for (name, status), body in sorted(prober.samples.items()):
        if status != 200:
            snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()[:200]
            lines.append(f"- {name} {status}: `{snippet}`")
    verdict = (
        "PASS: every request during the outage was a clear 503 (no 500, no hang), and every path answered 200 again without a restart"
        if during_ok and not server_errors and all("never" not in v for v in recovery.values()) and pids_before == pids_after
        else "FAIL: "
        + "; ".join(f"{n} answered {s} {counts[(p, n, s)]} times {p} the outage" for (p, n, s) in server_errors)
        + (" (see the table)" if server_errors else "see the table")
    )
    lines += ["", f"**{verdict}.**"]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if verdict.startswith("PASS") else 1


if __name__ == "__main__":
    sys.exit(main())
