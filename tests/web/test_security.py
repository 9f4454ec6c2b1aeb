"""Headers, forwarded addresses, bounded numbers, absolute links and busy answers
(issue 20, findings 12, 14 and 15, and the 503 of finding 2)."""

import asyncio
import json
import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from yunong.core.auth.roles import Role
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, reading, transaction
from yunong.web.app import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "yunong" / "web" / "templates"
PAGES = ["/", "/login", "/api/health", "/api/me", "/static/app.css", "/no-such-page"]


def admin(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.accounts[Role.CITY_ADMIN].token}"}


def make_app(module_db_url, tmp_path_factory, **settings) -> TestClient:
    var_dir = tmp_path_factory.mktemp("var")
    return TestClient(create_app(Settings(db_url=module_db_url, var_dir=var_dir, **settings)))


# Finding 15: security headers ----------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(anonymous, world, path):
    response = anonymous.get(path, headers=admin(world), follow_redirects=False)
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"


def test_hsts_is_sent_only_when_cookies_are_sent_over_https_only(
    anonymous, module_db_url, tmp_path_factory
):
    assert "strict-transport-security" not in anonymous.get("/login").headers
    with make_app(module_db_url, tmp_path_factory, cookie_secure=True) as secure:
        assert secure.get("/login").headers["strict-transport-security"].startswith("max-age=")


def test_the_map_tile_server_is_the_one_image_origin_the_policy_adds(
    module_db_url, tmp_path_factory
):
    tiles = "https://tiles.intranet.cq/{z}/{x}/{y}.png"
    with make_app(module_db_url, tmp_path_factory, map_tiles=tiles) as client:
        policy = client.get("/login").headers["content-security-policy"]
    assert "img-src 'self' data: blob: https://tiles.intranet.cq;" in policy


def test_no_template_carries_an_inline_script_or_an_event_handler_attribute():
    offending = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offending.append(f"{template.name}: {tag}")
        for handler in re.findall(r"\son[a-z]+\s*=", text):
            offending.append(f"{template.name}: {handler.strip()}")
        if "javascript:" in text:
            offending.append(f"{template.name}: javascript:")
    assert offending == []


def test_api_docs_start_swagger_from_a_static_file(anonymous):
    page = anonymous.get("/api/docs").text
    assert '<script src="/static/api-docs.js"></script>' in page
    assert anonymous.get("/static/api-docs.js").status_code == 200


# Finding 15: absolute links from the configured public address -------------------------------


def test_ogc_links_start_with_the_public_address_whatever_the_host_header_says(
    module_db_url, world, tmp_path_factory
):
    public = "https://yunong.cq.gov.cn"
    with make_app(module_db_url, tmp_path_factory, public_url=public) as client:
        headers = admin(world) | {"Host": "evil.example"}
        landing = client.get("/ogc", headers=headers).json()
        page = client.get("/ogc/collections/parcels/items?limit=1", headers=headers).json()
    hrefs = [link["href"] for link in landing["links"] + page["links"]]
    assert hrefs and all(href.startswith(f"{public}/ogc") for href in hrefs)
    assert not any("evil.example" in href for href in hrefs)


def test_the_public_address_defaults_to_https_and_the_public_domain():
    settings = Settings(public_domain="nongye.cq.cn")
    assert settings.public_base_url() == "https://nongye.cq.cn"
    assert Settings(public_url="http://10.1.2.3:8000/").public_base_url() == "http://10.1.2.3:8000"


# Finding 2: no deadlock under a crowd; a request that cannot be served in time gets 503 ---------


def test_a_hundred_requests_at_once_are_all_answered_and_none_with_a_server_error(app, world):
    """More requests than threads and connections, in one process: each waits its turn
    for a slot instead of holding a connection while it waits for a thread."""
    officer = {"Authorization": f"Bearer {world.accounts[Role.DISTRICT_OFFICER].token}"}

    async def at_once():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            requests = [client.get("/api/me", headers=officer) for _ in range(80)]
            requests += [client.get("/api/health") for _ in range(20)]
            return await asyncio.gather(*requests)

    statuses = [response.status_code for response in asyncio.run(at_once())]
    assert statuses == [200] * 100


def test_a_write_is_committed_before_its_answer_is_sent(app, world, module_db_url):
    """A client told 201 may read its write at once, through any server process, and a
    process killed after answering has lost nothing it confirmed."""
    other = make_sessionmaker(reading(make_engine(module_db_url)))
    committed_when_answered: list[bool] = []

    def stored() -> bool:
        with transaction(other) as session:
            found = session.execute(text("SELECT 1 FROM app_user WHERE name = 'answered_01'"))
            return found.first() is not None

    async def call() -> None:
        body = json.dumps(
            {"name": "answered_01", "role": "grid_worker", "region_code": world.place.village,
             "password": "Yunong-answered-2024"}
        ).encode()  # fmt: skip
        token = world.accounts[Role.CITY_ADMIN].token
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": "/api/users",
            "raw_path": b"/api/users", "query_string": b"", "root_path": "",
            "client": ("10.1.2.3", 50000), "server": ("testserver", 80),
            "headers": [
                (b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode()),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }  # fmt: skip
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                assert message["status"] == 201
                committed_when_answered.append(stored())

        await app(scope, receive, send)

    asyncio.run(call())
    assert committed_when_answered == [True]


def test_a_reading_request_that_must_write_after_another_wrote_is_run_again_as_a_writer(
    module_db_url, world, tmp_path_factory
):
    """A whole-record view reads, then writes its audit record; just before that write,
    another connection commits one of its own. On SQLite the view's reading transaction
    can no longer write: it is run again at once as a writing one, and the client sees
    only the second answer."""
    settings = Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var"))
    app = create_app(settings)
    engine = app.state.sessions.kw["bind"]
    other = make_sessionmaker(make_engine(module_db_url))
    interrupted: list[str] = []

    def another_write_first(connection, cursor, statement, *rest) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT") and not interrupted:
            interrupted.append(statement)
            with transaction(other) as session:
                session.execute(text("UPDATE app_user SET full_name = full_name WHERE id = 1"))

    event.listen(engine, "before_cursor_execute", another_write_first)
    headers = {"Authorization": f"Bearer {world.accounts[Role.DISTRICT_OFFICER].token}"}
    with TestClient(app) as client:
        response = client.get(f"/api/users/{world.user_in_village}/personal", headers=headers)
    event.remove(engine, "before_cursor_execute", another_write_first)
    assert interrupted
    assert response.status_code == 200
    assert response.json()["phone"].isdigit()


def test_requests_past_the_slots_wait_and_then_get_503_with_retry_after(
    module_db_url, world, tmp_path_factory
):
    """One slot, held by a request whose body comes slowly: the requests behind it wait
    their 0.3 s and are told to come back, never 500; the health check has its own."""
    settings = Settings(
        db_url=module_db_url,
        var_dir=tmp_path_factory.mktemp("var"),
        request_slots=1,
        request_wait_seconds=0.3,
    )
    app = create_app(settings)
    sending = asyncio.Event()
    headers = {"Authorization": f"Bearer {world.accounts[Role.DISTRICT_OFFICER].token}"}

    async def slow_body():
        sending.set()
        yield b'{"name": "slow_01", '
        await asyncio.sleep(2)
        yield b'"role": "grid_worker"}'

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            slow = asyncio.create_task(
                client.post("/api/users", content=slow_body(), headers=headers)
            )
            await sending.wait()
            waiting = await asyncio.gather(
                *(client.get("/api/me", headers=headers) for _ in range(5))
            )
            health = await client.get("/api/health")
            await slow
            return waiting, health

    waiting, health = asyncio.run(scenario())
    assert {response.status_code for response in waiting} == {503}
    assert all(response.headers["retry-after"] == "5" for response in waiting)
    assert waiting[0].json()["detail"] == "服务器繁忙，请稍后再试"
    assert health.status_code == 200
