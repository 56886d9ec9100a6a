"""How each number of an HR report is computed, in words, with the configured values.

One text for the method page, the XLSX "method" sheet and the last page of the PDF, so a staff
member reads the same explanation wherever they meet their score. Call inside a request or
under `flask_babel.force_locale`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from feedback.hr.evaluation import Settings
from feedback.hr.grades import GRADE_LABELS, Grade
from feedback.hr.profiles import CapBase, PointsMapping, Profile, ProfileVersion


@dataclass(frozen=True)
class Section:
    """A heading and its paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


def _input(profile: Profile, version: ProfileVersion | None,
           min_responses: int) -> Section:
    if version is None:
        return Section(_("Input to the evaluation"), (
            _("The evaluation profile %(profile)s has no version in force for this period, so "
              "no sub-score is given.", profile=profile.name),))
    if version.mapping == PointsMapping.LINEAR:
        mapping = _("Sub-score = %(max)s × the share of satisfied answers on attitude and "
                    "guidance, rounded to one decimal (half up).",
                    max=f"{version.max_points:g}")
    else:
        mapping = _("Sub-score by steps: %(steps)s; below the last step, 0 points.",
                    steps="; ".join(_("from %(share)s percent satisfied, %(points)s points",
                                      share=f"{share:g}", points=f"{points:g}")
                                    for share, points in version.bands))
    cap = (_("At most %(ratio)s percent of the number of staff graded \"%(good)s\" may be "
             "graded \"%(excellent)s\"; a set of grades that breaks this is refused.",
             ratio=f"{100 * version.cap.ratio:g}", good=GRADE_LABELS[Grade.GOOD],
             excellent=GRADE_LABELS[Grade.EXCELLENT])
           if version.cap.of == CapBase.GOOD else
           _("At most %(ratio)s percent of the staff graded in the period may be graded "
             "\"%(excellent)s\"; a set of grades that breaks this is refused.",
             ratio=f"{100 * version.cap.ratio:g}", excellent=GRADE_LABELS[Grade.EXCELLENT]))
    paragraphs = [
        _("Satisfaction is an input to the evaluation, not a grade: the head of the unit grades "
          "each staff member on the whole evaluation form and records the grade here; the "
          "software never derives a grade from satisfaction."),
        _("Evaluation profile: %(profile)s, version in force from %(day)s. Citizens' answers "
          "feed the row \"%(row)s\" of the block \"%(block)s\", at most %(max)s points.",
          profile=profile.name, day=version.effective_from.isoformat(),
          row=version.criterion_row, block=version.block, max=f"{version.max_points:g}"),
        _("The input uses only the question on the staff member's own attitude and guidance, "
          "not the overall question, which also reflects premises and procedures outside their "
          "control."),
        _("Three levels, as provincial one-stop systems count them for Decision 766/QĐ-TTg: 5 "
          "is \"very satisfied\", 4 \"satisfied\", 1 to 3 \"dissatisfied\"; satisfied answers "
          "are the very satisfied and the satisfied ones."),
        mapping,
        _("Below %(min)s answers on attitude and guidance there is no sub-score.",
          min=min_responses),
        cap,
        _("Complaint cases about the staff member's responses are counted as handled on time "
          "(resolved, closed or dismissed as unfounded by their due day) or late (after it, or "
          "still open past it). A case dismissed as spam or withdrawn as suspected ballot "
          "stuffing is no complaint: it is neither listed nor counted."),
        *[_("%(claim)s Source: %(source)s (%(status)s).", claim=source.claim,
            source=source.source,
            status=_("verified") if source.verified else
            _("not verified: set by the unit, not law"))
          for source in version.sources],
    ]
    return Section(_("Input to the evaluation"), tuple(paragraphs))


def sections(settings: Settings, profile: Profile,
             version: ProfileVersion | None) -> list[Section]:
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
              "no share, score or rank.", min=settings.min_responses),
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
            _("Prior weight: the number of imagined answers at the unit's share added to the "
              "staff member's own, so that a handful of answers cannot swing the score."),
            _("Staff members of the same unit with enough data are ranked by score (rounded to "
              "one decimal); equal scores share a rank."),
        )),
        _input(profile, version, settings.min_responses),
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
        Section(_("Requests for review"), (
            _("If you think a response or your score is wrong, send a request for review from "
              "your page with a written reason. HR accepts it (the response is then left out, "
              "with the reason shown) or rejects it with an answer. You and HR see every step."),
        )),
    ]
