"""A file `cotrace import` cannot take is refused in one line naming it: never a traceback, never a hang.

Found by a tester (issue 12): an alias bomb ran out of memory, /dev/zero or a FIFO read for ever,
UTF-16, a NUL or deep nesting printed a raw traceback.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from cotrace import importer
from tests.conftest import ADMIN


def refused(result, file: Path | str, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert str(file) in result.output
    assert "Nothing was recorded" in result.output
    for word in words:
        assert word in result.output


def test_yaml_aliases_are_refused_before_they_expand(runner, tmp_path: Path):
    # A small "billion laughs": each level doubles the last. The real one is 468 bytes and many GB.
    levels = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 6)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(levels) + "\n", encoding="utf-8")
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(bomb)])
    refused(result, bomb, "aliases (*a0) are not accepted")
    assert f"{bomb}:2:" in result.output  # the line of the first alias


def test_a_file_that_is_not_a_regular_file_is_refused_before_it_is_read(runner):
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", "/dev/null"])
    refused(result, "/dev/null", "is not a regular file")


def test_a_fifo_is_refused_at_once(runner, tmp_path: Path):
    fifo = tmp_path / "history.yaml"
    os.mkfifo(fifo)
    # Were the FIFO opened for reading, this writer lets it end (empty) instead of blocking for ever.
    deadline = time.monotonic() + 3

    def unblock() -> None:
        while time.monotonic() < deadline:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                return
            except OSError:
                time.sleep(0.05)

    threading.Thread(target=unblock, daemon=True).start()
    started = time.monotonic()
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(fifo)])
    refused(result, fifo, "is not a regular file")
    assert time.monotonic() - started < 2


def test_a_file_too_large_is_refused(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1024 * 1024)
    big = tmp_path / "history.yaml"
    big.write_text("# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(big)])
    refused(result, big, "is larger than 1 MB")


def test_the_size_limit_allows_any_real_history():
    assert importer.MAX_FILE_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_is_explained(runner, tmp_path: Path, encoding: str):
    file = tmp_path / "history.yaml"
    text = "partnership: Café partnership\n"
    file.write_bytes(
        text.encode(encoding) if encoding == "utf-16" else "\ufeff".encode(encoding) + text.encode(encoding)
    )
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(file)])
    refused(result, file, "is UTF-16 text: save it as UTF-8")


def test_a_nul_is_explained(runner, tmp_path: Path):
    file = tmp_path / "history.yaml"
    file.write_bytes(b"partnership: Riverside\nrecords:\x00\n")
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(file)])
    refused(result, file, "holds a NUL character (line 2)")


def test_a_control_character_is_explained_with_its_line(runner, tmp_path: Path):
    file = tmp_path / "history.yaml"
    file.write_bytes(b"partnership: Riverside\nrecords: \x07\n")
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(file)])
    refused(result, file, f"{file}:2:", "#x0007 is not allowed")


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, "\n  " + "- " * 5000 + "x"])
def test_deep_nesting_is_explained(runner, tmp_path: Path, nested: str):
    file = tmp_path / "history.yaml"
    file.write_text(f"partnership: Riverside\nrecords: {nested}\n", encoding="utf-8")
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(file)])
    refused(result, file, "nested more than 50 levels deep")


def test_a_utf8_file_with_a_byte_order_mark_is_read(runner, tmp_path: Path):
    file = tmp_path / "history.yaml"
    file.write_bytes("\ufeffpartnership: Riverside\nrecords: []\n".encode())
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(file)])
    assert "Traceback" not in result.output
    assert "BOM" not in result.output and "\ufeff" not in result.output
