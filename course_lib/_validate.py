"""Input checks shared by every module: clear errors at the caller, never deep inside NumPy."""

from __future__ import annotations

import numpy as np


def as_float_array(name: str, x, *, ndim: int | None = None, finite: bool = True) -> np.ndarray:
    """Return ``x`` as a float64 array, or raise ``ValueError`` saying what was expected.

    Integer and boolean input is converted; complex, object and string input is refused.
    """
    try:
        array = np.asarray(x)
    except Exception as error:  # ragged lists and the like
        raise ValueError(f"{name} must be an array of numbers; could not convert it: {error}") from None
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers (float64); got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D; got shape {array.shape} ({array.ndim}-D)")
    if finite and not np.all(np.isfinite(array)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{name} has a non-finite entry {array[index]} at index {index}")
    return array


def expect_shape(name: str, array: np.ndarray, shape: tuple, hint: str = "") -> None:
    """Raise ``ValueError`` unless ``array.shape`` matches ``shape`` (``None`` matches any size)."""
    ok = array.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, array.shape, strict=False))
    if not ok:
        sizes = ["any" if s is None else str(s) for s in shape]
        wanted = f"({sizes[0]},)" if len(sizes) == 1 else "(" + ", ".join(sizes) + ")"
        message = f"{name} has shape {array.shape}, expected {wanted}"
        raise ValueError(message + (f": {hint}" if hint else ""))


def expect_reduction(reduction: str) -> None:
    """Raise ``ValueError`` unless the batch reduction is one of the two the book defines."""
    if reduction not in ("sum", "mean"):
        raise ValueError(f"reduction must be 'sum' or 'mean'; got {reduction!r}")


def expect_lam(lam) -> float:
    """Return the penalty weight λ as a float, or raise ``ValueError`` unless it is a finite number >= 0."""
    try:
        value = float(lam)
    except (TypeError, ValueError):
        value = np.nan
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"lam (λ) must be a finite number >= 0; got {lam!r}")
    return value
