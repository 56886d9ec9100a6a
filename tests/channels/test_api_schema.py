"""The visit tokens API matches its OpenAPI description: schemathesis finds no server error,
no undocumented status or content type, and no response that breaks the described schema."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from core.db import db
from feedback.intake.openapi import document
from surveys import services


@pytest.fixture
def api_secret(app, org, make_api_token) -> str:
    with app.app_context():
        services.ensure_procedure_areas()
        db.session.commit()
    return make_api_token(org["centre_id"])


#: The document as served (test_description_is_served_and_lists_every_api_route checks that).
schema = schemathesis.openapi.from_dict(document(), config=SchemathesisConfig.from_dict({
    # A schema-valid body may still name a counter or procedure area that does not exist at
    # the token's centre: that is answered 422 (documented), which this check must accept.
    "checks": {"positive_data_acceptance": {
        "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]}},
}))


@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_conforms_to_its_description(app, case, api_secret):
    case.operation.schema.app = app  # this test's app, also for the checks' own requests
    case.call_and_validate(app=app, base_url="http://localhost/api/v1",
                           headers={"Authorization": f"Bearer {api_secret}"})


def test_description_is_served_and_lists_every_api_route(app, client):
    served = client.get("/api/v1/openapi.json").get_json()
    assert served == json.loads(json.dumps(document()))
    assert served["openapi"].startswith("3.1")
    described = {(path, method.upper()) for path, ops in served["paths"].items()
                 for method in ops}
    routes = {(rule.rule.removeprefix("/api/v1").replace("<visit_id>", "{visit_id}"), method)
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert described == routes
