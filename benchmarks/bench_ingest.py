"""Ingesting a synthetic IATI registry: throughput on one and two workers, memory per worker.

    python benchmarks/bench_ingest.py --source DIR [--files 1000] [--rounds 3]

The registry is built once in a temporary folder from the real activity files in
*source* (every file whose root is ``iati-activities``): file *n* is a copy of one of
them, in turn, with every ``iati-identifier`` given the suffix ``-n``, until there are
``--files`` files. Then ``citycoop.io.ingest.ingest`` writes it to a fresh folder with
``workers=1`` and ``workers=2``, alternating over the rounds, their order rotating; the
median of the per-round speed-ups (one worker's time over two workers') is reported with
its range, and both datasets are checked equal byte for byte. Memory: the peak resident
set of the pool's worker processes (``RUSAGE_CHILDREN``) on the registry and on its
first half, each in a fresh interpreter. Targets: two workers at least 1.7x one; the
workers' peak the same for half the files as for all (flat in the file count). With
``--dask``, the same ingest on a local Dask cluster of two worker processes runs against
the pool of two, alternating, and its overhead is reported as the median ratio.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IDENTIFIER = re.compile(r"<iati-identifier>([^<]*)</iati-identifier>")


def build(source: Path, target: Path, files: int) -> int:
    """Write *files* files under *target*; the number of activities in them."""
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted(source.glob("*.xml"))
        if "<iati-activities" in p.read_text(encoding="utf-8")[:2000]
    ]
    activities = 0
    for number in range(files):
        text = texts[number % len(texts)]
        out = IDENTIFIER.sub(rf"<iati-identifier>\1-{number}</iati-identifier>", text)
        (target / f"file-{number:05d}.xml").write_text(out, encoding="utf-8")
        activities += out.count("<iati-activity ")
    return activities


def run(registry: Path, workers: int, client: object = None) -> tuple[float, Path]:
    from citycoop.io.ingest import ingest

    out = Path(tempfile.mkdtemp(prefix=f"ingest-{workers}-")) / "out"
    start = time.perf_counter()
    if client is None:
        report = ingest(registry, out, workers=workers)
    else:
        report = ingest(registry, out, client=client)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    assert not report.failed
    return seconds, out


def same_bytes(one: Path, two: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    return files(one) == files(two)


MEMORY = """
import json, resource, shutil, sys, tempfile
from pathlib import Path
from citycoop.io.ingest import ingest
out = Path(tempfile.mkdtemp()) / "out"
files = sorted(Path({registry!r}).glob("*.xml"))[: {count}]
ingest(files, out, workers=2)
shutil.rmtree(out.parent)
print(json.dumps(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
"""


def worker_peak(registry: Path, count: int) -> int:
    code = MEMORY.format(registry=str(registry), count=count)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return int(json.loads(result.stdout))


def against_dask(registry: Path, rounds: int) -> None:
    """Two workers of a local Dask cluster of processes against a pool of two processes."""
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        times: dict[str, list[float]] = {"pool": [], "dask": []}
        outputs: list[Path] = []
        for number in range(rounds):
            for name in ("pool", "dask") if number % 2 == 0 else ("dask", "pool"):
                took, out = run(registry, 2, client if name == "dask" else None)
                times[name].append(took)
                outputs.append(out)
        assert all(same_bytes(outputs[0], other) for other in outputs[1:])
        for out in outputs:
            shutil.rmtree(out.parent)
        ratios = [d / p for d, p in zip(times["dask"], times["pool"], strict=True)]
        print(
            f"Dask, 2 worker processes: {statistics.median(times['dask']):.2f} s against the"
            f" pool's {statistics.median(times['pool']):.2f} s: {statistics.median(ratios):.2f}x"
            f" (range {min(ratios):.2f}-{max(ratios):.2f}); every output equal byte for byte"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dask", action="store_true", help="also on a local Dask cluster")
    arguments = parser.parse_args()
    registry = Path(tempfile.mkdtemp(prefix="registry-"))
    try:
        activities = build(arguments.source, registry, arguments.files)
        size = sum(p.stat().st_size for p in registry.iterdir()) / 1e6
        print(f"{arguments.files} files, {activities:,} activities, {size:.0f} MB")
        speedups, times = [], {1: [], 2: []}
        outputs: list[Path] = []
        for number in range(arguments.rounds):
            order = (1, 2) if number % 2 == 0 else (2, 1)
            took = {}
            for workers in order:
                took[workers], out = run(registry, workers)
                times[workers].append(took[workers])
                outputs.append(out)
            speedups.append(took[1] / took[2])
        assert all(same_bytes(outputs[0], other) for other in outputs[1:])
        for out in outputs:
            shutil.rmtree(out.parent)
        print(
            f"1 worker {statistics.median(times[1]):.2f} s, 2 workers"
            f" {statistics.median(times[2]):.2f} s: speed-up {statistics.median(speedups):.2f}x"
            f" (range {min(speedups):.2f}-{max(speedups):.2f}; target >= 1.7);"
            " every output equal byte for byte"
        )
        if arguments.dask:
            against_dask(registry, arguments.rounds)
        half, whole = arguments.files // 2, arguments.files
        peaks = {count: worker_peak(registry, count) for count in (half, whole)}
        print(
            f"worker peak resident set: {peaks[half] / 1024:.0f} MB for {half} files,"
            f" {peaks[whole] / 1024:.0f} MB for {whole} files"
        )
    finally:
        shutil.rmtree(registry)


if __name__ == "__main__":
    main()
