"""Benchmark 2: one full gradient (forward + backward) in course_lib against PyTorch and HIPS autograd.

Same network, inputs and precision (float64, one thread each): ReLU hidden layers, softmax with
cross-entropy, mean over the batch. Reports time ratios (course_lib / reference; below 1 is faster)
and checks that all three agree to 1e-10. Run: python bench/vs_frameworks.py
"""

from __future__ import annotations

import argparse
import statistics
from importlib.metadata import version

import _common  # noqa: F401  (pins BLAS threads before NumPy and PyTorch load)
import autograd.numpy as anp
import numpy as np
import torch
from _common import markdown_table, save, spread
from autograd import grad as autograd_grad

from course_lib import deep_backward, deep_forward, init_params, rel_error
from course_lib.timing import best_times

torch.set_num_threads(1)


def course_lib_gradient(params, x, labels, activations):
    _, cache = deep_forward(params, x, activations)
    return deep_backward(params, cache, labels, loss="cross_entropy", reduction="mean")[1]


def _autograd_loss(params, x, labels, depth):
    a = x
    for l in range(1, depth + 1):
        z = anp.dot(params[f"W{l}"], a) + params[f"b{l}"]
        a = anp.maximum(z, 0.0) if l < depth else z
    z = a - anp.max(a, axis=0, keepdims=True)
    log_p = z - anp.log(anp.sum(anp.exp(z), axis=0, keepdims=True))
    return -anp.mean(log_p[labels, anp.arange(labels.size)])


def torch_gradient(tparams, x, labels, depth):
    for p in tparams.values():
        p.grad = None
    a = x
    for l in range(1, depth + 1):
        a = tparams[f"W{l}"] @ a + tparams[f"b{l}"]
        if l < depth:
            a = torch.relu(a)
    torch.nn.functional.cross_entropy(a.T, labels).backward()
    return {k: p.grad for k, p in tparams.items()}


def measure(width: int, depth: int, batch: int, classes: int, repeats: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    params = init_params([width] * depth + [classes], seed=seed)
    x = rng.standard_normal((width, batch))
    labels = rng.integers(0, classes, size=batch)
    activations = ["relu"] * (depth - 1) + ["softmax"]
    tparams = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    tx, tlabels = torch.tensor(x), torch.tensor(labels)
    ag = autograd_grad(_autograd_loss)

    ours = course_lib_gradient(params, x, labels, activations)
    theirs = torch_gradient(tparams, tx, tlabels, depth)
    hips = ag(params, x, labels, depth)
    agreement = max(max(rel_error(ours[k], theirs[k].numpy()), rel_error(ours[k], hips[k])) for k in ours)

    t_ours, t_torch, t_hips = best_times([lambda: course_lib_gradient(params, x, labels, activations),
                                          lambda: torch_gradient(tparams, tx, tlabels, depth),
                                          lambda: ag(params, x, labels, depth)], repeats)
    return {"ours_ms": 1e3 * t_ours, "vs_torch": t_ours / t_torch, "vs_autograd": t_ours / t_hips,
            "agreement": agreement}


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--widths", type=int, nargs="+", default=[16, 64, 128, 256, 512, 1024])
    parser.add_argument("--depths", type=int, nargs="+", default=[2, 4, 8])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    rows = []
    for depth in args.depths:
        for width in args.widths:
            runs = [measure(width, depth, args.batch, 10, args.repeats, seed) for seed in range(args.runs)]
            row = {"width": width, "depth": depth, "ours_ms": statistics.median(r["ours_ms"] for r in runs),
                   "agreement": max(r["agreement"] for r in runs)}
            for ref in ("vs_torch", "vs_autograd"):
                s = spread([r[ref] for r in runs])
                row.update({ref: s["median"], f"{ref}_min": s["min"], f"{ref}_max": s["max"]})
            rows.append(row)
            if row["agreement"] > 1e-10:
                raise SystemExit(f"gradients disagree at width {width}, depth {depth}: {row['agreement']:.2e}")
    save("vs_frameworks", rows, batch=args.batch, torch=torch.__version__, torch_threads=torch.get_num_threads(),
         autograd=version("autograd"))
    timed = ["ours_ms", "vs_torch_min", "vs_torch", "vs_torch_max", "vs_autograd_min", "vs_autograd", "vs_autograd_max"]
    formats = {c: ".3f" for c in timed} | {"agreement": ".1e"}
    print(markdown_table(rows, ["width", "depth", *timed, "agreement"], formats))
    return rows


if __name__ == "__main__":
    main()
