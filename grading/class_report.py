"""The class at a glance: one offline HTML page per assignment, written after every grading run.

For each part: how many students got it right, the mistakes the checks recognised with how many students made
each, and the other failures grouped by message. Then the score histogram (from nbgrader's gradebook, so manual
grades and late penalties count), the late and the manual-pending submissions, the flagged submissions with
why, and the pairs of nearly identical answers side by side (:mod:`grading.similarity`). One file, no script,
nothing loaded from elsewhere: it opens from disk or a mail attachment.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from html import escape
from pathlib import Path

from nbgrader.api import Gradebook

from . import gradebook, similarity

NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?", re.IGNORECASE)
LIKELY = re.compile(r"Likely mistake: (.*?)\.?(?: \(in \w+\(.*\)\))?$", re.DOTALL)  # without the call it was in
STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:75em;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.n{text-align:right}pre{margin:0;white-space:pre-wrap;font-size:13px}.side{display:grid;
grid-template-columns:1fr 1fr;gap:1em}.side pre{background:#f7f7f7;padding:.5em;border:1px solid #ddd}
.none{color:#555}"""


def mistake_of(message: str) -> str | None:
    """The recognised mistake a failure message names ("dJ_dz: has no factor φ′(z)"), or None."""
    found = LIKELY.search(message)
    if found:
        return f"{message.split(' ', 1)[0]}: {found.group(1)}"
    return None


def shape_of(message: str) -> str:
    """A failure message with its numbers replaced by #, so that one kind of failure groups as one."""
    return NUMBER.sub("#", message)


def _table(head: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    if not rows:
        return '<p class="none">None.</p>'
    cells = "".join("<tr>" + "".join(f'<td class="n">{escape(str(v))}</td>' if i in numeric else
                                     f"<td>{escape(str(v))}</td>" for i, v in enumerate(row)) + "</tr>"
                    for row in rows)
    return ("<table><thead><tr>" + "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
            + f"</tr></thead><tbody>{cells}</tbody></table>")


def _parts(results: list) -> str:
    by_part: dict[str, list[tuple[str, tuple]]] = defaultdict(list)
    for r in results:
        for part, outcome in r.parts.items():
            by_part[part].append((r.student, outcome))
    html = []
    for part, outcomes in by_part.items():
        right = sum(score >= maximum for _, (score, maximum, _) in outcomes)
        known, other, examples = Counter(), Counter(), {}
        for _, (score, maximum, message) in outcomes:
            if score >= maximum:
                continue
            mistake = mistake_of(message)
            if mistake:
                known[mistake] += 1
            else:
                other[shape_of(message)] += 1
                examples.setdefault(shape_of(message), message)
        html.append(f"<h3>{escape(part)}: {right} of {len(outcomes)} right ({100 * right / len(outcomes):.0f}%)</h3>"
                    "<h4>Recognised mistakes</h4>"
                    + _table(["mistake", "students"], [[m, n] for m, n in known.most_common()], {1})
                    + "<h4>Other failures, grouped by message</h4>"
                    + _table(["message (one example)", "students"], [[examples[s], n] for s, n in other.most_common()],
                             {1}))
    return "".join(html)


def _histogram(scores: list[float], maximum: float) -> str:
    """Inline SVG bars: how many students have each score (rounded down to a whole point)."""
    if not scores:
        return '<p class="none">No scores recorded.</p>'
    bins = Counter(min(int(s), int(maximum)) for s in scores)
    top, width, height, margin = max(bins.values()), 30, 160, 20  # margin: room above the tallest bar's count
    bars = []
    for i in range(int(maximum) + 1):
        h, x = height * bins[i] / top, 40 + i * width
        bars.append(f'<rect x="{x}" y="{margin + height - h:.1f}" width="{width - 4}" height="{h:.1f}" '
                    f'fill="#3a7dbf"><title>{bins[i]} student(s) with score {i}</title></rect>'
                    f'<text x="{x + width / 2 - 2}" y="{margin + height + 18}" text-anchor="middle">{i}</text>'
                    f'<text x="{x + width / 2 - 2}" y="{margin + height - h - 5:.1f}" text-anchor="middle">'
                    f"{bins[i] or ''}</text>")
    label = f"Histogram of the total scores, out of {maximum:g}"
    return (f'<svg role="img" aria-label="{label}" width="{60 + (int(maximum) + 1) * width}" '
            f'height="{margin + height + 50}" font-size="12">{"".join(bars)}'
            f'<text x="40" y="{margin + height + 40}">score (points)</text></svg>')


def _copies(pairs: list[similarity.Pair]) -> str:
    if not pairs:
        return '<p class="none">No pair of answers is nearly the same.</p>'
    html = []
    for pair in pairs:
        a, b = pair.students
        html.append(f"<h3>{escape(a)} and {escape(b)}, {escape(pair.notebook)}: "
                    f"{100 * pair.similarity:.0f}% alike</h3>")
        for gid, left, right in pair.cells:
            html.append(f'<p>{escape(gid)}</p><div class="side"><div>{escape(a)}<pre>{escape(left)}</pre></div>'
                        f"<div>{escape(b)}<pre>{escape(right)}</pre></div></div>")
    return "".join(html)


def write(root: Path, assignment: str, results: list, folder: Path) -> Path:
    """Write ``<assignment>_class.html`` into ``folder``, after nbgrader has recorded the scores."""
    with Gradebook(gradebook.course_config(root).CourseDirectory.db_url) as book:
        submissions = [(s.student_id, s.score, s.max_score, s.total_seconds_late, s.needs_manual_grade)
                       for s in book.assignment_submissions(assignment)]
    maximum = max((m for _, _, m, _, _ in submissions), default=0.0)
    late = [[student, f"{seconds / 3600:.1f}"] for student, _, _, seconds, _ in sorted(submissions) if seconds > 0]
    manual = [[student] for student, _, _, _, pending in sorted(submissions) if pending]
    flagged = [[r.student, r.notebook, "; ".join(r.notes)] for r in sorted(results, key=lambda r: r.student)
               if r.notes]
    pairs = similarity.find(root, assignment)
    students = len({r.student for r in results})
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(assignment)}: the class'
            f"</title><style>{STYLE}</style></head><body><main><h1>{escape(assignment)}: the class at a glance</h1>"
            f"<p>{students} student(s), {len(results)} notebook(s) graded.</p>"
            f"<h2>Each part</h2>{_parts(results)}"
            f"<h2>Scores</h2>{_histogram([s for _, s, _, _, _ in submissions], maximum)}"
            f"<h2>Late submissions</h2>{_table(['student', 'hours late'], late, {1})}"
            f"<h2>Waiting for manual grading</h2>{_table(['student'], manual)}"
            f"<h2>Flagged submissions</h2>{_table(['student', 'notebook', 'why'], flagged)}"
            f"<h2>Nearly identical answers (to look at; no score changes)</h2>{_copies(pairs)}"
            "</main></body></html>")
    path = folder / f"{assignment}_class.html"
    path.write_text(page)
    return path
