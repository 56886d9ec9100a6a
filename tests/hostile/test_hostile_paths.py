"""Addresses no honest client asks for: a NUL character anywhere in the path is refused with a
400 page (JSON under the JSON APIs) before any view looks it up; PostgreSQL cannot even compare
text holding NUL, so a lookup by token used to end in a server error there."""

from __future__ import annotations

import pytest

from accounts.models import Role

PUBLIC = ["/s/abc%00", "/v/abc%00", "/board/abc%00", "/f/abc%00", "/k/abc%00",
          "/k/enrol/abc%00", "/abc%00"]


@pytest.mark.parametrize("path", PUBLIC)
def test_a_nul_in_a_public_path_is_a_400_page(client, path):
    response = client.get(path)
    assert response.status_code == 400 and response.mimetype == "text/html"


@pytest.mark.parametrize("path", ["/api/v1/visits/abc%00", "/k/api/answers%00"])
def test_a_nul_in_a_json_api_path_is_a_json_400(client, path):
    response = client.get(path)
    assert response.status_code == 400 and response.get_json()["message"]


@pytest.mark.parametrize("role,path", [
    (Role.LEADER, "/inbox/responses/abc%00/case"), (Role.HR, "/hr/responses/abc%00/exclude")])
def test_a_nul_in_a_back_office_path_is_a_400(org, sign_in, role, path):
    response = sign_in(role, "00001").post(path)
    assert response.status_code == 400
