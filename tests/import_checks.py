"""What a module imports beyond what its package may use: for the packages a standalone verifier
ships (domain/evidence, cotrace/seal), held to the standard library and one or two more."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable


def within(package: str, *also: str) -> Callable[[str], bool]:
    """Whether a module may be imported by `package`: the standard library, the package itself, and
    each of `also` (a package, with its modules)."""

    def allowed(module: str) -> bool:
        return module.split(".")[0] in sys.stdlib_module_names or any(
            module == name or module.startswith(name + ".") for name in (package, *also)
        )

    return allowed


def outside_imports(source: str, package: str, allowed: Callable[[str], bool]) -> list[str]:
    """The imports of a module of `package` that `allowed` refuses, relative ones resolved."""
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
