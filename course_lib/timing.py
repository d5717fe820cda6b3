"""How long a backward pass takes next to a forward pass (chapter 5, figure ``backward-cost``; bench/).

Both passes are timed on the same network and batch, in alternation, each as the minimum over
``repeats`` rounds (the round least disturbed by whatever else the machine does). The clock is the
process's CPU time (:data:`CLOCK`): for single-threaded work it equals the wall time on an idle machine,
and it does not count the time the process waits while other programs hold the cores. The floor for the ratio is
the FLOP count: per layer the forward does one matrix product, the backward two (δ aᵀ and Wᵀ δ),
except that the first layer needs no Wᵀ δ, so the ratio tends to (2L − 1)/L.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

import numpy as np

from .network import deep_backward, deep_forward, init_params

# Windows counts CPU time in ticks of about 16 ms, too coarse for one pass: it gets the wall clock.
CLOCK: Callable[[], float] = time.perf_counter if sys.platform == "win32" else time.process_time


def flop_floor(depth: int) -> float:
    """The backward/forward ratio predicted by counting matrix products: (2L − 1)/L."""
    return (2 * depth - 1) / depth


def best_times(fns: Sequence[Callable[[], object]], repeats: int, clock: Callable[[], float] = CLOCK) -> list[float]:
    """The least time, in seconds, each of ``fns`` takes over ``repeats`` rounds.

    Every round calls each function once, in turn, so that all of them meet the same state of the
    machine; one untimed round first warms caches and allocators.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be positive; got {repeats}")
    for fn in fns:
        fn()
    best = [np.inf] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = clock()
            fn()
            best[i] = min(best[i], clock() - start)
    return best


def time_forward_backward(width: int, depth: int, *, batch: int = 256, activation: str = "relu",
                          repeats: int = 5, seed: int = 0) -> dict:
    """Time one forward and one backward pass of a ``depth``-layer network of ``width`` units.

    Returns ``{"width", "depth", "batch", "forward_s", "backward_s", "ratio", "floor"}``; squared-error
    loss and float64, as in the library.
    """
    if width < 1 or depth < 1 or batch < 1 or repeats < 1:
        raise ValueError(f"width, depth, batch and repeats must be positive; got {width}, {depth}, {batch}, {repeats}")
    rng = np.random.default_rng(seed)
    params = init_params([width] * (depth + 1), seed=seed)
    activations = [activation] * (depth - 1) + ["identity"]
    x = rng.standard_normal((width, batch))
    y = rng.standard_normal((width, batch))
    _, cache = deep_forward(params, x, activations)
    forward, backward = best_times([lambda: deep_forward(params, x, activations),
                                    lambda: deep_backward(params, cache, y, loss="squared", reduction="mean")], repeats)
    return {"width": width, "depth": depth, "batch": batch, "forward_s": forward, "backward_s": backward,
            "ratio": backward / forward, "floor": flop_floor(depth)}


def sweep(widths: Sequence[int], depths: Sequence[int], **kwargs) -> list[dict]:
    """:func:`time_forward_backward` over a grid, one row per (width, depth)."""
    return [time_forward_backward(w, d, **kwargs) for d in depths for w in widths]


def cache_bytes(cache: dict) -> int:
    """Bytes held by a forward pass's cache (every z⁽ˡ⁾ and a⁽ˡ⁾): the memory backprop trades for speed."""
    return sum(arr.nbytes for part in ("z", "a") for arr in cache[part].values())


def time_against_recursion(width: int, depth: int, *, batch: int = 256, repeats: int = 5, seed: int = 0) -> dict:
    """Time the engine's backward pass and :func:`course_lib.deep_backward` on the same network, in alternation.

    A ``depth``-layer network of ``width`` units (ReLU, identity output, squared error, mean over the
    batch), as in :func:`course_lib.timing.time_forward_backward`. Both backward passes start from a
    finished forward pass: the graph for the engine, the cache for the recursion. Returns the times, their
    ratio, the graph's nodes and edges, and both results' largest relative difference.
    """
    from .autodiff import Value, backward, count_edges, deep_objective  # the engine imports nothing from here
    from .gradcheck import rel_error

    if min(width, depth, batch, repeats) < 1:
        raise ValueError(f"width, depth, batch and repeats must be positive; got {width}, {depth}, {batch}, {repeats}")
    rng = np.random.default_rng(seed)
    arrays = init_params([width] * (depth + 1), seed=seed)
    activations = ["relu"] * (depth - 1) + ["identity"]
    x, y = rng.standard_normal((width, batch)), rng.standard_normal((width, batch))
    params = {key: Value(value) for key, value in arrays.items()}
    J = deep_objective(params, x, y, activations, loss="squared", reduction="mean")
    _, cache = deep_forward(arrays, x, activations)
    order = backward(J)
    _, grads, _ = deep_backward(arrays, cache, y, loss="squared", reduction="mean")
    engine_s, recursion_s = best_times([lambda: backward(J),
                                        lambda: deep_backward(arrays, cache, y, loss="squared", reduction="mean")],
                                       repeats)
    return {"width": width, "depth": depth, "batch": batch, "engine_s": engine_s, "recursion_s": recursion_s,
            "ratio": engine_s / recursion_s, "nodes": len(order), "edges": count_edges(order),
            "difference": max(rel_error(params[key].grad, grads[key]) for key in arrays)}
