"""Dashboard benchmark: N synthetic contacts, the rollup refresh, the dashboard API's p50/p95 on
SQLite and PostgreSQL beside a DuckDB scan of the same rows, and the scrutiny report build time.

    .venv/bin/python bench/dashboard/run.py --contacts 10000000 --databases sqlite,postgres \
        --output bench/dashboard/results.md

Each database runs in its own process with its own throwaway database (SQLite: a file under
--workdir; PostgreSQL: database `safehub_bench_dashboard` on --postgres, dropped afterwards).
Contacts are generated inside the database (a recursive CTE on SQLite, generate_series on
PostgreSQL): synthetic only, no person attached, over the last 5 years, weighted by category and
district like the demo. Timings are wall clock on whatever else the machine is doing: the
results file records the machine's load average before and after.
"""

# ruff: noqa: S603, S607, S608, E501 - a benchmark: it runs psql and itself, and builds its generator SQL from constants

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CATEGORIES = [
    ("crime", 34),
    ("asb", 16),
    ("domestic", 14),
    ("concern_for_welfare", 12),
    ("public_safety", 11),
    ("mental_health", 8),
    ("missing", 5),
]
DISTRICTS = [("leeds", 34), ("bradford", 25), ("kirklees", 15), ("wakefield", 15), ("calderdale", 11)]
ENDPOINTS = [
    "/api/v1/metrics/contacts.demand/?by=month",
    "/api/v1/metrics/contacts.demand/?by=district",
    "/api/v1/metrics/contacts.demand/?by=category",
    "/api/v1/metrics/contacts.demand/?by=month&district=leeds",
    "/api/v1/metrics/",
]
PG_DB = "safehub_bench_dashboard"


def _case(column_expr: str, weighted: list[tuple[str, int]], values: dict[str, str]) -> str:
    parts, edge = [], 0
    for key, weight in weighted[:-1]:
        edge += weight
        parts.append(f"WHEN {column_expr} < {edge} THEN '{values[key]}'")
    return "CASE " + " ".join(parts) + f" ELSE '{values[weighted[-1][0]]}' END"


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * p95, 1),
        "n": len(ordered),
    }


def _timed(fn, repeats: int, warmup: int = 2) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def one(database: str, contacts: int, repeats: int, progress) -> dict:
    """Runs inside the child process, with DATABASE_URL already pointing at an empty database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from safehub.analytics import rollups
    from safehub.contacts.models import Contact
    from safehub.core import demo as core_demo
    from safehub.core.models import Agency, District, User

    result: dict = {"database": database, "contacts": contacts}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    core_demo.load(size="small", progress=lambda *a: None)
    result["migrate_s"] = round(time.perf_counter() - started, 1)

    district_ids = {
        d.code: str(d.pk) if connection.vendor == "postgresql" else d.pk.hex for d in District.objects.all()
    }
    police = Agency.objects.get(code=core_demo.POLICE)
    officer = User.objects.get(username="officer")
    agency_id = str(police.pk) if connection.vendor == "postgresql" else police.pk.hex
    user_id = str(officer.pk) if connection.vendor == "postgresql" else officer.pk.hex
    end = datetime.now(tz=UTC).replace(microsecond=0)
    start = end - timedelta(days=5 * 365)
    span = int((end - start).total_seconds())
    category_sql = _case("c", CATEGORIES, {k: k for k, _ in CATEGORIES})
    district_sql = _case("d", DISTRICTS, district_ids)

    started = time.perf_counter()
    batch = 1_000_000
    done = 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # a 1 GB page cache for the bulk load (recorded in the results)
            cursor.execute("PRAGMA cache_size=-1000000")
        while done < contacts:
            size = min(batch, contacts - done)
            if connection.vendor == "sqlite":
                cursor.execute(
                    "WITH RECURSIVE seq(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM seq WHERE x < %s), "
                    "r AS (SELECT abs(random()) %% 100 AS c, abs(random()) %% 100 AS d, abs(random()) %% %s AS s FROM seq) "
                    "INSERT INTO contacts_contact (id, created_at, updated_at, received_at, channel, category, "
                    "location_text, postcode, lsoa_code, narrative, serious_harm, rcrp_outcome, district_id, "
                    "owning_agency_id, recorded_by_id) "
                    f"SELECT lower(hex(randomblob(16))), %s, %s, datetime(%s, '+' || s || ' seconds'), 'phone', "
                    f"{category_sql}, '', '', '', 'Synthetic benchmark contact', 0, '', {district_sql}, %s, %s FROM r",
                    [
                        size - 1,
                        span,
                        end.strftime("%Y-%m-%d %H:%M:%S"),
                        end.strftime("%Y-%m-%d %H:%M:%S"),
                        start.strftime("%Y-%m-%d %H:%M:%S"),
                        agency_id,
                        user_id,
                    ],
                )
            else:
                cursor.execute(
                    "INSERT INTO contacts_contact (id, created_at, updated_at, received_at, channel, category, "
                    "location_text, postcode, lsoa_code, narrative, serious_harm, rcrp_outcome, district_id, "
                    "owning_agency_id, recorded_by_id) "
                    f"SELECT gen_random_uuid(), now(), now(), %s::timestamptz + (floor(random() * %s) || ' seconds')::interval, "
                    f"'phone', {category_sql}, '', '', '', 'Synthetic benchmark contact', false, '', "
                    f"({district_sql})::uuid, %s::uuid, %s::uuid "
                    "FROM (SELECT floor(random() * 100) AS c, floor(random() * 100) AS d FROM generate_series(1, %s)) r",
                    [start, span, agency_id, user_id, size],
                )
            done += size
            progress(f"{database}: {done:,} contacts")
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE contacts_contact")
        else:
            cursor.execute("ANALYZE")
    result["generate_s"] = round(time.perf_counter() - started, 1)
    result["contacts_in_db"] = Contact.objects.count()

    started = time.perf_counter()
    rollups.refresh(months=60)
    result["refresh_full_60_months_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    rollups.refresh(months=2)
    result["refresh_nightly_2_months_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    rollups.snapshot()
    result["snapshot_s"] = round(time.perf_counter() - started, 1)
    progress(f"{database}: rollups done")

    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    result["api"] = {}
    for url in ENDPOINTS:

        def call(url=url):
            response = client.get(url, HTTP_HOST="localhost")
            assert response.status_code == 200, (url, response.status_code)

        result["api"][url] = _timed(call, repeats)
    result["dashboard_page"] = _timed(
        lambda: client.get("/analytics/?series=contacts.demand", HTTP_HOST="localhost"), max(5, repeats // 3)
    )

    # What the rollup saves: the same figures straight from the contacts table through the measure.
    from safehub.contacts import measures

    twelve = rollups.month_window(end.date().replace(day=1))[0] - timedelta(days=365)
    result["raw_measure_contacts_by_district_12_months"] = _timed(
        lambda: measures.contacts_by_district(twelve, twelve + timedelta(days=365)),
        max(3, repeats // 10),
        warmup=1,
    )

    # DuckDB: the same rows, copied out of the database first (copy time reported, not counted).
    import duckdb
    import pyarrow as pa

    started = time.perf_counter()
    columns: dict[str, list] = {"received_at": [], "district": [], "category": []}
    names = {v: k for k, v in district_ids.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT received_at, district_id, category FROM contacts_contact")
        while rows := cursor.fetchmany(200_000):
            for received, district, category in rows:
                columns["received_at"].append(
                    received if isinstance(received, datetime) else datetime.fromisoformat(str(received))
                )
                columns["district"].append(
                    names.get(
                        str(district).replace("-", "") if connection.vendor == "sqlite" else str(district),
                        str(district),
                    )
                )
                columns["category"].append(category)
    table = pa.table(columns)
    del columns
    duck = duckdb.connect()
    duck.register("contacts", table)
    result["duckdb_copy_s"] = round(time.perf_counter() - started, 1)
    since = (end - timedelta(days=365)).replace(tzinfo=None)
    queries = {
        "by_month": "SELECT date_trunc('month', received_at) m, count(*) FROM contacts WHERE received_at >= ? GROUP BY m",
        "by_district": "SELECT district, count(*) FROM contacts WHERE received_at >= ? GROUP BY district",
        "by_category": "SELECT category, count(*) FROM contacts WHERE received_at >= ? GROUP BY category",
    }
    result["duckdb_scan"] = {
        name: _timed(lambda sql=sql: duck.execute(sql, [since]).fetchall(), max(5, repeats // 3))
        for name, sql in queries.items()
    }
    progress(f"{database}: duckdb done")

    from safehub.reports import builder, render

    started = time.perf_counter()
    report = builder.build(builder.default_period())
    pdf = render.to_pdf(report)
    result["scrutiny_pdf_s"] = round(time.perf_counter() - started, 1)
    result["scrutiny_pdf_bytes"] = len(pdf)
    return result


def _child(database: str, args) -> dict:
    env = dict(os.environ, SAFEHUB_ENV="test", DJANGO_SETTINGS_MODULE="safehub.settings")
    workdir = Path(args.workdir)
    if database == "sqlite":
        path = workdir / "bench-dashboard.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        subprocess.run(["psql", args.postgres, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run(["psql", args.postgres, "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
        env["DATABASE_URL"] = args.postgres.rsplit("/", 1)[0] + f"/{PG_DB}"
    env["SAFEHUB_VAR_DIR"] = str(workdir)
    command = [
        sys.executable,
        __file__,
        "--child",
        database,
        "--contacts",
        str(args.contacts),
        "--repeats",
        str(args.repeats),
    ]
    try:
        completed = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False)
        sys.stderr.write(completed.stderr[-4000:])
        if completed.returncode:
            return {"database": database, "error": completed.stderr[-2000:]}
        return json.loads(completed.stdout.strip().splitlines()[-1])
    finally:
        if database == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(env["DATABASE_URL"][len("sqlite:///") :]) + suffix).unlink(missing_ok=True)
        else:
            subprocess.run(["psql", args.postgres, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=False)


def _markdown(results: list[dict], args, load_before, load_after, command: str) -> str:
    lines = [
        "# Dashboard benchmark",
        "",
        f"Command: `{command}`",
        f"Run: {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC; contacts: {args.contacts:,}; repeats per endpoint: {args.repeats}.",
        f"Load average before / after: {load_before} / {load_after} (2 cores shared with other work).",
        "",
        "Targets: dashboard API p95 <= 250 ms at 10 M contacts on PostgreSQL and no slower than a DuckDB scan "
        "of the same rows; scrutiny PDF <= 20 s.",
        "",
    ]
    for r in results:
        lines += [f"## {r['database']}", ""]
        if "error" in r:
            lines += ["Failed:", "", "```", r["error"], "```", ""]
            continue
        lines += [
            f"- contacts in the database: {r['contacts_in_db']:,} (generated in {r['generate_s']} s; migrate {r['migrate_s']} s)",
            f"- rollup refresh, 60 months (first build): {r['refresh_full_60_months_s']} s; nightly, 2 months: "
            f"{r['refresh_nightly_2_months_s']} s; measure snapshots: {r['snapshot_s']} s",
            f"- scrutiny report PDF: {r['scrutiny_pdf_s']} s ({r['scrutiny_pdf_bytes']:,} bytes)",
            f"- DuckDB copy of the rows out of the database (not counted below): {r['duckdb_copy_s']} s",
            "",
            "| request | p50 ms | p95 ms | n |",
            "|---|---|---|---|",
        ]
        for url, t in r["api"].items():
            lines.append(f"| GET {url} | {t['p50_ms']} | {t['p95_ms']} | {t['n']} |")
        t = r["dashboard_page"]
        lines.append(
            f"| GET /analytics/?series=contacts.demand (whole page) | {t['p50_ms']} | {t['p95_ms']} | {t['n']} |"
        )
        t = r["raw_measure_contacts_by_district_12_months"]
        lines.append(
            f"| contacts measure straight from the table, 12 months by district (no rollup) | {t['p50_ms']} | {t['p95_ms']} | {t['n']} |"
        )
        for name, t in r["duckdb_scan"].items():
            lines.append(
                f"| DuckDB scan of the same rows, 12 months {name} | {t['p50_ms']} | {t['p95_ms']} | {t['n']} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    parser.add_argument("--output", default=str(Path(__file__).with_name("results.md")))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.child:
        result = one(args.child, args.contacts, args.repeats, lambda m: print(m, file=sys.stderr, flush=True))
        print(json.dumps(result))
        return
    command = "python bench/dashboard/run.py " + " ".join(sys.argv[1:])
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results: list[dict] = []
    json_path = Path(args.output).with_suffix(".json")
    for database in [db.strip() for db in args.databases.split(",") if db.strip()]:
        results.append(_child(database, args))
        # Written after each database, so a run stopped part way keeps what it measured.
        load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
        Path(args.output).write_text(_markdown(results, args, load_before, load_after, command))
        json_path.write_text(json.dumps(results, indent=2, default=str))
    print(f"Wrote {args.output} and {json_path}")


if __name__ == "__main__":
    main()
