"""The OpenAPI 3.1 description of the visit tokens API (feedback/intake/api.py), kept by hand.

tests/channels/test_api_schema.py runs schemathesis against it, so a drift between this
document and the endpoints fails the suite.
"""

from __future__ import annotations

from typing import Any

from surveys.defaults import DOSSIER_CODE_PATTERN

_ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


_VISIT = {
    "type": "object",
    "required": ["id", "ticket_number", "counter_id", "procedure_area", "created_at",
                 "expires_at", "answered", "expired"],
    "properties": {
        "id": {"type": "string", "description": "The visit's identifier (UUID)."},
        "ticket_number": {"type": "string"},
        "counter_id": {"type": ["integer", "null"]},
        "procedure_area": {"type": ["string", "null"]},
        "dossier_code": {"type": ["string", "null"],
                         "description": "The one-stop system's dossier code, if given."},
        "created_at": {"type": "string", "format": "date-time"},
        "expires_at": {"type": "string", "format": "date-time",
                       "description": "After this the survey link no longer accepts answers."},
        "answered": {"type": "boolean"},
        "expired": {"type": "boolean"},
    },
}


def document() -> dict[str, Any]:
    """The OpenAPI document served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hài Lòng visit tokens API",
            "version": "1.0.0",
            "description": (
                "A centre's queue system posts each visit (queue ticket) and prints the "
                "one-time survey link it gets back, with its QR code, on the ticket. The link "
                "accepts exactly one response, recorded as a verified visit."),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/centre": {"get": {
                "operationId": "getCentre",
                "summary": "The token's centre, its open counters and the procedure areas",
                "responses": {
                    "200": {"description": "The centre", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Centre"}}}},
                    "401": _error("Missing or invalid API token"),
                },
            }},
            "/visits": {"post": {
                "operationId": "createVisit",
                "summary": "Record a visit and get its one-time survey link and QR code",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/VisitRequest"}}}},
                "responses": {
                    "201": {"description": "The visit, its survey URL and QR code",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/IssuedVisit"}}}},
                    "400": _error("The body is not a JSON object"),
                    "401": _error("Missing or invalid API token"),
                    "415": _error("The body is not JSON"),
                    "422": _error("A field is missing, unknown or invalid"),
                },
            }},
            "/visits/{visit_id}": {"get": {
                "operationId": "getVisit",
                "summary": "Whether a visit was answered or its link has expired",
                "parameters": [{"name": "visit_id", "in": "path", "required": True,
                                "schema": {"type": "string", "maxLength": 36}}],
                "responses": {
                    "200": {"description": "The visit", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Visit"}}}},
                    "401": _error("Missing or invalid API token"),
                    "404": _error("No such visit at the token's centre"),
                },
            }},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A centre's API token, created with `flask api-tokens create`."}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": {"type": "string"}, "message": {"type": "string"}}},
                "Centre": {"type": "object",
                           "required": ["name", "unit_code", "counters", "procedure_areas"],
                           "properties": {
                               "name": {"type": "string"},
                               "unit_code": {"type": "string"},
                               "counters": {"type": "array", "items": {
                                   "type": "object",
                                   "required": ["id", "label", "procedure_areas"],
                                   "properties": {
                                       "id": {"type": "integer"},
                                       "label": {"type": "string"},
                                       "procedure_areas": {"type": "array",
                                                           "items": {"type": "string"}}}}},
                               "procedure_areas": {"type": "array", "items": {
                                   "type": "object", "required": ["code", "name_vi", "name_en"],
                                   "properties": {"code": {"type": "string"},
                                                  "name_vi": {"type": "string"},
                                                  "name_en": {"type": "string"}}}}}},
                "VisitRequest": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["ticket_number"],
                    "anyOf": [{"required": ["counter_id"]}, {"required": ["procedure_area"]}],
                    "examples": [{"ticket_number": "A-012", "procedure_area": "ho-tich"}],
                    "properties": {
                        "ticket_number": {"type": "string",
                                          "pattern": "^[0-9A-Za-z][0-9A-Za-z ._/-]{0,31}$",
                                          "description": "The number printed on the ticket.",
                                          "examples": ["A-012", "1023"]},
                        "counter_id": {"type": "integer", "minimum": 1,
                                       "maximum": 2147483647,
                                       "description": "A counter id from GET /centre."},
                        "procedure_area": {"type": "string", "pattern": "^[0-9A-Za-z_-]{1,32}$",
                                           "description": "A procedure area code from "
                                                          "GET /centre.",
                                           "examples": ["ho-tich", "chung-thuc"]},
                        "dossier_code": {"type": "string", "pattern": DOSSIER_CODE_PATTERN,
                                         "description": "Optional: the dossier code (mã hồ "
                                                        "sơ) of the one-stop system, carried "
                                                        "by the response and its exports.",
                                         "examples": ["H26.12-251203-0007"]},
                    },
                },
                "Visit": _VISIT,
                "IssuedVisit": {"allOf": [_VISIT, {
                    "type": "object", "required": ["survey_url", "qr_svg"],
                    "properties": {
                        "survey_url": {"type": "string", "format": "uri",
                                       "description": "The one-time survey link to print."},
                        "qr_svg": {"type": "string",
                                   "description": "An SVG image of a QR code of survey_url."},
                    }}]},
            },
        },
    }
