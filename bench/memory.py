"""Benchmark 4: peak memory of a training run against its physical floor.

The floor is what backpropagation cannot do without: the parameters plus one batch's cached
activations (every z⁽ˡ⁾ and a⁽ˡ⁾, course_lib.timing.cache_bytes). Peak memory is measured with
tracemalloc, which sees NumPy's array allocations, from after the data are loaded to the end of
training. Run: python bench/memory.py
"""

from __future__ import annotations

import argparse
import tracemalloc

import _common  # noqa: F401  (pins BLAS threads)
import numpy as np
from _common import markdown_table, save, spread

from course_lib import MLP, load_digits, train_sgd
from course_lib.timing import cache_bytes


def measure(hidden: int, depth: int, batch: int, epochs: int, seed: int) -> dict:
    data = load_digits(seed=0)
    sizes = [64] + [hidden] * (depth - 1) + [10]
    activations = ["relu"] * (depth - 1) + ["softmax"]
    tracemalloc.start()
    model = MLP(sizes, activations, loss="cross_entropy", reduction="mean", seed=seed)
    train_sgd(model, data.X_train, data.y_train, epochs=epochs, batch_size=batch, lr=0.05, seed=seed, progress=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    param_bytes = sum(p.nbytes for p in model.params.values())
    _, cache = model.forward(data.X_train[:, :batch])
    floor = param_bytes + cache_bytes(cache)
    return {"peak_kib": peak / 1024, "floor_kib": floor / 1024, "ratio": peak / floor}


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hidden", type=int, nargs="+", default=[64, 256, 1024])
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    for hidden in args.hidden:
        runs = [measure(hidden, args.depth, args.batch, args.epochs, seed) for seed in range(args.runs)]
        s = spread([r["ratio"] for r in runs])
        rows.append({"hidden": hidden, "depth": args.depth, "batch": args.batch,
                     "peak_kib": float(np.median([r["peak_kib"] for r in runs])), "floor_kib": runs[0]["floor_kib"],
                     "ratio_min": s["min"], "ratio": s["median"], "ratio_max": s["max"]})
    save("memory", rows)
    print(markdown_table(rows, list(rows[0]), {"peak_kib": ".0f", "floor_kib": ".0f", "ratio_min": ".2f",
                                               "ratio": ".2f", "ratio_max": ".2f"}))
    return rows


if __name__ == "__main__":
    main()
