"""Settings: declared once per feature, documented, read from the environment in one place, and a
bad value of any of them stops the start with a message naming it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import app as app_module
from app import create_app
from core.config import ENVIRONMENT_NAMES
from core.settings import ConfigError, settings_of

ROOT = Path(__file__).resolve().parents[1]
APP_CODE = ("app.py", "gunicorn_conf.py", "core", "surveys", "accounts", "feedback", "admin")
#: Where `core.settings.environment()` may be called: the settings modules.
SETTINGS_MODULES = {"core/config.py", "gunicorn_conf.py"}
EVERY_SETTING = settings_of(app_module.SETTINGS_MODULES)
BAD = "§not-a-value§"


def _modules():
    for entry in APP_CODE:
        path = ROOT / entry
        yield from [path] if path.is_file() else sorted(path.rglob("*.py"))


def _environment_reads(tree: ast.AST) -> list[int]:
    """Lines that touch os.environ / os.getenv / os.putenv or import them."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "os" and node.attr in {"environ", "getenv", "putenv"}:
            lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module == "os" \
                and any(a.name in {"environ", "getenv"} for a in node.names):
            lines.append(node.lineno)
    return lines


def _environment_calls(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "environment"]


def test_only_core_settings_reads_the_process_environment():
    found = []
    for path in _modules():
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if relative != "core/settings.py":
            found += [f"{relative}:{line}" for line in _environment_reads(tree)]
        if relative not in SETTINGS_MODULES and path.name != "settings.py":
            found += [f"{relative}:{line} environment()" for line in _environment_calls(tree)]
    assert found == []


def test_every_setting_is_declared_once_and_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [ENVIRONMENT_NAMES.get(s.name, s.name) for s in EVERY_SETTING]
    assert len(names) == len(set(names))
    assert [name for name in names if f"`{name}`" not in readme] == []


def _refusable():
    for setting in EVERY_SETTING:
        try:
            setting.parse(BAD)
        except ValueError:
            yield setting.name


@pytest.mark.parametrize("name", list(_refusable()))
def test_a_bad_value_of_any_setting_stops_the_start(name, monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(ENVIRONMENT_NAMES.get(name, name), BAD)
    with pytest.raises(ConfigError, match=name):
        create_app()


def test_every_bad_value_is_named_at_once(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HR_MIN_RESPONSES", "0")
    monkeypatch.setenv("MAIL_USE_TLS", "maybe")
    with pytest.raises(ConfigError) as refused:
        create_app()
    assert "HR_MIN_RESPONSES='0'" in str(refused.value)
    assert "MAIL_USE_TLS='maybe'" in str(refused.value)


def test_settings_come_from_the_environment_parsed(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HR_MIN_RESPONSES", " 12 ")
    monkeypatch.setenv("ALERT_ON_INTEGRITY", "off")
    monkeypatch.setenv("CASE_HOLIDAYS", "2026-09-01, 2026-09-02")
    config = create_app().config
    assert config["HR_MIN_RESPONSES"] == 12 and config["ALERT_ON_INTEGRITY"] is False
    assert config["CASE_HOLIDAYS"] == ("2026-09-01", "2026-09-02")
    assert config["KIOSK_RESET_SECONDS"] == 5  # a default


def test_a_missing_profile_file_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HR_PROFILE", str(tmp_path / "nowhere.toml"))
    with pytest.raises(ConfigError, match="HR_PROFILE"):
        create_app()
