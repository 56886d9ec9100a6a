"""SENTIMENT_MODEL chooses the shipped artifact: research (UIT-VSFC) or own (our data only)."""

import pytest

from app import create_app
from feedback import sentiment
from feedback.sentiment import loader
from feedback.sentiment.settings import parse
from feedback.sentiment.version import MODEL_VERSION, OWN_SUFFIX


@pytest.fixture
def restore_choice():
    yield
    loader.choose("research")


def test_own_model_is_chosen_by_the_setting(restore_choice):
    create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SENTIMENT_MODEL": "own",
                "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    result = sentiment.tag("Cán bộ rất nhiệt tình, tôi hài lòng")
    assert result.model_version == sentiment.model_version() == MODEL_VERSION + OWN_SUFFIX
    assert result.label == "positive"
    assert sentiment.tag("Có người vòi tiền khi nộp hồ sơ").label == "negative"


def test_research_model_is_the_default(restore_choice):
    loader.choose("own")
    create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert sentiment.model_version() == MODEL_VERSION


def test_a_bad_value_stops_the_start():
    with pytest.raises(ValueError, match="research, own"):
        parse("uit")
    with pytest.raises(ValueError):
        create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SENTIMENT_MODEL": "best",
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})
