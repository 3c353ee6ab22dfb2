"""The evidence rules import only the standard library and domain.vocabulary, so they can be shipped to a
standalone verifier: a module of domain/evidence that reached for anything else would fail here."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import domain.evidence
import domain.vocabulary

PACKAGE = "domain.evidence"


def allowed(module: str) -> bool:
    return (
        module.split(".")[0] in sys.stdlib_module_names
        or module == "domain.vocabulary"
        or module == PACKAGE
        or module.startswith(PACKAGE + ".")
    )


def outside_imports(source: str, package: str = PACKAGE) -> list[str]:
    """What a module imports beyond the standard library, domain.vocabulary and domain.evidence."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names if not allowed(alias.name))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package the module sits in, up level - 1
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            if not allowed(base):
                # `from domain import vocabulary` names its module after the import.
                found.extend(
                    f"{base}.{alias.name}" for alias in node.names if not allowed(f"{base}.{alias.name}")
                )
    return found


def test_the_evidence_rules_import_only_the_standard_library_and_the_vocabulary():
    modules = sorted(Path(domain.evidence.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    for path in [*modules, Path(domain.vocabulary.__file__)]:
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
