"""Benchmark 4: peak memory of a training run against its physical floor.

The floor is what backpropagation cannot do without: the parameters plus one batch's cached
activations (every z⁽ˡ⁾ and a⁽ˡ⁾, course_lib.timing.cache_bytes). Peak memory is measured with
tracemalloc, which sees NumPy's array allocations, from after the data are loaded to the end of
training (``run``), and for one training step alone (``step``: forward, backward, update; the run adds
the per-epoch accuracy over the whole training set that train_sgd records). Run: python bench/memory.py
"""

from __future__ import annotations

import argparse
import tracemalloc

import _common  # noqa: F401  (pins BLAS threads)
import numpy as np
from _common import markdown_table, save, spread

from course_lib import MLP, load_digits, train_sgd
from course_lib.timing import cache_bytes


def _peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(hidden: int, depth: int, batch: int, epochs: int, seed: int) -> dict:
    data = load_digits(seed=0)
    sizes = [64] + [hidden] * (depth - 1) + [10]
    activations = ["relu"] * (depth - 1) + ["softmax"]
    X, y = data.X_train[:, :batch], data.y_train[:batch]

    def new_model():
        return MLP(sizes, activations, loss="cross_entropy", reduction="mean", seed=seed)

    def run():
        train_sgd(new_model(), data.X_train, data.y_train, epochs=epochs, batch_size=batch, lr=0.05, seed=seed,
                  progress=False)

    def step():
        model = new_model()
        _, grads = model.loss_and_grads(X.copy(), y)
        for key, g in grads.items():
            model.params[key] -= 0.05 * g

    model = new_model()
    floor = sum(p.nbytes for p in model.params.values()) + cache_bytes(model.forward(X)[1])
    run_peak, step_peak = _peak_bytes(run), _peak_bytes(step)
    return {"run_kib": run_peak / 1024, "step_kib": step_peak / 1024, "floor_kib": floor / 1024,
            "ratio": run_peak / floor, "step_ratio": step_peak / floor}


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
        row = {"hidden": hidden, "depth": args.depth, "batch": args.batch, "floor_kib": runs[0]["floor_kib"]}
        for part in ("run", "step"):
            s = spread([r[f"{part}_kib"] / r["floor_kib"] for r in runs])
            row |= {f"{part}_kib": float(np.median([r[f"{part}_kib"] for r in runs])),
                    f"{part}_ratio_min": s["min"], f"{part}_ratio": s["median"], f"{part}_ratio_max": s["max"]}
        rows.append(row)
    save("memory", rows)
    print(markdown_table(rows, list(rows[0]), {k: ".0f" if k.endswith("kib") else ".2f" for k in rows[0]}
                         | {"hidden": "", "depth": "", "batch": ""}))
    return rows


if __name__ == "__main__":
    main()
