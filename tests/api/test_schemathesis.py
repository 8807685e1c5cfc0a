"""Property test over the OpenAPI schema: for every operation, whatever schemathesis generates (valid and
invalid parameters), the API never answers 5xx, and its answers match the documented schemas, status codes
and content types. The career assistant's operations (personal data, writes: POST/PUT/DELETE included) are
exercised against a real profile made in setup: whatever they are sent, never a 5xx.

Driven through hypothesis with each operation's strategy rather than `@schema.parametrize()`: schemathesis'
lazy pytest loader reads `request.node._nodeid`, which pytest 9 no longer has."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.clean_parameters import STORABLE_TEXT_PATTERN, UNSTORABLE_TEXT
from api.main import create_app
from tests.api.conftest import make_profile

EXAMPLES_PER_OPERATION = 200
# The assistant's operations write to the database and code résumés per call: fewer examples.
ASSISTANT_EXAMPLES_PER_OPERATION = 40


@pytest.fixture(scope="module")
def api_schema(built_database):
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(built_database))


# Every documented GET path of the read API (the OpenAPI document needs no database). The career
# assistant's endpoints (personal data, writes) have their own test below; transcription (a speech model
# per call) is tested by tests/assistant/test_voice.py.
ASSISTANT_PREFIXES = ("/api/v1/profiles", "/api/v1/resumes", "/api/v1/transcribe")
OPENAPI_PATHS = create_app().openapi()["paths"]
PATHS = sorted(
    p
    for p, operations in OPENAPI_PATHS.items()
    if "get" in operations and not p.startswith(ASSISTANT_PREFIXES)
)
ASSISTANT_OPERATIONS = sorted(
    (p, method.upper())
    for p, operations in OPENAPI_PATHS.items()
    if p.startswith(("/api/v1/profiles", "/api/v1/resumes"))
    for method in operations
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


def test_every_text_parameter_documents_that_a_nul_is_refused():
    """clean_parameters answers 422 to a NUL in any query or path parameter: the schema says so, or a client
    (and schemathesis' check that valid requests are accepted) would take the 422 for a bug."""
    text_parameters = [
        (path, parameter["name"], variant["pattern"])
        for path, operations in OPENAPI_PATHS.items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] in ("query", "path")
        for variant in parameter["schema"].get("anyOf", [parameter["schema"]])
        if variant.get("type") == "string"
    ]
    assert ("/api/v1/postings", "q", STORABLE_TEXT_PATTERN) in text_parameters
    assert not [(path, name) for path, name, pattern in text_parameters if re.search(pattern, "nurse\x00")]
    assert re.search(STORABLE_TEXT_PATTERN, "간호사 night shift")


@schemathesis.check
def valid_requests_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, less clean_parameters' 422 for a NUL: schemathesis puts one in a
    text parameter now and then although the parameter's pattern excludes it."""
    if response.status_code == 422 and all(
        error.get("type") == UNSTORABLE_TEXT for error in response.json().get("detail", [])
    ):
        return None
    return positive_data_acceptance(ctx, response, case)


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
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()


def test_every_assistant_operation_is_exercised():
    assert {
        ("/api/v1/profiles", "POST"),
        ("/api/v1/profiles/{profile_id}", "GET"),
        ("/api/v1/profiles/{profile_id}", "PUT"),
        ("/api/v1/profiles/{profile_id}", "DELETE"),
        ("/api/v1/profiles/{profile_id}/resume", "POST"),
        ("/api/v1/profiles/{profile_id}/cover-letter", "POST"),
        ("/api/v1/resumes/parse", "POST"),
    } <= set(ASSISTANT_OPERATIONS)


@pytest.fixture
def profile_id(assistant_app, db_conn) -> str:
    """A real profile for the path parameter: most generated requests reach it rather than a 404."""
    return make_profile(assistant_app, db_conn)


@pytest.mark.parametrize(("path", "method"), ASSISTANT_OPERATIONS)
def test_assistant_operations_never_answer_a_server_error_and_match_their_models(
    assistant_app, profile_id, path, method
):
    schema = schemathesis.openapi.from_asgi("/openapi.json", assistant_app)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=ASSISTANT_EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        if case.path_parameters and "profile_id" in case.path_parameters:
            case.path_parameters["profile_id"] = profile_id
        response = case.call(timeout=60)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    check()
