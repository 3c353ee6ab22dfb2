"""What a history file holds, as it is recorded: records per type, and per policy, cycle and stage.

Printed by `cotrace import` (and by `--dry-run`, before anything is recorded), so that a mistake the
rules cannot see, such as contributions filed under the wrong stage, shows in the counts. The stage
is the one each record was really filed under: a contribution that names none takes the policy's
current stage, as the command does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.application import Cotrace
from domain.evidence import counted
from domain.policies import Policy
from domain.vocabulary import STAGES, stage_label

# The records filed under a stage of a policy's cycle, and what one of each is called in the summary.
FILED_UNDER_A_STAGE = {
    "stage": "stage entered",
    "contribution": "contribution",
    "decision": "decision",
    "claimed_rung": "claimed rung",
}


@dataclass
class ImportSummary:
    by_type: Counter[str] = field(default_factory=Counter)
    # (policy title, cycle, stage) -> record type -> how many
    by_stage: dict[tuple[str, int, str], Counter[str]] = field(default_factory=dict)

    def count(self, app: Cotrace, record: dict[str, Any], ids: dict[str, UUID]) -> None:
        """Counts one record, just after its command recorded it (the policy is as it left it)."""
        kind = record["type"]
        self.by_type[kind] += 1
        if kind not in FILED_UNDER_A_STAGE:
            return
        policy: Policy = app.repository.get(ids[record["policy"]])
        current = policy.current
        assert current is not None
        where = (policy.title, current.cycle, record.get("stage") or current.stage)
        self.by_stage.setdefault(where, Counter())[kind] += 1

    def lines(self) -> list[str]:
        """The summary as `cotrace import` prints it: each type, then each policy's cycles and stages."""
        lines = ["Records by type:"]
        lines += [f"  {kind}: {count}" for kind, count in self.by_type.items()]
        if self.by_stage:
            lines.append("By policy and stage:")
        titles = list(dict.fromkeys(title for title, _, _ in self.by_stage))
        for (title, cycle, stage), counts in sorted(
            self.by_stage.items(),
            key=lambda item: (titles.index(item[0][0]), item[0][1], STAGES.index(item[0][2])),
        ):
            found = ", ".join(
                counted(counts[kind], word) for kind, word in FILED_UNDER_A_STAGE.items() if counts[kind]
            )
            lines.append(f"  {title}, cycle {cycle}, {stage_label(stage)}: {found}")
        return lines
