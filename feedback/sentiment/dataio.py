"""Where the training data lives and how labelled TSV files are read."""

import csv
from pathlib import Path

from flask_babel import gettext

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")

PACKAGE_DIR = Path(__file__).resolve().parent
DOMAIN_TRAIN = PACKAGE_DIR / "data" / "service_centre_train.tsv"
DOMAIN_TEST = PACKAGE_DIR / "data" / "service_centre_test.tsv"
MODEL_DIR = PACKAGE_DIR / "model"

UIT_TRAIN = "uit_vsfc_train.tsv"
UIT_DEV = "uit_vsfc_dev.tsv"
VLSP_TRAIN = "vlsp2016_train.tsv"


def default_data_dir() -> Path:
    """``$SENTIMENT_DATA_DIR``, else the ``shared/data/sentiment`` folder beside the repo."""
    from feedback.sentiment.settings import data_dir

    return data_dir(PACKAGE_DIR)


def read_columns(path: Path) -> list[dict[str, str]]:
    """Read a UTF-8 TSV with a header row into dicts (no quoting: texts may contain ``"``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            return []
        return [dict(zip(header, row, strict=False)) for row in reader if row]


def read_labelled(path: Path) -> list[tuple[str, str]]:
    """Read ``text<TAB>label`` rows (extra columns are ignored); reject unknown labels."""
    rows = []
    for number, record in enumerate(read_columns(path), start=2):
        text, label = record.get("text", ""), record.get("label", "").strip()
        if label not in LABELS:
            raise ValueError(gettext("%(path)s, line %(line)d: the label '%(label)s' is not one "
                                     "of %(labels)s", path=path, line=number, label=label,
                                     labels=", ".join(LABELS)))
        rows.append((text, label))
    return rows
