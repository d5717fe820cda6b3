"""The only thing that crosses the sandbox's wall: plain data, as JSON.

Arguments go in (arrays, numbers, strings, tuples, lists, dicts, and module-level functions named by module
and name); answers come out (the same, without functions). Decoding builds nothing but those types, so an
answer can never be an object with a rigged ``__eq__`` or a lying ``__array__``: student code produces data,
never verdicts. Arrays travel as base64 bytes of float64, int64 or bool: exact, and compact.
"""

from __future__ import annotations

import base64
import importlib
import json

import numpy as np

DTYPES = {"f": "<f8", "i": "<i8", "u": "<i8", "b": "|b1"}
FLOAT32 = "<f4"  # kept as it is, so a float32 answer is judged as the notebook judges it
MAX_DEPTH = 32
MAX_ELEMENTS = 20_000_000


class PayloadError(ValueError):
    """Data that cannot cross the wall (an object of another type, a malformed or oversized answer)."""


def encode(value, *, functions: bool = False, _depth: int = 0):
    """``value`` as JSON-ready data; raises :class:`PayloadError` for anything that is not plain data."""
    if _depth > MAX_DEPTH:
        raise PayloadError("nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in DTYPES:
            raise PayloadError(f"an array of dtype {value.dtype} (expected numbers)")
        data = np.ascontiguousarray(value, dtype=FLOAT32 if value.dtype == np.float32 else DTYPES[value.dtype.kind])
        raw = base64.b64encode(data.tobytes()).decode()
        return {"$array": raw, "dtype": data.dtype.str, "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v, functions=functions, _depth=_depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, functions=functions, _depth=_depth + 1) for v in value]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise PayloadError(f"a dict key of type {type(key).__name__} (expected str or int)")
        return {"$dict": [[k, encode(v, functions=functions, _depth=_depth + 1)] for k, v in value.items()]}
    if functions and callable(value):
        module, name = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
        if module and name and _resolve(module, name) is value:
            return {"$function": [module, name]}
        raise PayloadError(f"the function {value!r} is not importable by module and name")
    raise PayloadError(f"an object of type {type(value).__name__} (expected arrays, numbers, tuples, lists or dicts)")


def _resolve(module: str, name: str):
    try:
        target = importlib.import_module(module)
        for part in name.split("."):
            target = getattr(target, part)
        return target
    except (ImportError, AttributeError, ValueError):
        return None


def decode(data, *, functions: bool = False, _depth: int = 0):
    """Rebuild what :func:`encode` made; anything else raises :class:`PayloadError`."""
    if _depth > MAX_DEPTH:
        raise PayloadError("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, functions=functions, _depth=_depth + 1) for v in data]
    if not isinstance(data, dict) or len(data) not in (1, 3):
        raise PayloadError("malformed data")
    if "$tuple" in data and isinstance(data["$tuple"], list):
        return tuple(decode(v, functions=functions, _depth=_depth + 1) for v in data["$tuple"])
    if "$dict" in data and isinstance(data["$dict"], list):
        result = {}
        for item in data["$dict"]:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], (str, int))):
                raise PayloadError("malformed dict")
            result[item[0]] = decode(item[1], functions=functions, _depth=_depth + 1)
        return result
    if "$array" in data:
        return _decode_array(data)
    if functions and "$function" in data:
        target = _resolve(*data["$function"])
        if target is None:
            raise PayloadError(f"cannot import {data['$function']}")
        return target
    raise PayloadError("malformed data")


def _decode_array(data: dict) -> np.ndarray:
    dtype, shape = data.get("dtype"), data.get("shape")
    if dtype not in (*DTYPES.values(), FLOAT32) or not isinstance(shape, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_ELEMENTS for n in shape):
        raise PayloadError("malformed array")
    size = int(np.prod(shape, dtype=np.int64))
    if size > MAX_ELEMENTS or not isinstance(data["$array"], str):
        raise PayloadError("array too large")
    try:
        raw = base64.b64decode(data["$array"], validate=True)
    except ValueError:
        raise PayloadError("malformed array bytes") from None
    if len(raw) != size * np.dtype(dtype).itemsize:
        raise PayloadError("array bytes do not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def loads(text: str, *, functions: bool = False):
    """Parse JSON text and :func:`decode` it; any malformation raises :class:`PayloadError`."""
    try:
        return decode(json.loads(text), functions=functions)
    except (ValueError, RecursionError, TypeError) as error:
        raise PayloadError(f"unreadable data: {str(error)[:200]}") from None


def dumps(value, *, functions: bool = False) -> str:
    return json.dumps(encode(value, functions=functions))
