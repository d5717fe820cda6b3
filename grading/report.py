"""What the instructor reads after grading: a CSV of every part's score, a plot, and a summary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402


def write(results: list, assignment: str, folder: Path) -> str:
    """Write ``<assignment>_parts.csv``, ``_results.json`` and ``_scores.png`` into ``folder``; return a summary."""
    parts = list(dict.fromkeys(part for r in results for part in r.parts))
    details = [{"student": r.student, "notebook": r.notebook, "score": r.score, "notes": r.notes,
                "parts": {p: {"score": s, "max": m, "message": msg} for p, (s, m, msg) in r.parts.items()}}
               for r in results]
    (folder / f"{assignment}_results.json").write_text(json.dumps(details, indent=1, ensure_ascii=False))
    with open(folder / f"{assignment}_parts.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "notebook", *parts, "score", "max_score", "notes"])
        for r in results:
            writer.writerow([r.student, r.notebook, *(r.parts[p][0] if p in r.parts else "" for p in parts),
                             r.score, sum(m for _, m, _ in r.parts.values()), " | ".join(r.notes)])
    plot = folder / f"{assignment}_scores.png"
    _plot(results, parts, assignment, plot)
    return _summary(results, parts, assignment, folder, plot)


def _plot(results: list, parts: list[str], assignment: str, path: Path) -> None:
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]})
    rates = [sum(r.parts[p][0] > 0 for r in results if p in r.parts) / max(1, len(results)) for p in parts]
    left.barh(parts, [100 * rate for rate in rates], color="tab:blue")
    left.set_xlim(0, 100)
    left.set_xlabel("students with full marks (%)")
    left.invert_yaxis()
    left.set_title(f"{assignment}: each part")
    maximum = max((sum(m for _, m, _ in r.parts.values()) for r in results), default=1)
    right.hist([r.score for r in results], bins=min(20, max(5, int(maximum) + 1)), range=(0, maximum),
               color="tab:green")
    right.set_xlabel(f"score (out of {maximum:g})")
    right.set_ylabel("students")
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_title("total score")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _summary(results: list, parts: list[str], assignment: str, folder: Path, plot: Path) -> str:
    scores = [r.score for r in results]
    lines = [f"{assignment}: {len(results)} notebook(s) graded; mean score {sum(scores) / len(scores):.2f}",
             *(f"  {p}: {sum(r.parts[p][0] > 0 for r in results if p in r.parts)}/{len(results)} full marks"
               for p in parts)]
    flagged = [r for r in results if r.flagged]
    if flagged:
        lines.append(f"{len(flagged)} submission(s) to look at:")
        lines += [f"  {r.student}/{r.notebook}: {'; '.join(r.notes)}" for r in flagged]
    lines.append(f"scores per part: {folder / (assignment + '_parts.csv')}; plot: {plot}; "
                 f"grades: {folder / 'grades.csv'}; feedback: .nbgrader/feedback/<student>/{assignment}/")
    return "\n".join(lines)
