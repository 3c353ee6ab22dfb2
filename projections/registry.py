"""The registry of read models: every one the pages use, kept up to date by every unit of work.

Adding a read model is one module in this package, one line here, and its rebuild test.
"""

from __future__ import annotations

from projections.access import Access
from projections.audit_trail import AuditTrail
from projections.directory import Directory
from projections.evidence import Evidence
from projections.followups import Followups
from projections.minutes import Minutes
from projections.private_links import PrivateLinks
from projections.provenance import Provenance
from projections.runner import Projection
from projections.thresholds import PartnershipThresholds


def all_projections() -> list[Projection]:
    """A fresh instance of every read model, in the order a unit of work applies them."""
    return [
        Directory(),
        AuditTrail(),
        Evidence(),
        PartnershipThresholds(),
        Provenance(),
        Followups(),
        Access(),
        PrivateLinks(),
        Minutes(),
    ]
