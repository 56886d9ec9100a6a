"""The form links to a privacy notice naming the centre and its unit, what is stored (including
the address and device hashes) and why, the retention and the citizen's rights."""

from __future__ import annotations

import re


def test_the_form_links_to_the_notice_of_its_centre(app, client, org, survey_page):
    form = survey_page.open().get_data(as_text=True)
    [link] = re.findall(r'href="(/rieng-tu\?centre=\d+)"', form)
    app.config["CONTACT_RETENTION_DAYS"] = 90
    page = client.get(link).get_data(as_text=True)
    assert "Trung tâm PVHCC 00001" in page and "Phường 00001" in page
    assert "Mã băm có khóa" in page and "90 ngày" in page and "/tra-cuu" in page
    english = client.get(link + "&lang=en").get_data(as_text=True)
    assert "keyed fingerprint (hash)" in english and "90 days" in english


def test_the_notice_reads_without_a_centre(client):
    for url in ("/rieng-tu", "/privacy"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Trung tâm Phục vụ hành chính công" in response.get_data(as_text=True)
    assert client.get("/rieng-tu?centre=x").status_code == 404
