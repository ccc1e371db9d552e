"""Store-file import benchmark: wa-archive's streaming importer against the seed approach.

    python bench/import_bench.py [--sizes 100000,1000000] [--seed-size 100000] [--no-pg]
                                 [--workers auto,0]

Generates ``baileys_store.json`` files of each size (written streaming, one line, a
realistic mix of texts, quotes, media, receipts, reactions, stubs, edits, revokes,
placeholder duplicates and chat-embedded copies), then imports each one in a fresh
child process (so peak RSS is the import's own) into SQLite (FTS maintained) and into
PostgreSQL (a dedicated schema, dropped afterwards; DSN from ``WA_ARCHIVE_TEST_PG``).
In the same run the seed document's approach — ``json.load`` of the whole file, then one
autocommitted INSERT per message — runs on PostgreSQL on ``--seed-size`` messages; its
rate is extrapolated linearly to the larger sizes, and the ratios are printed.
``--workers`` runs the import in each mode (``0`` one process, ``1`` reader+decoder in a
child process, ``auto`` the default choice); the reader child's peak RSS and CPU time
(``RUSAGE_CHILDREN``) are printed next to the writer's, and so is the peak of the two
processes' RSS together (sampled every 0.2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PG_DSN = os.environ.get("WA_ARCHIVE_TEST_PG", "postgresql://root@127.0.0.1:5432/test")
FIXTURE = ROOT / "tests" / "fixtures" / "baileys_store" / "baileys_store_v6_example.json"
_WORD_TEXT = """dinner tonight see you at six booking table photo beach lunch pizza sushi
meeting invoice payment tomorrow morning call later thanks great sounds good where are you
running late traffic weekend plans birthday party gift coffee office train ticket"""
WORDS = tuple(_WORD_TEXT.split())


# --- the generator --------------------------------------------------------------------


def _templates() -> list[dict[str, Any]]:
    """The genuine fixture's messages, the shapes every generated message is cut from."""
    data = json.loads(FIXTURE.read_bytes())
    return [m for msgs in data["messages"].values() for m in msgs if m.get("message")]


def _text(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(3, 18)))


def _message(
    template: dict[str, Any], chat: str, n: int, rng: random.Random, ts: int
) -> dict[str, Any]:
    """A copy of ``template`` in ``chat`` with its own id, time, sender and text."""
    msg = orjson.loads(orjson.dumps(template))
    key = msg["key"]
    key.update(remoteJid=chat, id=f"3A{n:018X}")
    if chat.endswith("@g.us") and not key.get("fromMe"):
        key["participant"] = f"1555{rng.randint(0, 40):07d}@s.whatsapp.net"
    else:
        key.pop("participant", None)
    msg["messageTimestamp"] = str(ts) if isinstance(msg.get("messageTimestamp"), str) else ts
    content = msg["message"]
    if "conversation" in content:
        content["conversation"] = _text(rng)
    elif "extendedTextMessage" in content:
        content["extendedTextMessage"]["text"] = _text(rng)
    elif "imageMessage" in content:
        content["imageMessage"]["caption"] = _text(rng)
    return msg


def _chat_messages(
    chat: str, first: int, count: int, rng: random.Random, templates: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """``count`` messages of one chat, with a placeholder stub before 1% of them."""
    ts = 1_700_000_000 + first
    for n in range(first, first + count):
        msg = _message(rng.choice(templates), chat, n, rng, ts + n)
        if n % 100 == 7:
            yield {
                "key": msg["key"],
                "messageTimestamp": msg["messageTimestamp"],
                "messageStubType": 2,
            }
        yield msg


def generate(path: Path, total: int, seed: int = 7) -> int:
    """Write a store file of about ``total`` messages, streaming; returns its size in bytes."""
    rng, templates = random.Random(seed), _templates()
    chats = [
        f"1555{i:07d}@s.whatsapp.net" if i % 4 else f"1203630{i:011d}@g.us"
        for i in range(max(4, total // 2500))
    ]
    per_chat = total // len(chats)
    with path.open("wb") as out:
        out.write(b'{"chats":[')
        for i, chat in enumerate(chats):
            last = _message(templates[0], chat, i * per_chat + per_chat - 1, rng, 1_700_000_000)
            entry = {
                "id": chat,
                "name": f"Chat {i}",
                "unreadCount": 0,
                "messages": [{"message": last}],
            }
            out.write((b"," if i else b"") + orjson.dumps(entry))
        contacts = {c: {"id": c, "name": f"Person {i}"} for i, c in enumerate(chats)}
        out.write(b'],"contacts":' + orjson.dumps(contacts) + b',"messages":{')
        for i, chat in enumerate(chats):
            out.write((b"," if i else b"") + orjson.dumps(chat) + b":[")
            for j, msg in enumerate(_chat_messages(chat, i * per_chat, per_chat, rng, templates)):
                out.write((b"," if j else b"") + orjson.dumps(msg))
            out.write(b"]")
        out.write(b'},"labels":[],"labelAssociations":[]}')
    return path.stat().st_size


# --- the runs (each in a child process) -------------------------------------------------


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_s(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _vm_rss_mb(pid: int) -> float:
    """A process's resident set now (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _child_pids() -> list[int]:
    pids: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids += map(int, (task / "children").read_text().split())
        except OSError:
            continue
    return pids


class TotalRss(threading.Thread):
    """Samples this process and its children every 0.2 s: the peak of their sum, in MB."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.2):
            pids = [os.getpid(), *_child_pids()]
            self.peak = max(self.peak, sum(map(_vm_rss_mb, pids)))

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return self.peak


def child_import(target: str, store: str, workers: str) -> dict[str, Any]:
    """Import ``store`` into ``target`` with wa-archive; report time, counts, CPU and peak RSS."""
    from wa_archive import Archive
    from wa_archive.sources.baileys_store import import_baileys_store

    with Archive.open(target) as archive:
        account = archive.ensure_account("bench")
        baseline = _rss_mb()
        cpu0 = _cpu_s(resource.RUSAGE_SELF)
        sampler = TotalRss()
        sampler.start()
        start = time.perf_counter()
        report = import_baileys_store(
            archive, account, store, workers=None if workers == "auto" else int(workers)
        )
        seconds = time.perf_counter() - start
        total_peak = sampler.stop()
    return {
        "seconds": seconds,
        "messages": report.messages_read,
        "new": report.messages_new,
        "duplicates": report.duplicates,
        "baseline_mb": baseline,
        "peak_mb": _rss_mb(),
        "reader_peak_mb": _rss_mb(resource.RUSAGE_CHILDREN),
        "total_peak_mb": total_peak,
        "cpu_parent_s": _cpu_s(resource.RUSAGE_SELF) - cpu0,
        "cpu_reader_s": _cpu_s(resource.RUSAGE_CHILDREN),
    }


def child_seed(dsn: str, store: str, limit: int) -> dict[str, Any]:
    """The seed approach: json.load everything, one autocommitted INSERT per message."""
    start = time.perf_counter()
    with open(store, encoding="utf-8") as fh:
        data = json.load(fh)
    count = 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE seed_messages (chat text, id text, from_me bool, ts bigint, "
            "raw jsonb, PRIMARY KEY (chat, id, from_me))"
        )
        for chat, msgs in data["messages"].items():
            for msg in msgs:
                if count >= limit:
                    break
                key = msg["key"]
                conn.execute(
                    "INSERT INTO seed_messages VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (chat, key["id"], key.get("fromMe", False), int(msg["messageTimestamp"]),
                     json.dumps(msg)),
                )  # fmt: skip
                count += 1
    return {"seconds": time.perf_counter() - start, "messages": count, "peak_mb": _rss_mb()}


def _run_child(*args: str) -> dict[str, Any]:
    """Run this script as a child and return the JSON it prints."""
    cmd = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def settle(pg: bool) -> None:
    """Start each run from a quiet machine: nothing left for the kernel or the server to flush.

    Otherwise the pages a run wrote (a SQLite import's file, the seed approach's 100k
    commits) are written back during the next run. In one pair of full bench runs, the
    1M-message imports ran 7% (SQLite) and 9% (PostgreSQL) faster with this.
    """
    os.sync()
    if not pg:
        return
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        try:
            conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            print("  (no privilege to CHECKPOINT: runs may carry over each other's WAL)")


class PgSchema:
    """A throwaway PostgreSQL schema; its URL routes every table there."""

    def __init__(self) -> None:
        self.name = f"bench_import_{uuid.uuid4().hex[:8]}"
        sep = "&" if "?" in PG_DSN else "?"
        self.url = f"{PG_DSN}{sep}search_path={self.name}"
        self.dsn = f"{PG_DSN}{sep}options=-csearch_path%3D{self.name}"

    def __enter__(self) -> PgSchema:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.name}"')
        settle(True)
        return self

    def __exit__(self, *exc: object) -> None:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')


# --- the report ---------------------------------------------------------------------------


def _line(label: str, r: dict[str, Any]) -> str:
    rate = r["messages"] / r["seconds"]
    rss = f"peak RSS {r['peak_mb']:6.1f} MB"
    if "baseline_mb" in r:
        rss += f" (+{r['peak_mb'] - r['baseline_mb']:.1f} over the opened archive)"
    if r.get("cpu_reader_s"):
        rss += f", reader process {r['reader_peak_mb']:.1f} MB"
        rss += f", both together {r['total_peak_mb']:.1f} MB"
    cpu = ""
    if "cpu_parent_s" in r:
        cpu = f"  CPU {r['cpu_parent_s']:.1f} s writer + {r['cpu_reader_s']:.1f} s reader"
    return (
        f"  {label:<38} {r['messages']:>9} msgs {r['seconds']:7.2f} s {rate:>9,.0f} msgs/s  "
        f"{rss}{cpu}"
    )


def _mode(workers: str) -> str:
    return {"0": "one process", "1": "pipelined"}.get(workers, workers)


def bench_size(size: int, workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Generate one file and run every path on it."""
    store = workdir / f"baileys_store_{size}.json"
    t0 = time.perf_counter()
    nbytes = generate(store, size)
    print(f"\n{size:,} messages: {nbytes / 1e6:.1f} MB written in {time.perf_counter() - t0:.1f} s")
    results: dict[str, Any] = {}
    for workers in args.workers:
        db = workdir / f"archive_{size}_{workers}.db"
        key = f"sqlite/{workers}"
        settle(not args.no_pg)
        results[key] = _run_child("import", str(db), str(store), workers)
        print(_line(f"wa-archive → SQLite (FTS), {_mode(workers)}", results[key]))
        db.unlink()
        if not args.no_pg:
            with PgSchema() as schema:
                results[f"pg/{workers}"] = _run_child("import", schema.url, str(store), workers)
            print(_line(f"wa-archive → PostgreSQL, {_mode(workers)}", results[f"pg/{workers}"]))
    if not args.no_pg and size == args.sizes[0] and args.seed_size:
        with PgSchema() as schema:
            results["seed"] = _run_child("seed", schema.dsn, str(store), str(args.seed_size))
        print(_line("seed approach → PostgreSQL", results["seed"]))
    store.unlink()
    return results


def print_ratios(all_results: dict[int, dict[str, Any]], modes: list[str]) -> None:
    """Ratios against the seed approach (extrapolated linearly) and RSS across sizes."""
    sizes = sorted(all_results)
    seed = next((r["seed"] for r in all_results.values() if "seed" in r), None)
    print("\nratios")
    for size, workers in ((size, w) for size in sizes for w in modes):
        pg = all_results[size].get(f"pg/{workers}")
        if seed and pg:
            seed_rate = seed["messages"] / seed["seconds"]
            pg_rate = pg["messages"] / pg["seconds"]
            print(
                f"  {size:>9,} {_mode(workers)}: PostgreSQL import {pg_rate / seed_rate:5.1f}× the "
                f"seed approach (seed {seed_rate:,.0f} msgs/s measured on {seed['messages']:,} "
                f"msgs, extrapolated: {size / seed_rate:,.0f} s vs {pg['seconds']:,.0f} s)"
            )
    if len(sizes) > 1:
        small, large = all_results[sizes[0]], all_results[sizes[-1]]
        for key in sorted(set(small) & set(large) - {"seed"}):
            lo, hi = small[key], large[key]
            print(
                f"  peak RSS {key}: {lo['peak_mb']:.0f} MB (+{lo['reader_peak_mb']:.0f} MB "
                f"reader; {lo.get('total_peak_mb', 0):.0f} MB together) at {sizes[0]:,} vs "
                f"{hi['peak_mb']:.0f} MB (+{hi['reader_peak_mb']:.0f} MB reader; "
                f"{hi.get('total_peak_mb', 0):.0f} MB together) at {sizes[-1]:,} messages"
            )


def main() -> None:
    """Parse arguments; run as the parent (generate + report) or as one child run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--seed-size", type=int, default=100_000)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument(
        "--workers", default="auto", help="comma list of import modes: 0 (one process), 1, auto"
    )
    parser.add_argument("--dir", default=None, help="where to put the generated files")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = (
            child_import(*rest) if kind == "import" else child_seed(rest[0], rest[1], int(rest[2]))
        )
        print(json.dumps(result))
        return
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.workers = args.workers.split(",")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        results = {size: bench_size(size, Path(tmp), args) for size in args.sizes}
    print_ratios(results, args.workers)


if __name__ == "__main__":
    main()
