"""How well e-mail intake understands real letters: every message of tests/data/emails/letters
through the same classification intake uses, compared with what each letter asks for.

Prints the outcome of every message that differs from its expectation, a table per language and
per right, how many letters' requests would run on the jurisdiction the letter states (where it
says its writer lives or which law it invokes; the default, EU, where it states none), and
last: `rights recognised: N/M (P %), wrong requests: K`.

A right is recognised when intake would make its request (or, for a right intake does not make
from a letter, an appeal, names it and hands the letter to ops for that reason alone). A wrong
request is a request for a right the letter does not ask, or any request from a message that
should make none. Run: `.venv/bin/python benchmarks/mail_recognition.py` (a few seconds).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))

from rightsflow.domain.mail_classification import (  # noqa: E402
    MailOutcome,
    classify,
    intake_accepts,
)

CORPUS = ROOT / "tests" / "data" / "emails" / "letters"
OUR_ADDRESSES = frozenset({"privacy@rightsflow.example"})


def main() -> int:  # noqa: PLR0915 - one loop that tallies every table
    expected = yaml.safe_load((CORPUS / "expected.yaml").read_text())
    by_language: dict[str, list[int]] = defaultdict(
        lambda: [0, 0, 0, 0]
    )  # found, asked, wrong, lang ok
    by_right: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # found, asked, wrong
    outcomes_right = 0
    found_total = asked_total = wrong_total = pending = 0
    holdout = [0, 0, 0]  # found, asked, wrong: letters written after the tables were tuned
    places = [0, 0, 0]  # as stated, letters that state one, letters checked
    started = time.perf_counter()
    for name in sorted(expected):
        facts = expected[name]
        decision = classify(
            (CORPUS / name).read_bytes(),
            envelope_sender=facts.get("envelope"),
            max_bytes=10 * 1024 * 1024,
            our_addresses=OUR_ADDRESSES,
        )
        asked = set(facts.get("rights", []))
        named = set(decision.rights)
        waiting = {r for r in named if not intake_accepts(r)}
        only_waiting = (
            decision.outcome is MailOutcome.TRIAGE
            and waiting
            and not any("refused" in reason for reason in decision.reasons)
        )
        made = named if decision.outcome is MailOutcome.REQUEST or only_waiting else set()
        if only_waiting:
            pending += 1
        expected_outcome = facts["outcome"]
        effective = "request" if only_waiting else decision.outcome.value
        outcomes_right += effective == expected_outcome
        language = facts.get("language", "und")
        row = by_language[language]
        # A letter that must go to ops (a refused address) is recognised when its rights are named.
        recognised = named if expected_outcome == "triage" == effective else made
        for right in asked:
            row[1] += 1
            by_right[right][1] += 1
            if right in recognised:
                row[0] += 1
                by_right[right][0] += 1
        wrong = made - asked
        for right in wrong:
            row[2] += 1
            by_right[right][2] += 1
        row[3] += decision.language == language or expected_outcome in {"ignored", "malformed"}
        found_total += len(asked & recognised)
        if facts.get("holdout"):
            holdout[0] += len(asked & recognised)
            holdout[1] += len(asked)
            holdout[2] += len(wrong)
        asked_total += len(asked)
        wrong_total += len(wrong)
        stated = facts.get("jurisdiction")
        place_wrong = stated is not None and decision.jurisdiction != stated
        if stated is not None:
            places[0] += not place_wrong
            places[1] += stated != "EU"
            places[2] += 1
        if effective != expected_outcome or recognised != asked or wrong or place_wrong:
            print(
                f"  {name}: expected {expected_outcome} {sorted(asked)} ({language}, "
                f"{stated or '-'}), got {decision.outcome.value} {list(decision.rights)} "
                f"({decision.language}, {decision.jurisdiction}); "
                + "; ".join(decision.reasons[1:4])
            )
    elapsed = time.perf_counter() - started
    print()
    print(
        f"{'language':<10}{'messages':>9}{'rights':>8}{'found':>7}{'wrong':>7}{'language ok':>13}"
    )
    counts: dict[str, int] = defaultdict(int)
    for facts in expected.values():
        counts[facts.get("language", "und")] += 1
    for language in sorted(by_language):
        found, asked, wrong, language_ok = by_language[language]
        print(f"{language:<10}{counts[language]:>9}{asked:>8}{found:>7}{wrong:>7}{language_ok:>13}")
    print()
    print(f"{'right':<30}{'asked':>7}{'found':>7}{'wrong':>7}")
    for right in sorted(by_right):
        found, asked, wrong = by_right[right]
        print(f"{right:<30}{asked:>7}{found:>7}{wrong:>7}")
    print()
    print(f"messages: {len(expected)}, outcome as expected: {outcomes_right}/{len(expected)}")
    print(f"letters handed to ops only because intake makes no such request (appeals): {pending}")
    print(
        f"hold-out letters (first run 9/11; see letters_holdout.py): {holdout[0]}/{holdout[1]} "
        "rights recognised, "
        f"wrong requests: {holdout[2]}"
    )
    print(
        f"jurisdiction as the letter states it: {places[0]}/{places[2]} letters "
        f"({places[1]} state a place or a law other than the GDPR)"
    )
    print(f"classification time: {elapsed / len(expected) * 1000:.0f} ms per message")
    share = 100 * found_total / asked_total if asked_total else 0.0
    print(
        f"rights recognised: {found_total}/{asked_total} ({share:.1f} %), wrong requests: {wrong_total}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
