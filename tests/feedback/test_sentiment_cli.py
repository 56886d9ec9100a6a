"""The ``flask sentiment`` commands, run without an application or database."""

import json

from click.testing import CliRunner

from feedback.sentiment.cli import sentiment


def test_tag_prints_one_line_per_text_starting_with_the_label():
    result = CliRunner().invoke(
        sentiment, ["tag", "Cán bộ rất nhiệt tình", "chờ lâu quá, thái độ tệ", "đòi phong bì"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["positive", "negative", "negative"]
    assert "staff_attitude" in lines[0]
    assert lines[2].endswith("integrity_alert")


def test_evaluate_prints_a_table_and_json_as_last_line(tmp_path):
    file = tmp_path / "gold.tsv"
    file.write_text(
        "text\tlabel\n"
        "Cán bộ rất nhiệt tình, tôi rất hài lòng\tpositive\n"
        "Thái độ cán bộ rất tệ, chờ cả buổi\tnegative\n"
        "Nhân viên không nhiệt tình\tnegative\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(sentiment, ["evaluate", str(file)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["n"] == 3 and summary["accuracy"] == 1.0 and "macro_f1" in summary
    assert lines[0].split()[:2] == ["label", "precision"]


def test_evaluate_rejects_unknown_labels(tmp_path):
    file = tmp_path / "bad.tsv"
    file.write_text("text\tlabel\ntốt\tgood\n", encoding="utf-8")
    result = CliRunner().invoke(sentiment, ["evaluate", str(file)])
    assert result.exit_code != 0


def test_train_needs_the_corpus(tmp_path):
    result = CliRunner().invoke(sentiment, ["train", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "uit_vsfc_train.tsv" in result.output
