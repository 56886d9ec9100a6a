"""The commands answer in Vietnamese by default and in English with COMMAND_LANGUAGE=en: their
help, their errors, and click's own texts (usage, errors, the yes/no question, Aborted)."""

from __future__ import annotations

import pytest

from tests.support import run_flask

#: (arguments, the error's last line in Vietnamese, in English, exit code).
ERRORS = [
    (["report", "staff", "--period", "2026-Q1", "-o", "x.csv"],
     "Lỗi: Thiếu tùy chọn '--unit'.", "Error: Missing option '--unit'.", 2),
    (["users", "create", "an", "--bogus"],
     "Lỗi: Không có tùy chọn '--bogus'.", "Error: No such option '--bogus'.", 2),
    (["backup"], "Lỗi: Thiếu tham số 'PATH'.", "Error: Missing argument 'PATH'.", 2),
    (["report", "sipas", "--unit", "00001", "--period", "2026", "-o", "x.csv", "--format", "doc"],
     "Lỗi: Giá trị không hợp lệ cho '--format': 'doc' không thuộc các giá trị: 'csv', 'xlsx', "
     "'pdf'.",
     "Error: Invalid value for '--format': 'doc' is not one of 'csv', 'xlsx', 'pdf'.", 2),
    (["report", "sipas", "--unit", "00001", "--period", "Q3", "-o", "x.csv"],
     "Lỗi: Giá trị không hợp lệ cho --period: 'Q3' không phải là kỳ báo cáo: hãy ghi YYYY-MM "
     "(tháng), YYYY-Qn (quý), YYYY (năm), YYYY-Www (tuần), YYYY-MM-DD (ngày) hoặc "
     "YYYY-MM-DD..YYYY-MM-DD (từ ngày đến ngày)",
     "Error: Invalid value for --period: 'Q3' is not a period: write YYYY-MM (a month), YYYY-Qn "
     "(a quarter), YYYY (a year), YYYY-Www (a week), YYYY-MM-DD (a day) or YYYY-MM-DD..YYYY-MM-DD "
     "(from one day to another)", 2),
    (["report", "staff", "--unit", "00001", "--period", "2026-W05", "-o", "x.csv"],
     "Lỗi: Giá trị không hợp lệ cho --period: '2026-W05' không phải là tháng, quý hoặc năm: hãy "
     "ghi theo dạng YYYY-MM, YYYY-Qn hoặc YYYY",
     "Error: Invalid value for --period: '2026-W05' is not a month, quarter or year: write "
     "YYYY-MM, YYYY-Qn or YYYY", 2),
    (["integrity", "rescan", "--from", "2026-13-01"],
     "Lỗi: Giá trị không hợp lệ cho --from: '2026-13-01' không phải là ngày: hãy ghi theo dạng "
     "YYYY-MM-DD",
     "Error: Invalid value for --from: '2026-13-01' is not a date: write YYYY-MM-DD", 2),
    (["dashboard", "rebuild-rollups", "--to", "2026-Q1"],
     "Lỗi: Giá trị không hợp lệ cho --to: '2026-Q1' không phải là tháng: hãy ghi theo dạng "
     "YYYY-MM",
     "Error: Invalid value for --to: '2026-Q1' is not a month: write YYYY-MM", 2),
    (["qr", "links", "--base-url", "ftp://danhgia.cantho.gov.vn"],
     "Lỗi: Giá trị không hợp lệ cho '--base-url': cần một địa chỉ http:// hoặc https:// có tên "
     "máy chủ, ví dụ https://danhgia.cantho.gov.vn",
     "Error: Invalid value for '--base-url': an http:// or https:// address with a host name is "
     "expected, e.g. https://danhgia.cantho.gov.vn", 2),
    (["seed-demo", "--base-url", "https://"],
     "Lỗi: Giá trị không hợp lệ cho '--base-url': cần một địa chỉ http:// hoặc https:// có tên "
     "máy chủ, ví dụ https://danhgia.cantho.gov.vn",
     "Error: Invalid value for '--base-url': an http:// or https:// address with a host name is "
     "expected, e.g. https://danhgia.cantho.gov.vn", 2),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("args, vietnamese, english, code", ERRORS)
def test_a_usage_error_is_told_in_the_commands_language(make_app, create_org, tmp_path, language,
                                                        args, vietnamese, english, code):
    app = make_app(COMMAND_LANGUAGE=language)
    create_org("00001")
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == code
    lines = result.output.strip().splitlines()
    assert lines[-1] == (vietnamese if language == "vi" else english)
    hint = ("Xem hướng dẫn: '", "--help'.") if language == "vi" else ("Try '", "--help' for help.")
    assert any(line.startswith(hint[0]) and line.endswith(hint[1]) for line in lines)


@pytest.mark.parametrize("language, said", [
    ("vi", "Lỗi: Không có tệp uit_vsfc_train.tsv trong {folder}: hãy chỉ thư mục dữ liệu bằng "
           "--data-dir (hoặc SENTIMENT_DATA_DIR), hoặc huấn luyện mô hình 'own' bằng --own."),
    ("en", "Error: There is no uit_vsfc_train.tsv in {folder}: give the folder of the corpora "
           "with --data-dir (or SENTIMENT_DATA_DIR), or train the 'own' artifact with --own."),
])
def test_training_without_the_corpus_says_where_it_looked(make_app, tmp_path, language, said):
    runner = make_app(COMMAND_LANGUAGE=language).test_cli_runner()
    result = runner.invoke(args=["sentiment", "train", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == said.format(folder=tmp_path)


def test_a_commands_help_is_in_vietnamese_by_default(runner):
    result = runner.invoke(args=["users", "create", "--help"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("Cách dùng: ") and lines[0].endswith(
        " users create [OPTIONS] USERNAME")
    assert ("  Tạo tài khoản; mật khẩu được hỏi khi chạy lệnh hoặc đọc từ đầu vào chuẩn."
            in lines)
    assert "Tùy chọn:" in lines
    assert "  --role [admin|leader|hr|staff]  Vai trò của tài khoản.  [bắt buộc]" in lines
    assert any(line.endswith("Hiện hướng dẫn này rồi thoát.") for line in lines)
    report = runner.invoke(args=["report", "staff", "--help"]).output
    assert "Định dạng tệp.  [mặc định: csv]" in report


@pytest.mark.parametrize("language, question, answers", [
    ("vi", "bằng bản sao lưu", {"n": "Đã hủy.", "": "Đã hủy.", "c": "Đã khôi phục",
                                "có": "Đã khôi phục"}),
    ("en", "with the backup", {"n": "Aborted!", "y": "Restored"}),
])
def test_restore_asks_yes_or_no_in_the_commands_language(make_app, tmp_path, language,
                                                         question, answers):
    runner = make_app(COMMAND_LANGUAGE=language).test_cli_runner()
    path = tmp_path / "b.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    suffix = "[c/K]: " if language == "vi" else "[y/N]: "
    for answer, said in answers.items():
        result = runner.invoke(args=["restore", str(path)], input=f"{answer}\n")
        assert f"{question} {path}? {suffix}" in result.output
        assert said in result.output
        assert result.exit_code == (0 if said in ("Đã khôi phục", "Restored") else 1)


@pytest.mark.parametrize("language, listing, usage, unknown", [
    ("vi", ["Lệnh:", "Quản lý tài khoản của hệ thống quản trị.", "Báo cáo cho bộ phận nhân sự."],
     ["Cách dùng: python -m flask users create [OPTIONS] USERNAME", "Tùy chọn:",
      "Hiện hướng dẫn này rồi thoát."],
     "Lỗi: Không có lệnh 'nosuch'."),
    ("en", ["Commands:", "Manage back-office accounts.", "Reports for HR."],
     ["Usage: python -m flask users create [OPTIONS] USERNAME", "Options:",
      "Show this message and exit."],
     "Error: No such command 'nosuch'."),
])
def test_flask_lists_helps_and_refuses_in_the_commands_language(tmp_path, language, listing,
                                                                usage, unknown):
    listed = run_flask(tmp_path, "--help", COMMAND_LANGUAGE=language)
    assert listed.returncode == 0 and all(text in listed.stdout for text in listing)
    helped = run_flask(tmp_path, "users", "create", "--help", COMMAND_LANGUAGE=language)
    assert helped.returncode == 0 and all(text in helped.stdout for text in usage)
    refused = run_flask(tmp_path, "nosuch", COMMAND_LANGUAGE=language)
    assert refused.returncode == 2 and refused.stderr.strip().splitlines()[-1] == unknown


def test_an_unknown_command_language_is_a_bad_setting(tmp_path):
    done = run_flask(tmp_path, "--help", COMMAND_LANGUAGE="fr")
    assert done.returncode == 2
    assert done.stderr.strip() == ("Lỗi: Thiết lập không hợp lệ: COMMAND_LANGUAGE='fr': cần một "
                                   "trong các giá trị: vi, en")
