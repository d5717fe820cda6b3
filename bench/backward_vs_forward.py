"""Benchmark 1: one backward pass against one forward pass of course_lib networks.

The floor is the FLOP count, (2L − 1)/L (course_lib.timing.flop_floor); the target is to be within
10% of it at every grid point from width 128 up. Run: python bench/backward_vs_forward.py
"""

from __future__ import annotations

import argparse
import statistics

from _common import markdown_table, save, spread

from course_lib.timing import time_forward_backward


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--widths", type=int, nargs="+", default=[16, 32, 64, 128, 256, 512, 1024])
    parser.add_argument("--depths", type=int, nargs="+", default=list(range(1, 9)))
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3, help="independent runs, for min/median/max")
    parser.add_argument("--repeats", type=int, default=15, help="timings per run; each run keeps its best")
    args = parser.parse_args(argv)
    rows = []
    for depth in args.depths:
        for width in args.widths:
            runs = [time_forward_backward(width, depth, batch=args.batch, repeats=args.repeats, seed=run)
                    for run in range(args.runs)]
            ratios = [r["ratio"] for r in runs]
            floor = runs[0]["floor"]
            rows.append({"width": width, "depth": depth, "floor": floor, "ratio": statistics.median(ratios),
                         **{f"ratio_{k}": v for k, v in spread(ratios).items()},
                         "vs_floor": statistics.median(ratios) / floor,
                         "forward_ms": 1e3 * statistics.median(r["forward_s"] for r in runs)})
    save("backward_vs_forward", rows, batch=args.batch)
    print(markdown_table(rows, ["width", "depth", "forward_ms", "floor", "ratio_min", "ratio", "ratio_max", "vs_floor"],
                         {"forward_ms": ".3f", "floor": ".3f", "ratio_min": ".3f", "ratio": ".3f", "ratio_max": ".3f",
                          "vs_floor": ".3f"}))
    target = [r for r in rows if r["width"] >= 128]
    met = sum(r["vs_floor"] <= 1.10 for r in target)
    print(f"\nwithin 10% of the floor from width 128 up: {met} of {len(target)} grid points")
    return rows


if __name__ == "__main__":
    main()
