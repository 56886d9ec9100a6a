"""One page of a paginated list (inbox, logs, requests)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class Page:
    """One page of results."""

    items: list
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page))
