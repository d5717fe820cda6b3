"""Prints, as JSON, the OpenBLAS kernel that runs and the bits of two matrix products, for this machine's own
kernel (key "") and for each kernel named on the command line (``OPENBLAS_CORETYPE``); null for a kernel that
cannot run here (it needs an instruction this processor lacks). noxfile.py picks its sessions' kernels with it."""

import json
import os
import subprocess
import sys

PRODUCTS = """import hashlib, numpy as np, threadpoolctl
blas = [i for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"]
a, b = np.random.default_rng(0).standard_normal((64, 300)), np.random.default_rng(1).standard_normal((37, 1001))
bits = hashlib.sha256((a @ a.T).tobytes() + (b @ b.T).tobytes()).hexdigest()
print(blas[0]["architecture"] if blas else "none", bits)
"""


def probe(kernel: str) -> list[str] | None:
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
    env.update({"OPENBLAS_CORETYPE": kernel} if kernel else {})
    done = subprocess.run([sys.executable, "-c", PRODUCTS], env=env, capture_output=True, text=True)
    return done.stdout.split() if done.returncode == 0 else None


if __name__ == "__main__":
    print(json.dumps({kernel: probe(kernel) for kernel in ["", *sys.argv[1:]]}))
