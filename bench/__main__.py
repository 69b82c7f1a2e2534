"""`make bench`: every benchmark, measured in one run on this machine.

    python -m bench [--events N] [--only NAME ...]
                    [--load-events N] [--load-runtimes embedded,kafka]

Figures are wall-clock rates on whatever else the machine is doing; compare
ratios measured in the same run (Kafka end to end against the raw client)
rather than absolute numbers across machines.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"


def _pipeline(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from bench import pipeline

    results = pipeline.run(args.events)
    return results, pipeline.report(results)


def _runtimes(value: str) -> tuple[str, ...]:
    from bench.load import parse_runtimes

    return parse_runtimes(value)


def _load(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from bench import load

    results = load.run(args.load_events, args.load_runtimes)
    return results, load.report(results)


def _module(name: str) -> Callable[[argparse.Namespace], tuple[dict[str, Any], str]]:
    def run(_args: argparse.Namespace) -> tuple[dict[str, Any], str]:
        module = importlib.import_module(f"bench.{name}")
        results = module.run()
        report = (
            module.report(results)
            if hasattr(module, "report")
            else json.dumps(results, indent=2, default=str)
        )
        return results, report

    return run


BENCHES: dict[str, Callable[[argparse.Namespace], tuple[dict[str, Any], str]]] = {
    "pipeline": _pipeline,
    "understanding": _module("understanding"),
    "signals": _module("signals"),
    "dashboard": _module("dashboard"),
    "load": _load,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=100_000, help="events for the pipeline run")
    ap.add_argument(
        "--load-events",
        type=int,
        default=1_000_000,
        help="comments for the load run (replay + run through each runtime, latency)",
    )
    ap.add_argument(
        "--load-runtimes",
        type=_runtimes,
        default=("embedded", "kafka"),
        help="runtimes of the load run, comma-separated",
    )
    ap.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="run only these")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    print(
        f"qulaq benchmarks — {platform.node()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    all_results: dict[str, Any] = {}
    for name in args.only or list(BENCHES):
        try:
            results, report = BENCHES[name](args)
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.{name}":
                raise
            continue
        all_results[name] = results
        print()
        print(report)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (OUT / f"bench-{stamp}.json").write_text(json.dumps(all_results, indent=2, default=str))
    print(f"\nfigures written to bench/out/bench-{stamp}.json")


if __name__ == "__main__":
    main()
