"""How each number of an HR report is computed, in words, with the configured values.

One text for the method page, the XLSX "method" sheet and the last page of the PDF, so a staff
member reads the same explanation wherever they meet their score. Call inside a request or
under `flask_babel.force_locale`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from feedback.hr.evaluation import Settings
from feedback.hr.grades import GRADE_LABELS, Grade, RuleVersion


@dataclass(frozen=True)
class Section:
    """A heading and its paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


def _grading(version: RuleVersion | None) -> Section:
    if version is None:
        return Section(_("Grade"), (_("No grading rules are in force for this period, so no "
                                      "grade is given."),))
    excellent, good, completed = version.minimums
    paragraphs = [
        _("The grade follows the score, by the rules in force on the first day of the period "
          "(%(label)s, from %(day)s):", label=version.label,
          day=version.effective_from.isoformat()),
        _("score %(min)s or more: %(grade)s", min=f"{excellent:g}",
          grade=GRADE_LABELS[Grade.EXCELLENT]),
        _("score %(min)s or more: %(grade)s", min=f"{good:g}", grade=GRADE_LABELS[Grade.GOOD]),
        _("score %(min)s or more: %(grade)s", min=f"{completed:g}",
          grade=GRADE_LABELS[Grade.COMPLETED]),
        _("lower: %(grade)s", grade=GRADE_LABELS[Grade.NOT_COMPLETED]),
    ]
    if version.example:
        paragraphs.append(_(
            "These thresholds are an EXAMPLE shipped with the software, not law. Under Law "
            "80/2025/QH15 and Decree 335/2025/NĐ-CP a civil servant is graded on a 100-point "
            "total of which citizens' satisfaction is only one input, and the head of the unit "
            "decides the grade. Set HR_GRADING_RULES to the rules your province or ward has "
            "adopted."))
    return Section(_("Grade"), tuple(paragraphs))


def sections(settings: Settings, version: RuleVersion | None) -> list[Section]:
    """The method, section by section, with the configured numbers."""
    rules = settings.integrity
    weight = f"{settings.prior_weight:g}"
    return [
        Section(_("Which responses count"), (
            _("A response belongs to the staff member named on the form the citizen was shown "
              "(kiosk and queue-ticket answers: the staff member on duty at the counter at that "
              "moment). A correction of who was on duty moves the responses of the corrected "
              "time."),
            _("Responses flagged as suspicious (below) are left out and listed with the reason; "
              "HR can restore one with a note, and every restoration is recorded."),
            _("Responses sent in a staff member's first %(days)s days at a counter count, but "
              "are marked.", days=settings.new_counter_days),
        )),
        Section(_("Criteria and share satisfied"), (
            _("For each criterion: the number of answers and the mean rating on the 1–5 scale "
              "(1 very dissatisfied … 5 very satisfied)."),
            _("Share satisfied: the share of counted responses whose overall rating is 4 or 5, "
              "with its 95 percent Wilson interval, the range in which the true share lies with "
              "95 percent confidence. Fewer responses give a wider range."),
            _("Below %(min)s counted responses the report says \"insufficient data\" and gives "
              "no share, score, rank or grade.", min=settings.min_responses),
        )),
        Section(_("Fair comparison across procedure areas"), (
            _("Some procedures are rated lower everywhere (land dossiers more than civil "
              "status). The expected share is the unit's share satisfied in each procedure area, "
              "weighted by the staff member's own mix of areas; responses without an area form "
              "an area of their own."),
            _("Relative to peers = share satisfied − expected share, in percentage points. The "
              "adjusted share = share satisfied − expected share + the unit's share: the share "
              "the staff member would have with the unit's average mix of areas."),
        )),
        Section(_("Score and rank"), (
            _("The score pulls the adjusted share toward the unit's share with a weight of "
              "%(weight)s responses: score = 100 × (n × adjusted share + %(weight)s × unit "
              "share) ÷ (n + %(weight)s), where n is the number of counted responses. With few "
              "responses the score stays close to the unit's; with many it follows the staff "
              "member's own answers.", weight=weight),
            _("Staff members of the same unit with enough data are ranked by score (rounded to "
              "one decimal); equal scores share a rank."),
        )),
        _grading(version),
        Section(_("Suspicious responses"), (
            _("Checked when each response is stored, together with the responses around it, so "
              "the first responses of a burst are flagged too."),
            _("More than a counter could serve: more responses at one counter within %(minutes)s "
              "minutes than its capacity (%(per_hour)s an hour), the queue tickets issued for it "
              "or its own busiest hour of the last %(days)s days allow. Such responses are held "
              "until HR has reviewed them.", minutes=rules.surge.minutes,
              per_hour=rules.surge.per_hour, days=rules.surge.baseline_days),
            _("Sent too fast: less than %(seconds)s seconds after the form was shown; or a "
              "hidden field that people never see was filled in by a program.",
              seconds=rules.min_fill_seconds),
            _("Bursts from one device: %(count)s or more responses from one phone at one "
              "counter within %(minutes)s minutes.", count=rules.device_burst.count,
              minutes=rules.device_burst.minutes),
            _("Bursts from one network: %(count)s or more responses from one network address at "
              "one counter within %(minutes)s minutes.", count=rules.ip_burst.count,
              minutes=rules.ip_burst.minutes),
            _("Centre closed: sent outside the centre's opening hours, more than %(grace)s "
              "minutes after closing.", grace=rules.closed_grace_minutes),
            _("Identical answers: %(count)s or more identical sets of at least %(answers)s "
              "answers from one network address at one counter within %(minutes)s minutes.",
              count=rules.identical.count, answers=rules.identical_min_answers,
              minutes=rules.identical.minutes),
            _("One device, many counters: one phone rating %(count)s or more counters within "
              "%(minutes)s minutes.", count=rules.many_counters.count,
              minutes=rules.many_counters.minutes),
            _("Responses through a one-time link on a queue ticket are checked only for identical "
              "answers and for more than the counter could serve; kiosk answers only for opening "
              "hours and for more than the counter could serve."),
        )),
        Section(_("Contesting"), (
            _("If you think a response or your score is wrong, contest it from your page with a "
              "written reason. HR accepts it (the response is then left out, with the reason "
              "shown) or rejects it with an answer. You and HR see every step."),
        )),
    ]
