"""Throughput of the whole understanding step (normalisation, language, sentiment,
aggression, topics, triage) on short comments, in one process on one core.

    python -m bench.understanding [--n N] [--batch B] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

_TEMPLATES = (
    "Когда починят дорогу на улице {s}? Уже месяц ямы",
    "Спасибо акимату за новый парк, очень красиво!",
    "Опять отключили горячую воду в доме {n}, дети без воды",
    "{s} көшесіндегі жолды қашан жөндейсіздер?",
    "Рахмет, керемет жұмыс! 👍",
    "Пенсия кешігіп келді, неге?",
    "ote jaqsy, rahmet akimat",
    "жарык жок 3 кун болды, комектесиниздер",
    "Кезек өте ұзын, ЦОН-да бір күн тұрдым",
    "Спасибо большое, всё сделали быстро",
    "Позор, воруют и молчат",
    "Балабақшаға кезек қашан келеді?",
    "Мусор не вывозят уже неделю на {s}",
    "Great job, thank you",
    "😡😡😡",
    "Норм",
)
_STREETS = ("Абая", "Сейфуллина", "Кенесары", "Момышулы", "Тауелсиздик", "Жибек жолы")


def sample(n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(_TEMPLATES).format(s=rng.choice(_STREETS), n=rng.randint(1, 200))
        for _ in range(n)
    ]


def run(n: int = 20_000, batch: int = 1000, repeats: int = 3) -> dict[str, float]:
    """Texts per second per core for ``Analyzer.analyze`` on ``n`` short comments.

    The best of ``repeats`` passes is reported (other processes on the machine only ever
    slow a pass down), with wall-clock and CPU-time rates.
    """
    from sentiment import Analyzer

    analyzer = Analyzer.default()
    texts = sample(n)
    analyzer.analyze(texts[:batch])
    best_wall = best_cpu = float("inf")
    for _ in range(max(1, repeats)):
        start_cpu = time.process_time()
        start = time.perf_counter()
        for i in range(0, n, batch):
            analyzer.analyze(texts[i : i + batch])
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return {
        "texts": n,
        "batch": batch,
        "repeats": repeats,
        "wall_seconds": round(best_wall, 3),
        "cpu_seconds": round(best_cpu, 3),
        "texts_per_second": round(n / best_wall, 1),
        "texts_per_cpu_second": round(n / best_cpu, 1) if best_cpu else 0.0,
        "mean_chars": round(sum(map(len, texts)) / n, 1),
        "cores_available": float(os.cpu_count() or 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.understanding")
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(run(args.n, args.batch, args.repeats), indent=2))


if __name__ == "__main__":
    main()
