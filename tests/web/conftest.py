"""What the web tests share: the Riverside story, recorded straight through the application.

Its read models are not caught up here: every page catches up before it reads, as it must for
writes made by another process.
"""

from __future__ import annotations

import pytest

from tests.conftest import TODAY
from tests.story import Riverside


@pytest.fixture
def story(flask_app) -> Riverside:
    return Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
