"""Schemathesis sends generated requests to every operation as a logged-in officer: no 5xx."""

import schemathesis
from hypothesis import HealthCheck, given, settings

from yunong.core.auth.roles import Role


def test_no_operation_answers_with_a_server_error(app, world):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    headers = {"Authorization": f"Bearer {world.accounts[Role.DISTRICT_OFFICER].token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def no_server_error(case):
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.text}"
            )

        no_server_error()
