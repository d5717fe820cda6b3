"""Benchmark 7: the engine's backward pass (course_lib.autodiff) against the hand-written δ-recursion.

Same network, cache and precision (float64, one thread): ReLU hidden layers, identity output, squared
error averaged over a batch of 256. The engine walks its graph, one vector-Jacobian product per edge;
``deep_backward`` runs chapter 5's recursion. Reports the time ratio engine / recursion (above 1: the
recursion is faster), the graph's size and the matrix products each pass does (2L against 2L − 1: the
engine also differentiates with respect to the input x), and checks that both agree to 1e-12.
Run: python bench/autodiff_vs_recursion.py
"""

from __future__ import annotations

import argparse
import statistics

from _common import markdown_table, save, spread

from course_lib.timing import time_against_recursion


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--widths", type=int, nargs="+", default=[16, 64, 256, 1024])
    parser.add_argument("--depths", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3, help="independent runs, for min/median/max")
    parser.add_argument("--repeats", type=int, default=15, help="timings per run; each run keeps its best")
    args = parser.parse_args(argv)
    rows = []
    for depth in args.depths:
        for width in args.widths:
            runs = [time_against_recursion(width, depth, batch=args.batch, repeats=args.repeats, seed=run)
                    for run in range(args.runs)]
            worst = max(r["difference"] for r in runs)
            if worst > 1e-12:
                raise SystemExit(f"width {width}, depth {depth}: engine and recursion differ by {worst:.1e}")
            ratios = [r["ratio"] for r in runs]
            rows.append({"width": width, "depth": depth, "nodes": runs[0]["nodes"], "edges": runs[0]["edges"],
                         "products_engine": 2 * depth, "products_recursion": 2 * depth - 1,
                         "ratio": statistics.median(ratios), **{f"ratio_{k}": v for k, v in spread(ratios).items()},
                         "recursion_ms": 1e3 * statistics.median(r["recursion_s"] for r in runs),
                         "difference": worst})
    save("autodiff_vs_recursion", rows, batch=args.batch)
    print(markdown_table(rows, ["width", "depth", "nodes", "edges", "products_engine", "products_recursion",
                                "recursion_ms", "ratio_min", "ratio", "ratio_max", "difference"],
                         {"recursion_ms": ".3f", "ratio_min": ".2f", "ratio": ".2f", "ratio_max": ".2f",
                          "difference": ".1e"}))
    return rows


if __name__ == "__main__":
    main()
