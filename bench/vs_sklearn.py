"""Benchmark 3: training on the real digits, course_lib against scikit-learn's MLPClassifier.

The same architecture (64 → hidden ReLU → 10 softmax), optimizer (plain SGD, no momentum, no L2),
batch size, epochs, learning rate and seeded shuffling; each library initialises its own weights.
Reports the ratio of training times (course_lib / scikit-learn; for each seed the best of a few
alternating runs, in CPU time of this single-threaded process) and both test accuracies.
Run: python bench/vs_sklearn.py
"""

from __future__ import annotations

import argparse
import statistics
import warnings

import _common  # noqa: F401  (pins BLAS threads)
import sklearn
from _common import markdown_table, save, spread
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from course_lib import MLP, load_digits, train_sgd
from course_lib.timing import best_times


def run_once(hidden: int, epochs: int, batch: int, lr: float, seed: int, repeats: int) -> dict:
    """Both libraries trained with ``seed``, in alternation ``repeats`` times (training is deterministic)."""
    data = load_digits(seed=0)
    trained = {}

    def ours():
        model = MLP([64, hidden, 10], ["relu", "softmax"], loss="cross_entropy", reduction="mean", seed=seed)
        train_sgd(model, data.X_train, data.y_train, epochs=epochs, batch_size=batch, lr=lr, seed=seed, progress=False)
        trained["ours"] = model

    def theirs():
        reference = MLPClassifier(hidden_layer_sizes=(hidden,), activation="relu", solver="sgd", alpha=0.0,
                                  batch_size=batch, learning_rate="constant", learning_rate_init=lr, momentum=0.0,
                                  nesterovs_momentum=False, max_iter=epochs, shuffle=True, random_state=seed,
                                  tol=0.0, n_iter_no_change=epochs + 1, early_stopping=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # it ran the epochs we asked for, on purpose
            reference.fit(data.X_train.T, data.y_train)
        trained["sklearn"] = reference

    ours_s, theirs_s = best_times([ours, theirs], repeats)
    return {"ours_s": ours_s, "sklearn_s": theirs_s, "ratio": ours_s / theirs_s,
            "ours_acc": trained["ours"].accuracy(data.X_test, data.y_test),
            "sklearn_acc": float(trained["sklearn"].score(data.X_test.T, data.y_test))}


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=5, help="seeds; min/median/max over them")
    parser.add_argument("--repeats", type=int, default=3, help="timings per seed; each keeps its best")
    args = parser.parse_args(argv)
    runs = [run_once(args.hidden, args.epochs, args.batch, args.lr, seed, args.repeats) for seed in range(args.runs)]
    ratio = spread([r["ratio"] for r in runs])
    row = {"ours_s": statistics.median(r["ours_s"] for r in runs),
           "sklearn_s": statistics.median(r["sklearn_s"] for r in runs),
           "ratio_min": ratio["min"], "ratio": ratio["median"], "ratio_max": ratio["max"],
           "ours_acc": statistics.median(r["ours_acc"] for r in runs),
           "sklearn_acc": statistics.median(r["sklearn_acc"] for r in runs)}
    row["acc_gap_points"] = 100 * (row["ours_acc"] - row["sklearn_acc"])
    save("vs_sklearn", [row], per_seed=runs, settings=vars(args), sklearn=sklearn.__version__)
    print(markdown_table([row], list(row), {k: ".3f" for k in row} | {"acc_gap_points": "+.2f"}))
    return [row]


if __name__ == "__main__":
    main()
