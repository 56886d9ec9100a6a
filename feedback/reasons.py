"""Reasons for dissatisfaction ("Lý do không hài lòng"): asked when the overall answer is on
the "không hài lòng" level, and stored as data, one row per reason ticked.

The five-point scale maps onto the three levels that one-stop software and Decision 766 count
(`../shared/research/vn_standards.md` §2.3, §8) as the SIPAS share does: 5 → Rất hài lòng,
4 → Hài lòng, 1–3 → Không hài lòng (SIPAS counts only 4–5 as satisfied, and the counter tablet
of provincial software shows that level as "Chưa hài lòng", which is where "Bình thường" falls).
So a reason is asked for an overall answer of 1, 2 or 3.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db
from surveys.defaults import DISSATISFACTION_REASONS

#: The checklist (asked by the form, surveys.defaults), in the order shown: code → label.
REASONS = dict(DISSATISFACTION_REASONS)


class DissatisfactionReason(db.Model):
    """One reason a citizen ticked for a "không hài lòng" answer."""

    __tablename__ = "dissatisfaction_reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))

    __table_args__ = (UniqueConstraint("response_id", "code"),)



def clean_reasons(codes: Iterable[object]) -> frozenset[str]:
    """The known reason codes among `codes` (anything else is dropped)."""
    return frozenset(code for code in codes if isinstance(code, str) and code in REASONS)


def store_reasons(response_id: int, codes: Iterable[str]) -> None:
    """Store the reasons of a response (flushes with the caller's transaction)."""
    db.session.add_all(DissatisfactionReason(response_id=response_id, code=code)
                       for code in sorted(clean_reasons(codes)))


def reasons_of(response_ids: Iterable[int]) -> dict[int, set[str]]:
    """The reasons stored for each of the responses (those without any are left out)."""
    ids = sorted(set(response_ids))
    found: dict[int, set[str]] = {}
    for offset in range(0, len(ids), 5000):
        for response_id, code in db.session.execute(
            select(DissatisfactionReason.response_id, DissatisfactionReason.code)
            .where(DissatisfactionReason.response_id.in_(ids[offset:offset + 5000]))
        ):
            found.setdefault(response_id, set()).add(code)
    return found


def ranked(reason_sets: Iterable[Iterable[str]]) -> list[tuple[str, int]]:
    """Reason codes by how many responses gave them, most first (ties in checklist order)."""
    return ranked_counts(Counter(code for codes in reason_sets for code in codes))


def ranked_counts(counts: Counter) -> list[tuple[str, int]]:
    """Counts by reason code, most first (ties in checklist order); unknown codes left out."""
    order = list(REASONS)
    return sorted(((code, n) for code, n in counts.items() if code in REASONS),
                  key=lambda item: (-item[1], order.index(item[0])))
