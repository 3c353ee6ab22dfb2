"""cotrace/seal imports only the standard library and `cryptography`, so that the standalone verifier can ship
it as it is: a module of cotrace/seal that reached for anything else (the app, a framework) would fail here.

The import-linter contract in pyproject.toml says the same for the packages it knows; this test also
catches a package nobody thought to list.
"""

from __future__ import annotations

from pathlib import Path

import cotrace.seal
from tests import import_checks

PACKAGE = "cotrace.seal"


def outside_imports(source: str) -> list[str]:
    return import_checks.outside_imports(source, PACKAGE, import_checks.within(PACKAGE, "cryptography"))


def test_the_seal_imports_only_the_standard_library_and_cryptography():
    modules = sorted(Path(cotrace.seal.__file__).parent.glob("*.py"))
    assert {path.name for path in modules} >= {"merkle.py", "signed_note.py", "checkpoint.py", "proofs.py"}
    for path in modules:
        assert outside_imports(path.read_text()) == [], path


def test_the_check_sees_an_import_from_outside():
    source = """
import hashlib
import sqlalchemy
from cryptography.hazmat.primitives.asymmetric import ed25519
from cotrace import settings, seal
from cotrace.services import open_cotrace
from .signed_note import NoteError
from .. import levels


def later():
    from domain.evidence import rules
"""
    assert outside_imports(source) == [
        "sqlalchemy",
        "cotrace.settings",
        "cotrace.services.open_cotrace",
        "cotrace.levels",
        "domain.evidence.rules",
    ]
