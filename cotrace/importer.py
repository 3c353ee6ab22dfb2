"""Bringing in an existing history: a YAML file of a partnership's past, checked whole, then recorded.

The file format is described in docs/import-format.md and docs/history.schema.json. Reading a file
(`load_history`) reports every problem it finds, each with its line, before anything is recorded.
Recording (`import_history`) goes through the same application commands as the web, so every rule
applies, in one unit of work: a rule broken by any record writes nothing at all.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import jsonschema
import yaml

from cotrace.history_commands import COMMANDS, FIELD_NAMES
from cotrace.import_summary import ImportSummary
from cotrace.services import Services
from domain.application import Cotrace
from domain.errors import CotraceError, RulesBroken
from domain.wording import printable
from projections.reads import all_partnerships

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "history.schema.json"

# The things a record can name by key, and the record types that define each.
KINDS = {"participant", "policy", "meeting", "contribution", "decision", "action"}
# Each record type's references: field -> the kind of thing it names; a list field names several.
REFERENCES: dict[str, dict[str, str]] = {
    "contact_preferences": {"participant": "participant"},
    "chair": {"participant": "participant"},
    "stage": {"policy": "policy"},
    "new_cycle": {"policy": "policy"},
    "meeting": {"present": "participant", "apologies": "participant"},
    "agenda_item": {"meeting": "meeting", "policy": "policy"},
    "access_adjustment": {"meeting": "meeting"},
    "contribution": {"policy": "policy", "contributor": "participant", "meeting": "meeting"},
    "response": {"contribution": "contribution", "responded_by": "participant"},
    "decision": {
        "policy": "policy",
        "meeting": "meeting",
        "proposed_by": "participant",
        "decided_by": "participant",
        "cites": "contribution",
        "consulted": "participant",
        "informed": "participant",
        "supersedes": "decision",
        "dissent.by": "participant",
    },
    "correction": {"decision": "decision"},
    "reversal": {"decision": "decision", "meeting": "meeting"},
    "rating": {"policy": "policy", "meeting": "meeting"},
    "version": {"policy": "policy"},
    "adoption": {"policy": "policy"},
    "retirement": {"policy": "policy"},
    "transparency_page": {"policy": "policy"},
    "claimed_rung": {"policy": "policy", "claimed_by": "participant"},
    "action": {"meeting": "meeting", "owner": "participant"},
    "action_done": {"action": "action"},
    "minutes_approved": {"meeting": "meeting", "approved_by": "participant"},
}

Path_ = tuple[str | int, ...]

# A history is text: a few hundred kilobytes for years of meetings. Far more is a mistake, or an attack.
MAX_FILE_BYTES = 10 * 1024 * 1024
# Records sit a few levels deep; hundreds of levels only exhaust the reader's stack.
MAX_DEPTH = 50


@dataclass(frozen=True)
class ImportProblem:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "the file"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class HistoryInvalid(CotraceError):
    """The file cannot be recorded as it stands; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class History:
    partnership: str
    records: list[dict[str, Any]]
    lines: dict[Path_, int] = field(default_factory=dict)  # path in the file -> line (from 1)

    def line_of(self, path: Path_) -> int | None:
        """The line of the deepest part of `path` the file has (a missing field: its record's line)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def describe(self, index: int) -> str:
        """A record as a person finds it: its number counting from 1, its type and key."""
        record = self.records[index]
        key = record.get("key")
        named = f" '{key}'" if isinstance(key, str) else ""
        return f"record {index + 1} ({record.get('type', 'record')}{named})"


@dataclass(frozen=True)
class Imported:
    partnership_id: UUID
    ids: dict[str, UUID]  # each key in the file -> the id of what it names
    records: int
    summary: ImportSummary = field(default_factory=ImportSummary)  # per type, per policy and stage


class _DryRunDone(Exception):
    """Raised at the end of a dry run so the unit of work rolls back."""

    def __init__(self, imported: Imported) -> None:
        self.imported = imported


class FileRefused(CotraceError):
    """The file cannot be read as a history at all: one line says why; nothing was recorded."""


def read_history_file(path: Path) -> str:
    """The text of a history file, refused in one line if it is not a regular UTF-8 file of a sane size.

    A FIFO or a device (/dev/zero) would be read for ever, so only a regular file is opened, and no
    more than MAX_FILE_BYTES + 1 bytes of it are read.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise FileRefused(f"{path} cannot be read ({error.strerror}). Nothing was recorded.") from None
    if not stat.S_ISREG(mode):
        raise FileRefused(
            f"{path} is not a regular file (a pipe, a device or a folder): give the path of a YAML "
            "file. Nothing was recorded."
        )
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise FileRefused(f"{path} cannot be read ({error.strerror}). Nothing was recorded.") from None
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, far more than a history "
            "needs: check it is the right file. Nothing was recorded."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(f"{path} is UTF-16 text: save it as UTF-8 and try again. Nothing was recorded.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            f"{path} is not UTF-8 text (byte {error.start + 1} cannot be read): save it as UTF-8 and "
            "try again. Nothing was recorded."
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileRefused(
            f"{path} holds a NUL character (line {line}): it is not a text file, or not saved as "
            "UTF-8. Nothing was recorded."
        )
    return text


class _HistoryLoader(yaml.SafeLoader):
    """YAML as the schema sees it: dates stay text (checked as ISO dates by us), nothing else changes.

    Aliases (`*name`) are refused: a few hundred bytes of nested aliases expand to gigabytes (a
    "billion laughs"), and a history never needs one. Nesting deeper than MAX_DEPTH is refused
    too, before it exhausts the stack."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not accepted: write the value out in full",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"it is nested more than {MAX_DEPTH} levels deep, far deeper than a history",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_HistoryLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _printable(value: Any) -> Any:
    """The file's text as the forms take it: YAML's escapes ("\\0") can still write control
    characters, which XML cannot hold and PostgreSQL cannot store (NUL)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable(item) for item in value]
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    return value


def load_history(text: str) -> History:
    """Reads and checks a whole file: its YAML, the schema, keys, references and dates.

    Raises HistoryInvalid with every problem found, in the order of the file.
    """
    loader: _HistoryLoader | None = None
    try:
        loader = _HistoryLoader(text)  # reading starts here: a character YAML refuses raises at once
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise HistoryInvalid([ImportProblem(line, "", f"This is not valid YAML: {error.problem}")]) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (a control character)
        line = text.count("\n", 0, error.position) + 1
        message = f"This is not valid YAML: character #x{error.character:04x} is not allowed in YAML text"
        raise HistoryInvalid([ImportProblem(line, "", message)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    data = _printable(data)
    lines: dict[Path_, int] = {}
    problems: list[ImportProblem] = []
    if node is not None:
        _map_lines(node, (), lines, problems)
    history = History(
        partnership=data.get("partnership", "") if isinstance(data, dict) else "",
        records=[r if isinstance(r, dict) else {} for r in _records(data)],
        lines=lines,
    )
    problems += _schema_problems(data, history)
    problems += _reference_and_date_problems(_records(data), history)
    if problems:
        unique = list(dict.fromkeys(problems))  # a field can break two rules that say the same
        raise HistoryInvalid(sorted(unique, key=lambda p: p.line or 0))
    return history


def import_history(
    services: Services,
    history: History,
    actor: UUID,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
) -> Imported:
    """Records the history as one unit of work; a dry run tries every command, then rolls back.

    A partnership of the same name already recorded is refused: importing a file twice would
    otherwise record its whole history twice.
    """
    with services.engine.connect() as conn:
        if any(p["name"] == history.partnership.strip() for p in all_partnerships(conn)):
            message = (
                f"A partnership called '{history.partnership.strip()}' is recorded already: "
                "this file may have been imported before. To import it as another partnership, rename it"
            )
            raise HistoryInvalid([ImportProblem(history.line_of(("partnership",)), "partnership", message)])

    def run(app: Cotrace, actor: UUID) -> Imported:
        imported = record_history(app, actor, history, progress)
        if dry_run:
            raise _DryRunDone(imported)
        return imported

    try:
        return services.run(run, actor)
    except _DryRunDone as done:
        return done.imported


def record_history(
    app: Cotrace, actor: UUID, history: History, progress: Callable[[], None] | None = None
) -> Imported:
    """Records each record through its application command, in the file's order."""
    partnership_id = app.form_partnership(actor, history.partnership)
    context = _Context(partnership_id, {}, {})
    summary = ImportSummary()
    for index, record in enumerate(history.records):
        try:
            COMMANDS[record["type"]](app, actor, record, context)
        except RulesBroken as broken:
            raise HistoryInvalid(_rule_problems(history, index, broken)) from None
        except CotraceError as error:
            line = history.line_of(("records", index))
            raise HistoryInvalid([ImportProblem(line, history.describe(index), str(error))]) from None
        summary.count(app, record, context.ids)
        if progress:
            progress()
    return Imported(partnership_id, dict(context.ids), len(history.records), summary)


@dataclass
class _Context:
    partnership_id: UUID
    ids: dict[str, UUID]
    records: dict[str, dict[str, Any]]  # key -> its record, for what a later record needs of it


def _rule_problems(history: History, index: int, broken: RulesBroken) -> list[ImportProblem]:
    record = history.records[index]
    names = FIELD_NAMES.get(record["type"], {})
    problems = []
    for problem in broken.problems:
        name = names.get(problem.field, problem.field)
        path = ("records", index, name) if name in record else ("records", index)
        where = f"{history.describe(index)}, {name}" if name in record else history.describe(index)
        problems.append(ImportProblem(history.line_of(path), where, problem.message))
    return problems


def _records(data: Any) -> list[Any]:
    records = data.get("records") if isinstance(data, dict) else None
    return records if isinstance(records, list) else []


def _map_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(
                    ImportProblem(
                        key_node.start_mark.line + 1,
                        _format_path((*path, key)),
                        f"'{key}' is given twice here: keep one",
                    )
                )
            seen.add(key)
            _map_lines(value_node, (*path, key), lines, problems)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _map_lines(item, (*path, i), lines, problems)


def _format_path(path: Path_) -> str:
    """records, 36, decided_by, 1 -> 'record 37, decided_by[2]': numbers count from 1, as people count."""
    if len(path) >= 2 and path[0] == "records" and isinstance(path[1], int):
        text = f"record {path[1] + 1}"
        rest = path[2:]
    else:
        text, rest = "", path
    for part in rest:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f", {part}" if text else str(part)
    return text


def _schema_problems(data: Any, history: History) -> list[ImportProblem]:
    validator = jsonschema.Draft202012Validator(load_schema())
    problems = []
    for error in validator.iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            path = (*path, extra[0]) if extra else path  # point at the field to remove
        problems.append(ImportProblem(history.line_of(path), _format_path(path), _message(error)))
    return problems


def _message(error: jsonschema.ValidationError) -> str:
    """jsonschema's findings in plain English, saying what to do."""
    schema, value, kind = error.schema, error.instance, error.validator
    name = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    if kind == "required":
        missing = [f for f in error.validator_value if not (isinstance(value, dict) and f in value)]
        return f"Add '{missing[0]}': this record needs it" if missing else error.message
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(schema.get("properties", {})))
        return f"Remove {', '.join(repr(e) for e in extra)}: not a field of this record (check the spelling)"
    if kind == "enum" and name == "method" and schema["enum"] == ["delegated", "authority_only"]:
        return (
            "A decision outside a meeting is delegated or authority_only: "
            "for a consensus or a vote, give the meeting where it was taken"
        )
    if kind in ("enum", "const"):
        choices = schema.get("enum") or [schema.get("const")]
        return f"{value!r} is not allowed here: use one of {', '.join(map(str, choices))}"
    if kind == "pattern" and schema.get("format") == "date":
        return f"Enter the date as YYYY-MM-DD, for example 2025-03-14 (found {value!r})"
    if kind == "pattern" and schema.get("pattern", "").startswith("^[A-Za-z0-9]"):
        return "A key is letters, digits, '-' and '_', starting with a letter or digit"
    if kind == "pattern" and name == "content_hash":
        return "Enter the document's SHA-256 checksum: 64 characters, 0-9 and a-f"
    if kind in ("pattern", "minLength"):
        return f"Enter the {name.replace('_', ' ') or 'text'}: it cannot be empty"
    if kind == "maxLength":
        return f"This must be {schema['maxLength']:,} characters or fewer"
    if kind == "minItems":
        return "Name at least one person here"
    if kind == "type":
        wanted = {
            "string": "text",
            "array": "a list",
            "object": "a set of fields",
            "integer": "a whole number",
            "number": "a number",
        }
        expected = error.validator_value
        return f"This should be {wanted.get(expected, expected)}"
    if kind == "not":
        return (
            "A decision outside a meeting has no proposer, votes or dissent: "
            "give the meeting it was taken at, or leave them out"
        )
    return error.message


def _reference_and_date_problems(records: list[Any], history: History) -> list[ImportProblem]:
    """Keys unique; every reference to a key defined earlier, of the right kind; real dates."""
    problems = []
    defined: dict[str, str] = {}  # key -> the kind it names

    def problem(path: Path_, message: str) -> None:
        problems.append(ImportProblem(history.line_of(path), _format_path(path), message))

    for index, record in enumerate(records):
        if not isinstance(record, dict):
            continue
        kind = record.get("type")
        for name, value in record.items():
            if name.endswith("_on") and isinstance(value, str) and len(value) == 10:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    problem(("records", index, name), f"{value} is not a real date: check the day and month")
        for name, wanted in REFERENCES.get(kind, {}).items():
            for path, ref in _references(record, index, name):
                if not isinstance(ref, str):
                    continue
                if ref not in defined:
                    problem(path, f"'{ref}' is not defined earlier in the file: define it before this record")
                elif defined[ref] != wanted:
                    problem(path, f"'{ref}' is a {defined[ref]}: name a {wanted} here")
        key = record.get("key")
        if isinstance(key, str) and kind in KINDS:
            if key in defined:
                problem(("records", index, "key"), f"The key '{key}' is used already: give each its own")
            else:
                defined[key] = kind
    return problems


def _references(record: dict[str, Any], index: int, name: str) -> list[tuple[Path_, Any]]:
    """Where a record names other things: (path, key) for a field, each item of a list, dissent's 'by'."""
    if name == "dissent.by":
        notes = record.get("dissent")
        if not isinstance(notes, list):
            return []
        return [
            (("records", index, "dissent", i, "by"), note["by"])
            for i, note in enumerate(notes)
            if isinstance(note, dict) and "by" in note
        ]
    value = record.get(name)
    if isinstance(value, list):
        return [(("records", index, name, i), item) for i, item in enumerate(value)]
    return [(("records", index, name), value)] if name in record else []
