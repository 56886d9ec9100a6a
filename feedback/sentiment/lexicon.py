"""Word lists used by normalisation and features: emoji, emoticons, teen-code, negators.

Emoji become the placeholder words UIT-VSFC uses for emoticons (``colonsmile``, ``colonsad``,
``colonlove``...), plus a few of our own (``colonangry``, ``colonlike``) that the
service-centre training comments teach the model.
"""

_SMILE = "colonsmile"
_LAUGH = "colonbigsmile"
_LOVE = "colonlove"
_SAD = "colonsad"
_ANGRY = "colonsad colonangry"
_LIKE = "colonsmile colonlike"
_DISLIKE = "colonsad colondislike"
_THANKS = "colonthanks"

_EMOJI_GROUPS: dict[str, str] = {
    _SMILE: "😀😃😄😁😊🙂😉☺😇🤗😌😋😎🥳🎉✨🌟⭐💐🌹",
    _LAUGH: "😆😂🤣😹",
    _LOVE: "😍🥰😘❤♥💕💖💗💓💞💯💙💚💛🧡💜🫶",
    _SAD: "😢😭😞😔☹🙁😟😩😫😥😰😓😣😖🥲💔😿😪😕😒🙄😑😐🥱😴",
    _ANGRY: "😡😠🤬💢😤👿🤯🤮🤢💩",
    _LIKE: "👍👌👏💪✅",
    _DISLIKE: "👎❌⛔",
    _THANKS: "🙏",
}

#: Emoji character -> placeholder word(s).
EMOJI: dict[str, str] = {
    char: word for word, chars in _EMOJI_GROUPS.items() for char in chars
}

#: ASCII emoticons (already lower-cased) -> placeholder word(s).
EMOTICONS: dict[str, str] = {
    ":)": _SMILE, ":))": _SMILE, ":)))": _SMILE, ":-)": _SMILE, "=))": _LAUGH,
    "=)))": _LAUGH, "^^": _SMILE, "^_^": _SMILE, ":d": _LAUGH, "=d": _LAUGH,
    ":(": _SAD, ":((": _SAD, ":(((": _SAD, ":-(": _SAD, ":'(": _SAD, "t_t": _SAD,
    "-_-": "coloncontemn", "-.-": "coloncontemn", ":v": "coloncontemn",
    "<3": _LOVE, ":*": _LOVE, ":x": _LOVE, ">:(": _ANGRY, ":@": _ANGRY,
}

#: Abbreviations and teen-code -> standard spelling (keys are lower-case whole tokens).
TEENCODE: dict[str, str] = {
    # negation
    "ko": "không", "k": "không", "kh": "không", "khg": "không", "kg": "không",
    "hok": "không", "hông": "không", "hem": "không", "hk": "không", "kô": "không",
    "khong": "không", "k0": "không", "hổng": "không", "chx": "chưa", "kbh": "không bao giờ",
    # được / very / well-known fillers
    "dc": "được", "đc": "được", "dk": "được", "đk": "được", "dzc": "được", "đuợc": "được",
    "qá": "quá", "wá": "quá", "qa": "quá", "wa": "quá", "lun": "luôn", "nhìu": "nhiều",
    "nhiu": "nhiêu", "bít": "biết", "bik": "biết", "bjt": "biết", "hỉu": "hiểu",
    "thik": "thích", "iu": "yêu", "zui": "vui", "dzui": "vui", "hum": "hôm",
    "ok": "ổn", "oke": "ổn", "okie": "ổn", "oki": "ổn", "okela": "ổn", "okay": "ổn",
    "tks": "cảm ơn", "thanks": "cảm ơn", "thank": "cảm ơn", "thx": "cảm ơn", "camon": "cảm ơn",
    "bt": "bình thường", "bth": "bình thường", "vs": "với", "r": "rồi", "j": "gì",
    "z": "vậy", "zậy": "vậy", "dzậy": "vậy", "mn": "mọi người", "mng": "mọi người",
    "ng": "người", "trc": "trước", "ntn": "như thế nào", "cx": "cũng", "cg": "cũng",
    "mk": "mình", "mik": "mình", "lm": "làm", "ns": "nói", "đag": "đang", "dag": "đang",
    "nch": "nói chung", "ncl": "nói chung là", "hqua": "hôm qua", "hnay": "hôm nay",
    "bgio": "bây giờ", "h": "giờ", "tr": "triệu", "vl": "quá", "vcl": "quá",
    # service-centre words
    "nv": "nhân viên", "nvien": "nhân viên", "cb": "cán bộ", "cbcc": "cán bộ công chức",
    "tg": "thời gian", "tgian": "thời gian", "hs": "hồ sơ", "hso": "hồ sơ",
    "tt": "thủ tục", "tthc": "thủ tục hành chính", "tthủ": "thủ tục", "gt": "giấy tờ",
    "gto": "giấy tờ", "dv": "dịch vụ", "dvc": "dịch vụ công", "đt": "điện thoại",
    "dt": "điện thoại", "sđt": "số điện thoại", "sdt": "số điện thoại", "tn": "tin nhắn",
    "ck": "chuyển khoản", "lp": "lệ phí", "bp": "bộ phận", "pv": "phục vụ",
    "stt": "số thứ tự", "ubnd": "ủy ban nhân dân", "ub": "ủy ban",
}

#: Words (after word segmentation, syllables joined by "_") that open a negation scope.
NEGATORS: frozenset[str] = frozenset({
    "không", "chẳng", "chả", "chưa", "đừng", "chớ", "không_hề", "chưa_hề", "chẳng_hề",
    "chưa_từng", "không_bao_giờ", "chẳng_bao_giờ", "chưa_bao_giờ", "không_còn", "không_có",
    "chưa_có", "chẳng_có",
})

#: Intensifiers that may sit between a negator and the negated word ("không hề chậm").
NEGATION_FILLERS: frozenset[str] = frozenset({
    "hề", "có", "được", "quá", "lắm", "thật", "thực_sự", "phải", "bao_giờ", "bị",
})

#: Words that end a negation scope (besides punctuation).
SCOPE_BREAKERS: frozenset[str] = frozenset({
    "nhưng", "nhưng_mà", "mà", "tuy", "tuy_nhiên", "song", "còn", "và", "nên", "thì",
})

#: Folded (diacritic-free) negators for the diacritic-insensitive features.
FOLDED_NEGATORS: frozenset[str] = frozenset({"khong", "chang", "chua", "chu"})

#: A small prior-polarity lexicon. Used only to add generalising features: "không chậm" gives
#: ``not_negative`` whatever the negated word, so a handful of examples teach the model that
#: a denied complaint is not a complaint. The classifier learns the weights. Entries have at
#: most two syllables.
POSITIVE_WORDS: frozenset[str] = frozenset({
    "nhiệt tình", "tận tình", "tận tâm", "tận tụy", "chu đáo", "thân thiện", "vui vẻ",
    "niềm nở", "lịch sự", "nhanh", "nhanh chóng", "nhanh gọn", "tốt", "hài lòng", "hay",
    "ổn", "dễ hiểu", "rõ ràng", "đúng hẹn", "đúng giờ", "chuyên nghiệp", "sạch sẽ", "tiện",
    "tiện lợi", "thuận tiện", "đơn giản", "dễ dàng", "minh bạch", "hợp lý", "đầy đủ",
    "kiên nhẫn", "dễ thương", "thoải mái", "hiệu quả", "nhiệt huyết", "cẩn thận", "kỹ",
    "hữu ích", "thú vị", "tuyệt vời", "xuất sắc", "hăng hái", "công tâm",
})
NEGATIVE_WORDS: frozenset[str] = frozenset({
    "chậm", "chậm chạp", "chậm trễ", "lâu", "tệ", "kém", "khó chịu", "cáu", "cáu gắt", "gắt",
    "hách dịch", "rườm rà", "phức tạp", "phiền", "phiền hà", "khó khăn", "khó dễ", "khó",
    "bẩn", "chật", "nóng", "lỗi", "trễ", "muộn", "thất vọng", "bức xúc", "mệt", "mệt mỏi",
    "chán", "nhàm chán", "lộn xộn", "thờ ơ", "cau có", "quát", "nhũng nhiễu", "sai",
    "khó hiểu", "tốn", "tốn kém", "đắt", "vất vả", "bực", "buồn ngủ", "qua loa", "cẩu thả",
    "lãng phí", "than phiền", "phàn nàn", "chê", "dở", "ồn", "ồn ào",
})
