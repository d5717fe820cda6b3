"""course_lib.timing, which chapter 5 and bench/ share: shapes of its answers, never their values."""

from __future__ import annotations

import pytest

from course_lib.timing import best_times, cache_bytes, flop_floor, time_forward_backward


def test_flop_floor_counts_two_products_per_layer_but_the_first():
    assert [flop_floor(L) for L in (1, 2, 4)] == [1.0, 1.5, 1.75]


def test_best_times_calls_each_function_once_per_round_plus_a_warm_up():
    calls = []
    times = best_times([lambda: calls.append("f"), lambda: calls.append("b")], repeats=3)
    assert calls == ["f", "b"] * 4 and len(times) == 2 and min(times) >= 0


def test_time_forward_backward_reports_both_passes_and_the_floor():
    row = time_forward_backward(6, 3, batch=4, repeats=1)
    assert row["forward_s"] > 0 and row["backward_s"] > 0 and row["floor"] == flop_floor(3)
    assert row["ratio"] == pytest.approx(row["backward_s"] / row["forward_s"])


@pytest.mark.parametrize("bad", [{"width": 0}, {"depth": 0}, {"batch": 0}, {"repeats": 0}])
def test_time_forward_backward_refuses_non_positive_sizes(bad):
    with pytest.raises(ValueError, match="must be positive"):
        time_forward_backward(**({"width": 4, "depth": 2} | bad))


def test_cache_bytes_counts_every_z_and_a():
    from course_lib import deep_forward, init_params

    _, cache = deep_forward(init_params([3, 5, 2], seed=0), [[1.0], [2.0], [3.0]], ["relu", "identity"])
    assert cache_bytes(cache) == 8 * (3 + 5 + 2 + 5 + 2)
