"""The citizen's follow-up link: signed, bound to one case and its nonce, answered once."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

SALT = "case-followup"


class FollowUpTokenError(ValueError):
    """The link is not valid (tampered with or unknown)."""


class FollowUpTokenExpired(FollowUpTokenError):
    """The link is too old."""


@dataclass(frozen=True)
class FollowUpToken:
    """What a valid link carries."""

    case_id: int
    nonce: str


def make_token(secret: str, case_id: int, nonce: str) -> str:
    """A URL-safe signed token for the case's current follow-up nonce."""
    return URLSafeTimedSerializer(secret, salt=SALT).dumps({"c": case_id, "n": nonce})


def read_token(secret: str, token: str, max_age_seconds: int) -> FollowUpToken:
    """The case id and nonce of a valid token, or FollowUpTokenError / FollowUpTokenExpired."""
    serializer = URLSafeTimedSerializer(secret, salt=SALT)
    try:
        data = serializer.loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise FollowUpTokenExpired("expired") from exc
    except BadData as exc:
        raise FollowUpTokenError("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) \
            or not isinstance(data.get("n"), str):
        raise FollowUpTokenError("invalid")
    return FollowUpToken(data["c"], data["n"])
