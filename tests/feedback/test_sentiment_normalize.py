"""Normalisation and features: how real typing is mapped onto the corpus style."""

import pytest

from feedback.sentiment.features import FeatureConfig, extract, mark_negation
from feedback.sentiment.lexicon import NEGATION_FILLERS, NEGATORS, SCOPE_BREAKERS
from feedback.sentiment.normalize import fold, normalize, text_normalize


def test_fold_strips_vietnamese_diacritics():
    assert fold("Cán bộ nhiệt tình, ĐƯỢC") == "Can bo nhiet tinh, DUOC"


def test_normalize_lowercases_and_spaces_punctuation_like_the_corpus():
    assert normalize("Cán bộ nhiệt tình.Cảm ơn!") == "cán bộ nhiệt tình . cảm ơn !"


def test_teencode_is_expanded():
    assert normalize("nv ko nhiệt tình, dc") == "nhân viên không nhiệt tình , được"
    assert normalize("hok bít, đc k") == "không biết , được không"
    assert normalize("cb tg chờ lâu") == "cán bộ thời gian chờ lâu"


def test_k_after_a_number_means_thousand():
    assert normalize("phí 50k") == "phí 50 nghìn"


def test_repeated_letters_are_collapsed_but_real_doubles_kept():
    assert normalize("quáaaa lâuuuu điiii") == "quá lâu đi"
    assert normalize("nồi xoong good") == "nồi xoong good"
    assert normalize("1000 đồng") == "1000 đồng"


def test_emoji_and_emoticons_become_placeholder_words():
    assert normalize("tốt :)") == "tốt colonsmile"
    assert "colonsad" in normalize("chán 😢").split()
    assert "colonlove" in normalize("❤️").split()


def test_tone_marks_are_normalised_by_underthesea():
    assert normalize("hoà") == normalize("hòa")


def test_negation_scope_marks_following_words():
    tokens = ["không", "hề", "chậm", ",", "rất", "nhanh"]
    marked = mark_negation(tokens, NEGATORS, NEGATION_FILLERS, SCOPE_BREAKERS, 3)
    assert marked == ["không", "hề", "NEG_chậm", ",", "rất", "nhanh"]


def test_negation_scope_stops_at_a_breaker():
    tokens = ["chưa", "tốt", "nhưng", "nhanh"]
    marked = mark_negation(tokens, NEGATORS, NEGATION_FILLERS, SCOPE_BREAKERS, 3)
    assert marked == ["chưa", "NEG_tốt", "nhưng", "nhanh"]


def test_features_of_accented_and_plain_text_share_the_folded_blocks():
    config = FeatureConfig()
    accented = extract(normalize("Nhân viên không nhiệt tình"), config)
    plain = extract(normalize("nhan vien khong nhiet tinh"), config)
    assert accented["s"] == plain["s"]
    assert accented["c"] == plain["c"]
    assert "NEG_nhiệt NEG_tình" in accented["m"]
    assert "NEG_nhiet NEG_tinh" in plain["m"]


def test_syllable_trigrams_stand_in_for_compound_words():
    grams = extract(normalize("thủ tục hành chính rườm rà"), FeatureConfig())["m"]
    assert {"thủ tục", "hành chính", "thủ tục hành", "rườm rà"} <= set(grams)


@pytest.mark.parametrize(
    "text",
    [
        "cán bộ nhiệt tình.cảm ơn!!!",
        "phí 50.000đ, hẹn 15/12/2026 lúc 8h30 tại ubnd phường",
        "thủy, thuỷ, hoà, hòa, qúa, oà",
        "email: a.b@c.vn web https://dichvucong.gov.vn :) ^^",
        "dotdotdot vdotv wzjwz123 , - ( ) “ ” ' ...",
    ],
)
def test_our_text_normalize_equals_underthesea(text):
    from underthesea import text_normalize as theirs

    assert text_normalize(text) == theirs(text)
