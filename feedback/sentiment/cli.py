"""``flask sentiment ...``: train, evaluate and try the tagger from the command line.

The group is registered by the app factory. These commands need no database and no app
context; ``retag`` (which does) is added to the same group by the feedback package.
"""

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from core.click_text import option
from feedback.sentiment.dataio import MODEL_DIR, default_data_dir, read_columns, read_labelled

sentiment = AppGroup(
    "sentiment", help=_l("Train, evaluate and run the offline sentiment and topic tagger.")
)


def _data_dir_option(help_text: str):
    """The --data-dir option (or SENTIMENT_DATA_DIR) of the commands that read the corpora."""
    return option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
                  envvar="SENTIMENT_DATA_DIR", default=None, help=help_text)


@sentiment.command("train", with_appcontext=False,
                   help=_l("Rebuild the model artifact and print its metrics as JSON."))
@_data_dir_option(_l("Folder with uit_vsfc_train.tsv / uit_vsfc_dev.tsv [env SENTIMENT_DATA_DIR; "
                     "default ../shared/data/sentiment]."))
@option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=MODEL_DIR,
    show_default=True,
    help=_l("Where to write sentiment-<version>.npz/.json."),
)
@option("--vlsp/--no-vlsp", default=False,
        help=_l("Also train on VLSP 2016 (hurts; see docs)."))
@option(
    "--own",
    is_flag=True,
    help=_l("Train the 'own' artifact: our service-centre comments (and reviewed labels) only, "
            "no research-use corpus."),
)
@option(
    "--cv-folds", type=int, default=5, show_default=True,
    help=_l("Folds for selection, calibration."),
)
@option(
    "--c-grid",
    default=None,
    help=_l("Comma-separated values of the SVM's C, chosen by cross-validated macro-F1 "
            "[default: 0.25; with --own 0.25,0.5]."),
)
@option(
    "--class-weight",
    type=click.Choice(["balanced", "none"]),
    default=None,
    help=_l("Class weights of the SVM [default: none; with --own balanced] (see "
            "docs/SENTIMENT.md)."),
)
@option(
    "--learner",
    type=click.Choice(["nbsvm", "svm"]),
    default="nbsvm",
    show_default=True,
    help=_l("NB-SVM plus a plain SVM on the syllable and shape blocks, or one linear SVM (both "
            "artifacts' cross-validation chose nbsvm; see docs/SENTIMENT.md)."),
)
@option(
    "--include-reviewed",
    is_flag=True,
    help=_l("Also train on the labels leaders corrected (reads the app's database)."),
)
def train_command(
    data_dir: Path | None,
    out_dir: Path,
    vlsp: bool,
    own: bool,
    cv_folds: int,
    c_grid: str | None,
    class_weight: str | None,
    learner: str,
    include_reviewed: bool,
) -> None:
    from feedback.sentiment.training import Settings, train
    from feedback.sentiment.version import MODEL_VERSION, OWN_SUFFIX

    data_dir = data_dir or default_data_dir()
    if not own and not (data_dir / "uit_vsfc_train.tsv").exists():
        raise click.ClickException(gettext(
            "There is no uit_vsfc_train.tsv in %(folder)s: give the folder of the corpora with "
            "--data-dir (or SENTIMENT_DATA_DIR), or train the 'own' artifact with --own.",
            folder=data_dir))
    # Each artifact's defaults are what its own grouped cross-validation chose.
    c_grid = c_grid or ("0.25,0.5" if own else "0.25")
    class_weight = class_weight or ("balanced" if own else "none")
    try:
        grid = tuple(float(value) for value in c_grid.split(",") if value.strip())
    except ValueError as error:
        raise click.BadParameter(gettext("'%(text)s' is not a list of numbers separated by "
                                         "commas, e.g. 0.25,0.5", text=c_grid),
                                 param_hint="--c-grid") from error
    reviewed = _reviewed_labels() if include_reviewed else []
    metrics = train(
        out_dir,
        data_dir,
        use_vlsp=vlsp and not own,
        own_only=own,
        reviewed=reviewed,
        settings=Settings(
            cv_folds=cv_folds,
            c_grid=grid,
            class_weight=None if class_weight == "none" else class_weight,
            learner=learner,
        ),
        version=MODEL_VERSION + (OWN_SUFFIX if own else ""),
    )
    click.echo(json.dumps(metrics, ensure_ascii=False, indent=2))


def _reviewed_labels() -> list[tuple[str, str]]:
    """(comment, corrected label) of every reviewed response, read from the app's database."""
    from flask.cli import ScriptInfo

    from feedback.reviews import reviewed_labels

    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context():
        return reviewed_labels()


@sentiment.command("evaluate", with_appcontext=False, help=_l(
    "Score the shipped model on FILE (TSV with a header: text<TAB>label).\n\n"
    "Prints a per-class precision/recall/F1 table; the last line is one JSON object with "
    "accuracy, macro_f1 and n. Optional topics (comma-separated codes) and integrity (0/1) "
    "columns are scored too. UIT-VSFC labels every suggestion negative, the tagger labels a "
    "plain one neutral: score that corpus with --corpus-convention."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option(
    "--corpus-convention",
    is_flag=True,
    help=_l("Label suggestions and questions negative, as UIT-VSFC's gold labels do."),
)
def evaluate_command(file: Path, corpus_convention: bool) -> None:
    from feedback.sentiment import tag_many
    from feedback.sentiment.evaluation import score, score_annotations

    try:
        rows = read_labelled(file)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    taggings = tag_many([text for text, _ in rows], suggestions_neutral=not corpus_convention)
    report = score([label for _, label in rows], [t.label for t in taggings])
    summary = {**report.summary(), **score_annotations(read_columns(file), taggings)}
    click.echo(report.table())
    click.echo(json.dumps(summary, ensure_ascii=False, sort_keys=True))


@sentiment.command("tag", with_appcontext=False, help=_l(
    "Tag each TEXT: prints label, confidence, topics and integrity alert, tab-separated."))
@click.argument("texts", nargs=-1, required=True)
def tag_command(texts: tuple[str, ...]) -> None:
    from feedback.sentiment import tag_many

    for tagging in tag_many(texts):
        topics = ",".join(tagging.topics) or "-"
        alert = "integrity_alert" if tagging.integrity_alert else "-"
        click.echo(f"{tagging.label}\t{tagging.confidence:.3f}\t{topics}\t{alert}")


@sentiment.command("compare", with_appcontext=False, help=_l(
    "Train the compared approaches (a few minutes) and print a Markdown table and JSON."))
@_data_dir_option(_l("Folder with the UIT-VSFC and VLSP 2016 TSV files [env SENTIMENT_DATA_DIR]."))
def compare_command(data_dir: Path | None) -> None:
    from feedback.sentiment.compare import compare, markdown

    results = compare(data_dir or default_data_dir())
    click.echo(markdown(results))
    click.echo(json.dumps(results, ensure_ascii=False))
