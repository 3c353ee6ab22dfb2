"""The level page's figures, made in the application layer (cotrace/evidence_figures.py) so they can
be kept with the verdicts; named here too, where the page's charts are drawn."""

from cotrace.evidence_figures import (
    all_charts,
    attendance_by_group,
    citizen_decision_share,
    contributions_by_response,
    response_times,
    stage_timeline,
)

__all__ = [
    "all_charts",
    "attendance_by_group",
    "citizen_decision_share",
    "contributions_by_response",
    "response_times",
    "stage_timeline",
]
