"""cotrace/seal imports only the standard library and `cryptography`, so that the standalone verifier can ship
it as it is: a module of cotrace/seal that reached for anything else (the app, a framework) would fail here.

The import-linter contract in pyproject.toml says the same for the packages it knows; this test also
catches a package nobody thought to list.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import cotrace.seal

PACKAGE = "cotrace.seal"


def allowed(module: str) -> bool:
    top = module.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or top == "cryptography"
        or module == PACKAGE
        or module.startswith(PACKAGE + ".")
    )


def outside_imports(source: str, package: str = PACKAGE) -> list[str]:
    """What a module imports beyond the standard library, cryptography and cotrace.seal."""
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
                found.extend(
                    f"{base}.{alias.name}" for alias in node.names if not allowed(f"{base}.{alias.name}")
                )
    return found


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
