"""course_lib: the small NumPy backpropagation library behind every chapter of the book.

One file per idea: ``activations`` (φ, φ'), ``losses`` (ℓ, J, s), ``layers`` (z = W a + b),
``two_layer`` (chapter 4's J = L + s network), ``network`` (the deep δ-recursion), ``gradcheck``
(numerical derivatives and diagnostics), ``training`` (gradient descent, SGD, the delta rule),
``data`` (toy sets and the digits), ``checks`` (what the exercises' tests call) and ``marking`` (what
the grader knows about each assignment, never imported by a notebook).
Columns are examples throughout: ``W`` is ``(n_out, n_in)`` and a batch ``a`` is ``(n_in, batch)``.
"""

from .activations import (
                          ACTIVATIONS,
                          get_activation,
                          identity,
                          identity_prime,
                          log_softmax,
                          relu,
                          relu_prime,
                          sigmoid,
                          sigmoid_prime,
                          softmax,
                          tanh,
                          tanh_prime,
)
from .data import load_digits, spirals, two_moons, xor
from .gradcheck import (
                          GradientReport,
                          assert_gradient,
                          check_gradient,
                          compare_gradients,
                          flatten_jacobian,
                          numerical_gradient,
                          numerical_jacobian,
                          rel_error,
)
from .layers import linear_backward, linear_forward
from .losses import half_squared_error, l2_penalty, l2_penalty_grad, least_squares, one_hot, softmax_cross_entropy
from .network import MLP, deep_backward, deep_forward, init_params
from .training import History, delta_rule_epoch, gradient_descent, train_sgd
from .two_layer import two_layer_backward, two_layer_forward

__all__ = [
    "ACTIVATIONS", "GradientReport", "History", "MLP", "assert_gradient", "check_gradient", "compare_gradients",
    "deep_backward", "deep_forward", "delta_rule_epoch", "flatten_jacobian", "get_activation", "gradient_descent",
    "half_squared_error", "identity", "identity_prime", "init_params", "l2_penalty", "l2_penalty_grad",
    "least_squares", "linear_backward", "linear_forward", "load_digits", "log_softmax", "numerical_gradient",
    "numerical_jacobian", "one_hot", "rel_error", "relu", "relu_prime", "sigmoid", "sigmoid_prime", "softmax",
    "softmax_cross_entropy", "spirals", "tanh", "tanh_prime", "train_sgd", "two_layer_backward",
    "two_layer_forward", "two_moons", "xor",
]
