"""Names, phone numbers and e-mail addresses in a comment are masked; the rest is kept."""

from __future__ import annotations

import pytest

from feedback.masking import mask_personal


@pytest.mark.parametrize(("text", "masked"), [
    ("Chị Nguyễn Thị Lan ở quầy 2 vòi tiền", "Chị *** ở quầy 2 vòi tiền"),
    ("Kính gửi Bà Tư, cảm ơn", "Kính gửi Bà ***, cảm ơn"),
    ("anh ấy và chị Hoa.", "anh ấy và chị ***."),
    ("Anh Minh, Lan đến sau", "Anh ***, Lan đến sau"),
    ("gọi 0912 345 678 hoặc 0912.345.678", "gọi *** hoặc ***"),
    ("SĐT +84 912 345 678, (+84)912345678", "SĐT ***, ***"),
    ("máy bàn 024 3825 1234", "máy bàn ***"),
    ("thư a.b@example.vn nhé", "thư *** nhé"),
    ("bà con chờ lâu, mã hồ sơ 000.00.12.H34-250101-0001", None),
    ("Ông Bà", None),
    ("", None),
])
def test_mask_personal(text, masked):
    assert mask_personal(text) == (text if masked is None else masked)


def test_none_stays_none():
    assert mask_personal(None) is None
