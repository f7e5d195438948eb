"""Reading IATI activity files against a bare lxml ``iterparse`` loop.

    python benchmarks/bench_iati_read.py --file usaid-ec.xml [--size-mb 100] [--rounds 5]

Two inputs: the given file (USAID's Ecuador file, 2 MB), and a file of about
``--size-mb`` MB generated in a temporary folder by repeating its activities under new
identifiers. The baseline is what a skilled user would write with lxml alone: one
``iterparse`` pass over ``iati-activity`` elements that takes the same values the reader
keeps (identifier, organisations, titles, status, dates, countries, regions, locations,
sectors, transactions, budgets and planned disbursements, amounts as ``Decimal`` and
dates as ``datetime.date``) into tuples, clearing each activity after use. The contender
is ``read_activities``, which also checks every code against the IATI code lists and
builds validated, frozen objects. The two alternate over rounds; the median of the
per-round ratios is reported with its range. Target: at most 1.5x.

Peak memory is measured on the large file in a fresh interpreter per contender: the
process's peak resident set (``ru_maxrss``) in all and how far reading raised it above
its peak after the imports, and the peak of Python's own allocations (``tracemalloc``).
Target: reading adds under 50 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from _timing import interleaved, ratio

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _narratives(element: Element | None) -> tuple[tuple[str | None, str | None], ...]:
    if element is None:
        return ()
    return tuple((n.text, n.get(LANG)) for n in element.iterfind("narrative"))


def _org(element: Element | None) -> tuple[object, ...] | None:
    if element is None:
        return None
    return (element.get("ref"), element.get("type"), element.get("role"), _narratives(element))


def _value(element: Element) -> tuple[Decimal, str | None, dt.date]:
    return (
        Decimal((element.text or "").strip()),
        element.get("currency"),
        dt.date.fromisoformat(element.get("value-date", "")),
    )


def _day(element: Element) -> dt.date:
    return dt.date.fromisoformat(element.get("iso-date", ""))


def _shares(element: Element, tag: str) -> tuple[tuple[str | None, ...], ...]:
    return tuple(
        (e.get("code"), e.get("vocabulary"), e.get("percentage")) for e in element.iterfind(tag)
    )


def baseline(path: str) -> int:
    """The same values, read with lxml alone into tuples."""
    from lxml import etree

    count = 0
    for _, activity in etree.iterparse(path, tag="iati-activity", resolve_entities=False):
        (
            activity.findtext("iati-identifier").strip(),
            activity.get("default-currency"),
            _org(activity.find("reporting-org")),
            _narratives(activity.find("title")),
            tuple(_org(e) for e in activity.iterfind("participating-org")),
            activity.find("activity-status").get("code"),
            tuple((e.get("type"), _day(e)) for e in activity.iterfind("activity-date")),
            _shares(activity, "recipient-country"),
            _shares(activity, "recipient-region"),
            tuple(
                (_narratives(e.find("name")), e.findtext("point/pos"))
                for e in activity.iterfind("location")
            ),
            _shares(activity, "sector"),
            tuple(
                (
                    t.find("transaction-type").get("code"),
                    _day(t.find("transaction-date")),
                    _value(t.find("value")),
                    _org(t.find("provider-org")),
                    _org(t.find("receiver-org")),
                    _shares(t, "recipient-country"),
                    _shares(t, "sector"),
                )
                for t in activity.iterfind("transaction")
            ),
            tuple(
                (
                    b.get("type"),
                    _day(b.find("period-start")),
                    _day(b.find("period-end")),
                    _value(b.find("value")),
                )
                for b in activity.iterfind("budget")
            ),
            tuple(
                (p.get("type"), _day(p.find("period-start")), _value(p.find("value")))
                for p in activity.iterfind("planned-disbursement")
            ),
        )
        count += 1
        activity.clear(keep_tail=False)
        while activity.getprevious() is not None:
            del activity.getparent()[0]
    return count


def contender(path: str) -> int:
    from citycoop.io.iati import read_activities

    return sum(1 for _ in read_activities(path))


def generate(source: Path, target: Path, size_mb: int) -> int:
    """Repeat *source*'s activities, each copy under new identifiers, to about *size_mb* MB."""
    text = source.read_text(encoding="utf-8")
    start = text.index("<iati-activity ")
    end = text.rindex("</iati-activities>")
    head, body, tail = text[:start], text[start:end], text[end:]
    copies = max(1, size_mb * 1_000_000 // len(body.encode()))
    identifier = re.compile(r"<iati-identifier>([^<]*)</iati-identifier>")
    with target.open("w", encoding="utf-8") as out:
        out.write(head)
        for copy in range(copies):
            out.write(identifier.sub(rf"<iati-identifier>\1-copy{copy}</iati-identifier>", body))
        out.write(tail)
    return copies


MEMORY = """
import json, resource, sys, tracemalloc
sys.path.insert(0, {bench!r})
from bench_iati_read import baseline, contender
import citycoop.io.iati, lxml.etree  # imports before the first measurement
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
count = {name}({path!r})
peak = tracemalloc.get_traced_memory()[1]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"count": count, "rss_kb": after - before, "peak_kb": after, "traced": peak}}))
"""


def memory(name: str, path: Path) -> dict[str, int]:
    code = MEMORY.format(bench=str(Path(__file__).parent), name=name, path=str(path))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    found: dict[str, int] = json.loads(result.stdout)
    return found


def report(label: str, path: Path, rounds: int) -> None:
    times = interleaved(
        {"bare lxml": lambda: baseline(str(path)), "read_activities": lambda: contender(str(path))},
        rounds=rounds,
    )
    median, low, high = ratio(times, "read_activities", "bare lxml")
    size = path.stat().st_size / 1e6
    print(
        f"{label} ({size:.1f} MB, {baseline(str(path))} activities): "
        f"bare lxml {min(times['bare lxml']):.3f} s, "
        f"read_activities {min(times['read_activities']):.3f} s; "
        f"median ratio {median:.2f}x (range {low:.2f}-{high:.2f}) over {rounds} rounds"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    source = Path(arguments.file)
    report(source.name, source, arguments.rounds)
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "generated.xml"
        copies = generate(source, big, arguments.size_mb)
        report(f"{copies} copies of {source.name}", big, max(1, arguments.rounds // 2 + 1))
        for name in ("baseline", "contender"):
            found = memory(name, big)
            print(
                f"peak memory reading the generated file, {name}: "
                f"peak resident set {found['peak_kb'] / 1024:.1f} MB in all, "
                f"{found['rss_kb'] / 1024:.1f} MB above its peak after the imports; "
                f"Python allocations peaked at {found['traced'] / 1e6:.1f} MB "
                f"({found['count']} activities)"
            )


if __name__ == "__main__":
    main()
