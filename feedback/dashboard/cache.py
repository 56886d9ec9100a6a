"""A small in-process LRU cache with expiry, for dashboard reports and rendered charts.

A report is kept until a response or a label correction of its own scope and days comes
(`freshness`), so the next view computes it again; entries also expire after a while, which
covers renamed centres and exclusions decided later. Chart keys are the digest of the
values a chart draws (`chart_layers.Chart`): a new report whose chart shows the same values reuses
the drawing. Each worker process has its own cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LRUCache:
    """Thread-safe least-recently-used cache whose entries expire after `ttl` seconds."""

    def __init__(self, size: int = 256, ttl: float = 300.0) -> None:
        self.size = size
        self.ttl = ttl
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any],
                       current: Callable[[Any], Any] | None = None) -> Any:
        """The cached value for `key`, or compute, store and return it. `current`, when given,
        is asked about a value found: it returns the value to keep (the same or an updated
        one, which keeps its age) or None to compute it again."""
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is not None and now - found[0] < self.ttl:
                self._items.move_to_end(key)
            else:
                found = None
        if found is not None:
            value = found[1] if current is None else current(found[1])
            if value is not None:
                if value is not found[1]:
                    with self._lock:
                        self._items[key] = (found[0], value)
                return value
        value = compute()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


#: Reports (numbers) per scope, period, options and data version.
reports = LRUCache(size=64)
#: Rendered chart bytes per format, locale and digest of the values drawn.
charts = LRUCache(size=256)
