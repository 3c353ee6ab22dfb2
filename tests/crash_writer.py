"""A writer to be killed: adds agenda items to one meeting, one command each, for ever, and after each
command returns appends an acknowledgement line to a file, flushed and fsynced: what the writer was
told is saved. Its forms' submission ids follow from the round and the item's number, so whoever
kills it can send the form that was in flight again.

    python -m tests.crash_writer DATABASE_URL MEETING_ID ACTOR_ID ROUND ACK_FILE
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any
from uuid import UUID

from cotrace.services import open_services


def submission(round_: int, n: int) -> str:
    return f"{round_:08x}{n:024x}"


def title(round_: int, n: int) -> str:
    return f"Item {round_}.{n}"


def add(meeting: UUID, text: str) -> Callable[[Any, UUID], None]:
    return lambda app, actor: app.add_agenda_item(actor, meeting, text)


def main(url: str, meeting: str, actor: str, round_: str, acks: str) -> None:
    services = open_services(url)
    number = int(round_)
    with open(acks, "a") as file:
        print("ready", flush=True)
        n = 0
        while True:
            services.run(add(UUID(meeting), title(number, n)), UUID(actor), submission(number, n))
            file.write(
                json.dumps({"n": n, "submission": submission(number, n), "head": services.known_head}) + "\n"
            )
            file.flush()
            os.fsync(file.fileno())
            n += 1


if __name__ == "__main__":
    main(*sys.argv[1:])
