"""Integers that routes read from paths, queries and forms are bounded, so that an
oversized one is refused with 422 instead of overflowing a database column into a 500
(issue 20, finding 14)."""

import re

from fastapi.routing import APIRoute

from yunong.core.auth.roles import Role
from yunong.web.params import MAX_ID


def admin(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.accounts[Role.CITY_ADMIN].token}"}


def api_routes(routes):
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from api_routes(route.original_router.routes)


def integer_parameters(app):
    """(route, parameter name, where) for every integer a route reads from the request."""

    def dependants(dependant):
        yield dependant
        for sub in dependant.dependencies:
            yield from dependants(sub)

    found = []
    for route in api_routes(app.routes):
        for dependant in dependants(route.dependant):
            for where, params in (
                ("path", dependant.path_params),
                ("query", dependant.query_params),
                ("form", dependant.body_params),
            ):
                for param in params:
                    if "int" in str(param.field_info.annotation):
                        found.append((route, param, where))
    return found


def test_every_integer_a_route_reads_has_an_upper_bound(app):
    found = integer_parameters(app)
    assert len(found) >= 15
    unbounded = [
        f"{sorted(route.methods)} {route.path} {param.name}"
        for route, param, _ in found
        if not any(
            hasattr(bound, "le") or hasattr(bound, "lt") for bound in param.field_info.metadata
        )
    ]
    assert unbounded == []


def test_an_oversized_integer_in_a_path_or_query_is_refused_with_422(anonymous, app, world):
    huge = str(10**20)
    answers = {}
    for route, param, where in integer_parameters(app):
        if where == "form":
            continue
        path = re.sub(r"\{(\w+)(:path)?\}", "x", route.path.replace(f"{{{param.name}}}", huge))
        query = {param.name: huge} if where == "query" else {}
        method = sorted(route.methods)[0]
        response = anonymous.request(method, path, params=query, headers=admin(world))
        answers[f"{method} {route.path} {param.name}"] = response.status_code
    assert answers and set(answers.values()) == {422}, answers


def test_an_oversized_row_id_in_a_form_is_refused_with_422(anonymous, world):
    response = anonymous.post(
        "/trace/batches",
        data={"product_id": str(MAX_ID + 1), "lot": "L1", "quantity": "1"},
        headers=admin(world),
    )
    assert response.status_code == 422
