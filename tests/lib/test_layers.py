"""The linear layer z = W a + b: forward values and cache, backward against centred differences."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from course_lib import linear_backward, linear_forward, numerical_gradient, rel_error
from tests.strategies import SETTINGS, batches, seeds, sizes

#: A linear map is exact under centred differences but for round-off (about 1e-10 here).
SMOOTH_TOL = 1e-7


@SETTINGS
@given(seed=seeds, n_out=sizes, n_in=sizes, batch=batches)
def test_linear_backward_agrees_with_centred_differences(seed, n_out, n_in, batch):
    rng = np.random.default_rng(seed)
    W, a_prev, b = rng.normal(size=(n_out, n_in)), rng.normal(size=(n_in, batch)), rng.normal(size=(n_out, 1))
    G = rng.normal(size=(n_out, batch))  # J = Σ G ⊙ z has ∂J/∂z = G: a random upstream gradient

    def J(W=W, a_prev=a_prev, b=b):
        return float(np.sum(G * linear_forward(W, a_prev, b)[0]))

    z, cache = linear_forward(W, a_prev, b)
    np.testing.assert_allclose(z, W @ a_prev + b, rtol=1e-14)
    da_prev, dW, db = linear_backward(G, cache)
    assert (da_prev.shape, dW.shape, db.shape) == (a_prev.shape, W.shape, b.shape)
    assert rel_error(dW, numerical_gradient(lambda v: J(W=v), W.copy())) < SMOOTH_TOL
    assert rel_error(db, numerical_gradient(lambda v: J(b=v), b.copy())) < SMOOTH_TOL
    assert rel_error(da_prev, numerical_gradient(lambda v: J(a_prev=v), a_prev.copy())) < SMOOTH_TOL


def test_forward_returns_the_cache_the_backward_needs():
    W, a_prev = np.arange(6.0).reshape(2, 3), np.ones((3, 4))
    z, cache = linear_forward(W, a_prev, np.array([1.0, -1.0]))  # a 1-D bias is one column
    np.testing.assert_array_equal(z, [[4.0] * 4, [11.0] * 4])
    assert cache[0] is W and cache[1] is a_prev
    _, _, db = linear_backward(np.ones((2, 4)), cache)
    np.testing.assert_array_equal(db, [[4.0], [4.0]])  # summed over the batch, kept as a column
