"""Print the mutation score that `make mutants` measured: per module, mutants killed out of those tested.

    python tools/mutation_score.py [MUTANTS_FOLDER]

Reads the results mutmut keeps beside each mutated file (``mutants/**/*.py.meta``). A mutant the
tests made fail, or that timed out (an endless loop), counts as killed; one they let pass
survived; "no tests" are mutants in code no selected test runs. The score is killed out of
killed + survived + no tests. The survivors judged equivalent are listed, with why, in the README.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 24, -24, 36, 152, 255}  # failed tests, or a timeout (mutmut's exit codes)
SURVIVED = {0}
UNTESTED = {5, 33}


def scores(folder: Path) -> dict[str, Counter[str]]:
    """Module -> counts of killed, survived and untested mutants."""
    found: dict[str, Counter[str]] = {}
    for meta in sorted(folder.rglob("*.py.meta")):
        module = meta.relative_to(folder).as_posix().removesuffix(".meta")
        results = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts: Counter[str] = Counter()
        for code in results.values():
            counts[
                "killed"
                if code in KILLED
                else "survived"
                if code in SURVIVED
                else "untested"
                if code in UNTESTED
                else "other"
            ] += 1
        if sum(counts.values()):
            found[module] = counts
    return found


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "mutants")
    found = scores(folder)
    total: Counter[str] = Counter()
    print(f"{'module':<52} {'killed':>7} {'survived':>9} {'no tests':>9} {'score':>7}")
    for module, counts in found.items():
        total += counts
        tested = counts["killed"] + counts["survived"] + counts["untested"]
        print(
            f"{module:<52} {counts['killed']:>7} {counts['survived']:>9} {counts['untested']:>9}"
            f" {counts['killed'] / tested if tested else 1:>7.1%}"
        )
    tested = total["killed"] + total["survived"] + total["untested"]
    score = total["killed"] / tested if tested else 1.0
    print(f"{'all':<52} {total['killed']:>7} {total['survived']:>9} {total['untested']:>9} {score:>7.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
