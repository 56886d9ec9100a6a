"""Evaluation profiles: where citizens' satisfaction enters a civil servant's evaluation.

Under Law 80/2025/QH15 and Decree 335/2025/NĐ-CP the head of the unit grades a civil servant on
a 100-point form; service attitude is one row of it. A profile names that row, its maximum
points, how the share of satisfied answers maps to points and the cap on "Hoàn thành xuất sắc
nhiệm vụ"; each claim carries its legal source and whether the research verified it. The input
is computed from the officer's own criterion (question code ``staff``: attitude and guidance),
never from the overall question, and no grade is derived from it: a person decides the grade
(feedback/hr/decisions.py).

Profiles are TOML or JSON files; the shipped ones are in ``feedback/hr/profiles/``::

    key = "nd335"
    name = "NĐ 335/2025/NĐ-CP (toàn quốc)"
    [[versions]]                   # the version in force on a period's first day applies
    effective_from = 2026-01-01
    block = "Nhóm tiêu chí chung (30 điểm)"
    criterion_row = "Thái độ phục vụ nhân dân, doanh nghiệp"
    max_points = 5
    mapping = "linear"             # points = max_points × share, rounded half up to 0.1
    # mapping = "bands" with bands = [[95, 4], [90, 3]]: lowest share (%) → points; below: 0
    [versions.cap]                 # "excellent" at most ratio × the staff graded "good"
    of = "good"                    # or "graded": ratio × all staff graded in the period
    ratio = 0.2
    [[versions.sources]]
    claim = "…"
    source = "…"
    verified = true

Every text (name, block, criterion_row, claim, source) may have its English beside it under the
same name with ``_en`` (``claim_en = "…"``), shown on English pages and files; without it the
Vietnamese is shown in both languages.

HR_PROFILE names the profile of every unit (a shipped key or a file path); HR_PROFILE_BY_UNIT
overrides it per unit as ``CODE=profile;CODE=profile``.

The five-level scale maps to the three levels of Decision 766/QĐ-TTg as 5 → "Rất hài lòng",
4 → "Hài lòng", 1–3 → "Không hài lòng": the same line as the share satisfied (4–5).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from flask_babel import get_locale

from feedback.hr.grades import Grade
from feedback.hr.rule_files import RuleFileError, read_mapping
from feedback.hr.settings import DEFAULT_PROFILE
from feedback.periods import Period
from feedback.scoring import Tally

SHIPPED = Path(__file__).parent / "profiles"
#: The question whose answers are the officer's own (attitude and guidance).
INPUT_CRITERION = "staff"


class PointsMapping(enum.StrEnum):
    """How the share satisfied becomes points."""

    LINEAR = "linear"
    BANDS = "bands"


class CapBase(enum.StrEnum):
    """What the cap on "excellent" is a share of."""

    GOOD = "good"
    GRADED = "graded"


@dataclass(frozen=True)
class Level3:
    """Answers on the three levels of Decision 766 (from the five-level scale)."""

    very_satisfied: int
    satisfied: int
    dissatisfied: int

    @classmethod
    def of(cls, tally: Tally) -> Level3:
        """5 → very satisfied, 4 → satisfied, 1–3 → dissatisfied."""
        counts = tally.counts
        return cls(counts[4], counts[3], sum(counts[:3]))

    @property
    def n(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied


@dataclass(frozen=True)
class Wording:
    """A text of a profile in Vietnamese and, when the file gives it, English; `str()` gives it
    in the current language (the Vietnamese when there is no English)."""

    vi: str
    en: str | None = None

    def __str__(self) -> str:
        locale = get_locale()
        if self.en and locale is not None and locale.language == "en":
            return self.en
        return self.vi


@dataclass(frozen=True)
class Source:
    """A claim of the profile, where it comes from, and whether the research verified it."""

    claim: Wording
    source: Wording
    verified: bool


@dataclass(frozen=True)
class CapBreach:
    """A set of grades with more "excellent" than the cap allows."""

    excellent: int
    base: int
    limit: int


@dataclass(frozen=True)
class Cap:
    """At most `ratio` × (staff graded "good", or all staff graded) may be "excellent"."""

    of: CapBase
    ratio: float

    def check(self, grades: Iterable[Grade]) -> CapBreach | None:
        """None when the set respects the cap; the numbers of the breach otherwise."""
        counts = Counter(grades)
        base = counts[Grade.GOOD] if self.of == CapBase.GOOD else sum(counts.values())
        limit = int(Decimal(str(self.ratio)) * base)
        if counts[Grade.EXCELLENT] > limit:
            return CapBreach(counts[Grade.EXCELLENT], base, limit)
        return None


@dataclass(frozen=True)
class ProfileVersion:
    """One version of a profile, in force from a day on."""

    effective_from: date
    block: Wording
    criterion_row: Wording
    max_points: float
    mapping: PointsMapping
    #: (lowest share in percent, points), highest first; only for BANDS.
    bands: tuple[tuple[float, float], ...]
    cap: Cap
    sources: tuple[Source, ...]

    def points(self, satisfied: int, n: int) -> float | None:
        """The sub-score of `satisfied` satisfied answers out of `n` (None without answers)."""
        if n <= 0:
            return None
        if self.mapping == PointsMapping.LINEAR:
            value = Decimal(str(self.max_points)) * satisfied / n
            return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        for minimum, points in self.bands:
            if 100 * satisfied >= Decimal(str(minimum)) * n:
                return points
        return 0.0


@dataclass(frozen=True)
class Profile:
    """A named, versioned profile."""

    key: str
    name: Wording
    versions: tuple[ProfileVersion, ...]

    def in_force(self, period: Period) -> ProfileVersion | None:
        """The version in force on the period's first day (None: none yet)."""
        found = None
        for version in self.versions:
            if version.effective_from <= period.start:
                found = version
        return found


def _number(raw: dict, key: str, where: str) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise RuleFileError(f"{where}.{key} must be a number ≥ 0")
    return float(value)


def _text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(f"{where}.{key} must be a non-empty text")
    return value.strip()


def _wording(raw: dict, key: str, where: str) -> Wording:
    english = raw.get(f"{key}_en")
    if english is not None and (not isinstance(english, str) or not english.strip()):
        raise RuleFileError(f"{where}.{key}_en must be a non-empty text")
    return Wording(_text(raw, key, where), english.strip() if english else None)


def _bands(raw: object, where: str, max_points: float) -> tuple[tuple[float, float], ...]:
    if not isinstance(raw, list) or not raw:
        raise RuleFileError(f"{where}.bands must be a non-empty list of [lowest %, points]")
    bands = []
    for pair in raw:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool)
                           for x in pair)):
            raise RuleFileError(f"{where}.bands must be a list of [lowest %, points]")
        bands.append((float(pair[0]), float(pair[1])))
    shares = [b[0] for b in bands]
    if shares != sorted(shares, reverse=True) or len(set(shares)) != len(shares):
        raise RuleFileError(f"{where}.bands must go from the highest share down")
    if not all(0 <= share <= 100 and 0 <= points <= max_points for share, points in bands):
        raise RuleFileError(f"{where}.bands: shares within 0–100, points within max_points")
    return tuple(bands)


def _version(raw: object, index: int) -> ProfileVersion:
    where = f"versions[{index}]"
    if not isinstance(raw, dict):
        raise RuleFileError(f"{where} must be a table/object")
    try:
        effective = raw["effective_from"]
        effective = effective if isinstance(effective, date) else date.fromisoformat(effective)
    except (KeyError, TypeError, ValueError) as error:
        raise RuleFileError(f"{where}.effective_from must be a date (YYYY-MM-DD)") from error
    max_points = _number(raw, "max_points", where)
    try:
        mapping = PointsMapping(raw.get("mapping"))
    except ValueError as error:
        raise RuleFileError(f"{where}.mapping must be linear or bands") from error
    bands = _bands(raw.get("bands"), where, max_points) if mapping == PointsMapping.BANDS else ()
    cap_raw = raw.get("cap")
    if not isinstance(cap_raw, dict):
        raise RuleFileError(f"{where}.cap must be a table/object")
    try:
        cap = Cap(CapBase(cap_raw.get("of")), _number(cap_raw, "ratio", f"{where}.cap"))
    except ValueError as error:
        raise RuleFileError(f"{where}.cap.of must be good or graded") from error
    sources = []
    for i, item in enumerate(raw.get("sources") or []):
        if not isinstance(item, dict) or not isinstance(item.get("verified"), bool):
            raise RuleFileError(f"{where}.sources[{i}] needs claim, source and verified")
        sources.append(Source(_wording(item, "claim", f"{where}.sources[{i}]"),
                              _wording(item, "source", f"{where}.sources[{i}]"),
                              item["verified"]))
    if not sources:
        raise RuleFileError(f"{where}.sources must name the legal source of each claim")
    return ProfileVersion(effective, _wording(raw, "block", where),
                          _wording(raw, "criterion_row", where), max_points, mapping, bands, cap,
                          tuple(sources))


def parse_profile(data: dict) -> Profile:
    """A profile from a mapping with a key, a name and a non-empty `versions` list."""
    raw_versions = data.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        raise RuleFileError("versions must be a non-empty list")
    versions = sorted((_version(raw, i) for i, raw in enumerate(raw_versions)),
                      key=lambda v: v.effective_from)
    days = [v.effective_from for v in versions]
    if len(set(days)) != len(days):
        raise RuleFileError("two versions take effect on the same day")
    return Profile(_text(data, "key", "profile"), _wording(data, "name", "profile"),
                   tuple(versions))


def shipped_keys() -> list[str]:
    """The keys of the shipped profiles."""
    return sorted(path.stem for path in SHIPPED.glob("*.toml"))


def load_profile(name: str) -> Profile:
    """A shipped profile by key, or the profile in the file at `name`."""
    path = SHIPPED / f"{name}.toml" if name in shipped_keys() else Path(name)
    try:
        return parse_profile(read_mapping(path))
    except RuleFileError as error:
        raise RuleFileError(f"{path}: {error}") from error


def parse_by_unit(text: str | None) -> dict[str, str]:
    """``CODE=profile;CODE=profile`` as a mapping of unit code to profile name."""
    found = {}
    for item in (text or "").split(";"):
        if not item.strip():
            continue
        code, sep, name = item.partition("=")
        if not sep or not code.strip() or not name.strip():
            raise RuleFileError(f"HR_PROFILE_BY_UNIT: expected CODE=profile, not {item!r}")
        found[code.strip()] = name.strip()
    return found


@dataclass(frozen=True)
class ProfileChoice:
    """The profile of every unit and the units that use another one."""

    default: Profile
    by_unit: Mapping[str, Profile]

    def for_unit(self, code: str) -> Profile:
        return self.by_unit.get(code, self.default)

    @classmethod
    def from_config(cls, config: Mapping) -> ProfileChoice:
        """Profiles named by HR_PROFILE and HR_PROFILE_BY_UNIT (files are read now)."""
        return cls(load_profile(config.get("HR_PROFILE") or DEFAULT_PROFILE),
                   {code: load_profile(name) for code, name in
                    parse_by_unit(config.get("HR_PROFILE_BY_UNIT")).items()})
