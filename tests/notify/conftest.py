from __future__ import annotations

from tests.watch.conftest import ws

__all__ = ["ws"]
