"""What a criterion's judgement holds, and the scope it judges.

A verdict carries its status, the figures behind it and the positions, in the log, of the events that
prove it, so an auditor can follow it into the audit trail. A scope is the whole policy, one cycle of
the Iriss co-production cycle, or one stage of a cycle (seed 000, Educational Freedom, *Co-Production
Guidelines* for Elective Home Education: co-production is continual, cycle after cycle).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.vocabulary import stage_label

PASS, FAIL, IN_PROGRESS, NOT_APPLICABLE = "pass", "fail", "in_progress", "not_applicable"


@dataclass(frozen=True)
class Verdict:
    criterion: str
    title: str
    status: str
    figures: tuple[str, ...] = ()
    refs: tuple[int, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scope:
    cycle: int | None = None  # None: the whole policy, every cycle
    stage: str | None = None  # None: the whole cycle

    @property
    def label(self) -> str:
        if self.cycle is None:
            return "Whole policy"
        if self.stage is None:
            return f"Cycle {self.cycle}"
        return f"Cycle {self.cycle}, {stage_label(self.stage)}"
