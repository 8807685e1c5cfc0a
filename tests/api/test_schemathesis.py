"""Property test over the OpenAPI schema: for every operation, whatever schemathesis generates (valid and
invalid parameters), the API never answers 5xx, and its answers match the documented schemas, status codes
and content types.

Driven through hypothesis with each operation's strategy rather than `@schema.parametrize()`: schemathesis'
lazy pytest loader reads `request.node._nodeid`, which pytest 9 no longer has."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api.main import create_app

EXAMPLES_PER_OPERATION = 200


@pytest.fixture(scope="module")
def api_schema(built_database):
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(built_database))


# Every documented GET path of the read API (the OpenAPI document needs no database). The career
# assistant's endpoints (personal data, writes) and the postings coder (POST) are tested by their own
# domains' tests against the database instead.
ASSISTANT_PREFIXES = ("/api/v1/profiles", "/api/v1/resumes", "/api/v1/transcribe")
PATHS = sorted(
    p
    for p, operations in create_app().openapi()["paths"].items()
    if "get" in operations and not p.startswith(ASSISTANT_PREFIXES)
)


def test_every_endpoint_is_documented():
    assert {
        "/api/v1/health",
        "/api/v1/versions",
        "/api/v1/occupations",
        "/api/v1/occupations/{soc_code}",
        "/api/v1/rankings/ai_risk",
        "/api/v1/tasks/{task_id}",
    } <= set(PATHS)


@pytest.mark.parametrize("path", PATHS)
def test_no_server_error_and_responses_match_the_schema(api_schema, path):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate()

    check()
