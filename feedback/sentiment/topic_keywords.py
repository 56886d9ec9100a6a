"""Keyword lists for topics and integrity alerts, written with diacritics, syllables spaced.

Keys of ``TOPIC_KEYWORDS`` are the stable topic codes stored on responses; keep them.
"""

TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "staff_attitude": (
        "cán bộ", "nhân viên", "công chức", "viên chức", "thái độ", "nhiệt tình", "tận tình",
        "tận tâm", "tận tụy", "thân thiện", "lịch sự", "niềm nở", "vui vẻ", "vui tính",
        "dễ thương", "nhẹ nhàng", "nhỏ nhẹ", "lễ phép", "chu đáo", "kiên nhẫn", "hách dịch",
        "cửa quyền", "gắt", "cáu", "quát", "mắng", "cau có", "khó chịu", "lạnh lùng",
        "lạnh tanh", "thờ ơ", "coi thường", "khinh", "trống không", "cộc lốc", "lồi lõm",
        "phục vụ", "tiếp dân", "tiếp đón", "chào hỏi", "trách nhiệm", "đùn đẩy", "bảo vệ",
        "tư vấn", "giải thích", "hướng dẫn", "chỉ dẫn", "tươi cười", "mặt lạnh", "máy bận",
        "nghe máy", "bắt máy", "chuyên nghiệp", "các anh chị", "các bạn", "mọi người ở đây",
        "hỗ trợ nhiệt tình", "ưu tiên", "khó tính", "bắt bẻ", "gây khó dễ", "sách nhiễu",
        "nhũng nhiễu", "vòi tiền", "vòi vĩnh", "đòi tiền", "đòi phong bì",
    ),
    "waiting_time": (
        "chờ", "đợi", "xếp hàng", "lâu", "chậm", "nhanh", "lấy số", "bốc số", "tới lượt",
        "đến lượt", "cả buổi", "cả ngày", "mất cả", "tiếng đồng hồ", "phút", "dài cổ",
        "mỏi mòn", "chen lấn", "gọi số", "nộp xong là về", "làm luôn", "giải quyết ngay",
        "làm trước", "đông người",
    ),
    "procedures": (
        "thủ tục", "giấy tờ", "rườm rà", "bản sao", "công chứng", "photo", "tờ khai",
        "biểu mẫu", "mẫu đơn", "bổ sung", "quy trình", "trả lại", "trả về", "nộp hồ sơ",
        "đi lại", "chạy đi chạy lại", "đi tới đi lui", "nhiều lần", "hộ chiếu", "căn cước",
        "cccd", "khai sinh", "khai tử", "kết hôn", "cấp phép", "giấy phép", "con nuôi",
        "tách thửa", "sang tên", "quy định", "một cửa", "điền", "đơn giản", "hồ sơ bị",
        "danh mục", "giấy ủy quyền", "tư pháp",
    ),
    "result_timeliness": (
        "kết quả", "đúng hẹn", "trễ hẹn", "trễ", "hẹn", "giấy hẹn", "phiếu hẹn", "quá hạn",
        "trước hạn", "đúng hạn", "sớm hơn", "chậm trễ", "ngày làm việc", "bưu điện",
        "sai thông tin", "sai tên", "thất lạc", "tiến độ",
    ),
    "facilities": (
        "phòng chờ", "ghế", "chỗ ngồi", "điều hòa", "quạt", "nhà vệ sinh", "vệ sinh",
        "nước uống", "wifi", "bãi xe", "gửi xe", "để xe", "giữ xe", "đỗ xe", "đỗ ô tô",
        "thang máy", "xe lăn", "lối đi", "máy lấy số", "màn hình", "máy tra cứu",
        "cơ sở vật chất", "sạch", "sạch sẽ", "bẩn", "hôi", "thoáng", "chật", "rộng rãi",
        "nóng", "mát", "sạc", "đèn", "tivi", "bút", "máy tính bảng", "hòm thư", "khu chờ",
        "không gian", "hiện đại", "trang thiết bị", "mái che", "cầu thang", "photocopy",
        "bảng hướng dẫn", "hệ thống xếp hàng", "số thứ tự", "góc chơi", "muỗi",
    ),
    "online_system": (
        "dịch vụ công", "trực tuyến", "online", "qua mạng", "trên mạng", "lên mạng", "cổng",
        "website", "trang web", "web", "ứng dụng", "app", "vneid", "đăng nhập", "tài khoản",
        "tải file", "file", "đính kèm", "mã qr", "qr", "zalo", "chatbot", "tổng đài",
        "ký số", "tra cứu", "tin nhắn", "sms", "email", "chuyển khoản", "điện tử",
        "hệ thống báo", "báo lỗi", "bị lỗi", "lỗi",
    ),
    "fees": (
        "phí", "lệ phí", "tiền", "thu tiền", "biên lai", "hóa đơn", "nộp tiền", "thanh toán",
        "đắt", "rẻ", "miễn phí", "nghìn", "triệu", "giá cả", "giá rẻ", "chi phí", "tiền mặt",
        "chuyển khoản", "thu thêm", "phong bì", "bồi dưỡng", "lót tay", "đưa tiền",
    ),
    "suggestion": (
        "góp ý", "kiến nghị", "đề nghị", "đề xuất", "mong muốn", "mong", "hy vọng", "ước gì",
        "giá mà", "giá như", "nên có", "nên có thêm", "nên thêm", "nên bố trí", "nên bổ sung",
        "nên lắp", "nên mở", "nên tăng", "nên cải thiện", "nên làm", "nên cho", "nên cho phép",
        "cần có thêm", "cần bổ sung thêm", "cần thêm", "cần bố trí", "cần cải thiện",
        "sẽ tốt hơn", "thì tốt hơn", "thì hay hơn", "sẽ tiện hơn", "thì tiện hơn",
    ),
    "question": (
        "cho hỏi", "xin hỏi", "cho em hỏi", "cho tôi hỏi", "cho mình hỏi", "cho cháu hỏi",
        "cho con hỏi", "muốn hỏi", "hỏi thông tin", "muốn biết", "cần mang theo", "mang theo gì",
        "cần những gì", "giấy tờ gì", "làm ở đâu", "nộp ở đâu", "như thế nào ạ", "thế nào ạ",
        "bao lâu ạ", "bao nhiêu ạ", "được không ạ", "có được không", "mấy ngày", "khi nào thì",
    ),
}

#: Bribery, harassment and informal-fee wording; any hit raises the integrity alert.
INTEGRITY: tuple[str, ...] = (
    "nhũng nhiễu", "sách nhiễu", "vòi tiền", "vòi vĩnh", "phong bì", "bôi trơn",
    "tiêu cực", "gây khó dễ", "gây khó khăn", "làm khó", "tiền cà phê", "tiền cafe",
    "tiền cà fê", "tiền cafê", "tiền trà nước", "tiền nước", "lót tay", "đút lót", "hối lộ",
    "đưa tiền ngoài", "tiền ngoài", "đòi tiền", "xin tiền", "bồi dưỡng", "chung chi",
    "làm luật", "ăn tiền", "quà cáp", "cò mồi", "phí làm nhanh", "dịch vụ làm nhanh",
    "ngoài lệ phí", "thu thêm tiền", "không có biên lai", "không biên lai",
    "không có hóa đơn", "không hóa đơn", "quấy rối", "sàm sỡ", "gạ gẫm", "xin xỏ", "móc nối",
    "tiếp tay", "bắt chẹt", "chi thêm tiền", "tham nhũng", "kẹp tiền", "dúi tiền",
    "phong bao", "lì xì",
)

#: Wording that is an informal payment only when no legitimate fee is in sight: "đưa tiền lệ
#: phí cho cán bộ thu, có biên lai" is paying the fee. A receipt or invoice in the comment
#: (see ``LEGITIMATE_FEE``) silences these, never the words in ``INTEGRITY``.
WEAK_INTEGRITY: tuple[str, ...] = ("đưa tiền", "phí dịch vụ", "tiền dịch vụ")

#: Verbs that, directly before an amount ("đòi 200k", "xin 1tr", "phải chi thêm 300 nghìn"),
#: ask for or hand over money: a weak integrity mention, like ``WEAK_INTEGRITY``.
MONEY_VERBS: tuple[str, ...] = (
    "đòi", "vòi", "xin", "kẹp", "dúi", "đưa", "bồi dưỡng", "chi thêm", "đưa thêm",
    "đóng thêm", "nộp thêm", "gửi thêm", "bắt đưa", "bắt chi", "bắt đóng", "phải đưa",
    "phải chi", "biếu",
)

#: Units after a number that make it an amount of money ("200 nghìn", "1 triệu", "150.000 đ").
MONEY_UNITS: tuple[str, ...] = ("nghìn", "ngàn", "triệu", "củ", "đ", "đồng", "vnđ", "k")

#: Words showing that money changed hands through the official channel.
LEGITIMATE_FEE: tuple[str, ...] = ("biên lai", "hóa đơn", "biên bản")

#: Phrases that deny a following integrity keyword ("không có tiêu cực").
INTEGRITY_DENIALS: tuple[str, ...] = (
    "không", "không hề", "không có", "không hề có", "không có chuyện", "không hề có chuyện",
    "không có gì", "không có hiện tượng", "không có dấu hiệu", "không thấy", "không thấy có",
    "không bị", "không phải", "không ai", "không có ai", "không còn", "không còn cảnh",
    "không còn chuyện", "hết cảnh", "chẳng", "chẳng có", "chưa", "chưa từng", "chưa từng bị",
    "chưa bao giờ bị", "tuyệt đối không", "tuyệt đối không có", "không cần", "không phải chi",
)

#: One-syllable keywords that stay unambiguous without diacritics, so they may match a
#: comment typed without any ("cho lau" is "chờ lâu"; "cho" alone could be "cho"; "quat"
#: could be "quát" or "quạt", "hoi" "hôi" or "hỏi", so those are not listed).
SAFE_FOLDED_SINGLES: frozenset[str] = frozenset({
    "nhanh", "chậm", "lâu", "phút", "gắt", "khinh", "phí",
})
