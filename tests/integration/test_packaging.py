"""How the project is packaged: an editable install (what `make run` makes) without setuptools'
warning about folders named like the package, and with every layer and the verifier in it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_the_packages_are_declared_at_the_top_of_the_project():
    # setuptools writes a plain .pth file, and no warning, only when the root package folder is "".
    assert SETUPTOOLS["package-dir"] == {"": "."}


def test_every_layer_and_the_verifier_are_installed():
    include = SETUPTOOLS["packages"]["find"]["include"]
    for layer in ("domain", "projections", "cotrace", "web", "cli"):
        assert f"{layer}*" in include
    assert SETUPTOOLS["py-modules"] == ["verify_audit_pack"]
