"""What the instructor reads after grading: a CSV of every part's score, a plot, and a summary.

Automatic parts come from the grader's results; what only the gradebook knows (the parts graded by hand, done
or pending, and late submissions) comes from ``gradebook.status``, so the reports agree with ``grades.csv``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import matplotlib

from .grade import Result

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402


def load(folder: Path, assignment: str) -> list[Result]:
    """The results written by the last run (none if there was none)."""
    path = folder / f"{assignment}_results.json"
    if not path.is_file():
        return []
    return [Result(r["student"], r["notebook"], {p: (v["score"], v["max"], v["message"])
                                                 for p, v in r["parts"].items()}, r["notes"], r.get("file"))
            for r in json.loads(path.read_text())]


def merged(earlier: list[Result], latest: list[Result]) -> list[Result]:
    """The class's results with the latest run's in place of the same students' earlier ones."""
    regraded = {(r.student, r.notebook) for r in latest}
    kept = [r for r in earlier if (r.student, r.notebook) not in regraded]
    return sorted(kept + latest, key=lambda r: (r.student, r.notebook))


def write(results: list, assignment: str, folder: Path, status: dict | None = None) -> str:
    """Write ``<assignment>_parts.csv``, ``_results.json`` and ``_scores.png`` into ``folder``; return a summary.

    ``status`` maps (student, notebook) to the gradebook's ``Status`` (manual parts, lateness)."""
    status = status or {}
    rows = [_Row(r, status.get((r.student, r.notebook))) for r in results]
    parts = list(dict.fromkeys(part for r in results for part in r.parts))
    manual = list(dict.fromkeys(part for row in rows for part in row.manual))
    details = [{"student": r.student, "notebook": r.notebook, "score": r.score, "notes": r.notes, "file": r.file,
                "parts": {p: {"score": s, "max": m, "message": msg} for p, (s, m, msg) in r.parts.items()}}
               for r in results]
    (folder / f"{assignment}_results.json").write_text(json.dumps(details, indent=1, ensure_ascii=False))
    with open(folder / f"{assignment}_parts.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "notebook", *parts, *(f"{p} (manual)" for p in manual), "score", "max_score",
                         "hours_late", "notes"])
        for row in rows:
            r = row.result
            writer.writerow([r.student, r.notebook, *(r.parts[p][0] if p in r.parts else "" for p in parts),
                             *(row.manual_cell(p) for p in manual), row.score, row.maximum,
                             f"{row.hours_late:.2f}" if row.hours_late else "", " | ".join(r.notes)])
    plot = folder / f"{assignment}_scores.png"
    _plot(rows, parts, manual, assignment, plot)
    return _summary(rows, parts, manual, assignment, folder, plot)


class _Row:
    """One notebook's automatic result joined with what the gradebook adds."""

    def __init__(self, result: Result, status=None):
        self.result = result
        self.manual = status.manual if status else {}
        self.hours_late = status.seconds_late / 3600 if status else 0.0
        self.pending = [p for p, (score, _) in self.manual.items() if score is None]
        self.score = result.score + sum(score for score, _ in self.manual.values() if score is not None)
        self.maximum = sum(m for _, m, _ in result.parts.values()) + sum(m for _, m in self.manual.values())

    def manual_cell(self, part: str):
        score, _ = self.manual.get(part, ("", 0))
        return "pending" if score is None else score

    def full_marks(self, part: str) -> bool:
        if part in self.result.parts:
            score, maximum, _ = self.result.parts[part]
        else:
            score, maximum = self.manual.get(part, (None, 0))
        return score is not None and score >= maximum > 0


def _plot(rows: list[_Row], parts: list[str], manual: list[str], assignment: str, path: Path) -> None:
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]})
    labels = parts + [f"{p} (by hand, {sum(p in row.pending for row in rows)} pending)" for p in manual]
    rates = [sum(row.full_marks(p) for row in rows) / max(1, len(rows)) for p in parts + manual]
    left.barh(labels, [100 * rate for rate in rates], color=["tab:blue"] * len(parts) + ["tab:orange"] * len(manual))
    left.set_xlim(0, 100)
    left.set_xlabel("students with full marks (%)")
    left.invert_yaxis()
    left.set_title(f"{assignment}: each part")
    maximum = max((row.maximum for row in rows), default=1)
    late = [row for row in rows if row.hours_late]
    right.hist([[row.score for row in rows if not row.hours_late], [row.score for row in late]],
               bins=min(20, max(5, int(maximum) + 1)), range=(0, maximum), stacked=True,
               color=["tab:green", "tab:red"], label=["on time", "late"])
    right.set_xlabel(f"score (out of {maximum:g}" + (", manual parts pending)" if any(r.pending for r in rows)
                                                      else ")"))
    right.set_ylabel("students")
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_title("total score")
    if late:
        right.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _summary(rows: list[_Row], parts: list[str], manual: list[str], assignment: str, folder: Path,
             plot: Path) -> str:
    count = len(rows)
    maximum = max((row.maximum for row in rows), default=0)
    automatic = max((sum(m for _, m, _ in row.result.parts.values()) for row in rows), default=0)
    out_of = f"out of {maximum:g}" + (f" ({automatic:g} automatic, {maximum - automatic:g} by hand)"
                                      if maximum > automatic else "")
    lines = [f"{assignment}: {count} notebook(s) graded; mean score {sum(r.score for r in rows) / count:.2f} "
             f"{out_of}",
             *(f"  {p}: {sum(row.full_marks(p) for row in rows)}/{count} full marks" for p in parts)]
    for p in manual:
        pending = sum(p in row.pending for row in rows)
        lines.append(f"  {p} (graded by hand): {count - pending}/{count} graded, {pending} pending")
    if any(row.pending for row in rows):
        lines.append(f"Manual grading pending: grade it in the formgrader, then run `python -m grading {assignment} "
                     "--feedback` to write the feedback and export again.")
    late = [row for row in rows if row.hours_late]
    if late:
        lines.append(f"{len(late)} late submission(s): " + ", ".join(
            f"{row.result.student} ({row.hours_late:.1f} h)" if row.hours_late >= 1 else
            f"{row.result.student} ({60 * row.hours_late:.0f} min)" for row in late))
    flagged = [row.result for row in rows if row.result.flagged]
    if flagged:
        lines.append(f"{len(flagged)} submission(s) to look at:")
        lines += [f"  {r.student}/{r.notebook}: {'; '.join(r.notes)}" for r in flagged]
    lines.append(f"scores per part: {folder / (assignment + '_parts.csv')}; plot: {plot}; "
                 f"grades: {folder / 'grades.csv'}; feedback: .nbgrader/feedback/<student>/{assignment}/")
    return "\n".join(lines)
