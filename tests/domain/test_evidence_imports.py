"""The evidence rules import only the standard library and domain.vocabulary, so they can be shipped to a
standalone verifier: a module of domain/evidence that reached for anything else would fail here."""

from __future__ import annotations

from pathlib import Path

import domain
import domain.evidence
import domain.vocabulary
from tests import import_checks

PACKAGE = "domain.evidence"


def outside_imports(source: str) -> list[str]:
    return import_checks.outside_imports(source, PACKAGE, import_checks.within(PACKAGE, "domain.vocabulary"))


def test_the_evidence_rules_import_only_the_standard_library_and_the_vocabulary():
    modules = sorted(Path(domain.evidence.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    # domain/__init__.py too: the audit pack ships it, as the package the rules are imported from.
    for path in [*modules, Path(domain.vocabulary.__file__), Path(domain.__file__)]:
        assert outside_imports(path.read_text()) == [], path


def test_the_check_sees_an_import_from_outside():
    source = """
import flask
from domain import vocabulary, application
from domain.evidence.facts import PolicyFacts
from .. import wording
from ..vocabulary import STAGES
from . import rungs


def later():
    from projections import evidence
"""
    assert outside_imports(source) == [
        "flask",
        "domain.application",
        "domain.wording",
        "projections.evidence",
    ]
