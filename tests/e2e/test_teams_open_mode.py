"""Without Teams credentials, /api/messages serves this machine only (issue 10, item 1).

The attack: a Slack-only server bound to 0.0.0.0 (as the Dockerfile does) took an
unauthenticated activity from a remote address, posing as a strategist, and posted its
replies (and export links) wherever ``serviceUrl`` said. Here the "remote address" is
real: the client runs in a network namespace of its own, joined to the server by a veth
pair on addresses reserved for benchmarking (RFC 2544), so its packets come from a
non-loopback peer and can never leave this machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from slack_harness import E2E_ORG, JambotServer, e2e_env, listening_socket, served
from sqlalchemy import func, select
from standins.bot_connector import (
    BotConnectorStandIn,
    TeamsUser,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    installation,
    personal,
    personal_message,
)
from standins.slack_api import SlackApiStandIn
from teams_harness import STRATEGIST_AAD, TeamsClient

from bot.app import build_server_context, load_kb
from bot.config import Settings
from bot.db.models import Download, ProcessedEvent
from bot.server import create_app
from bot.teams import TEAMS_TURNS
from chat.outbox import Recipient
from chat.replies import FileAttachment, Reply
from reminders.organisation import load_org_config

STRATEGIST = TeamsUser(STRATEGIST_AAD, "Anna Andersson")


@dataclass(frozen=True)
class RemoteNamespace:
    name: str
    server_address: str  # the host end of the veth pair
    client_address: str  # the namespace end: a non-loopback peer

_POST = """
import json, sys, urllib.request, urllib.error
request = urllib.request.Request(sys.argv[1], data=sys.stdin.buffer.read(),
                                 headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(request, timeout=20) as response:
        print(response.status)
except urllib.error.HTTPError as error:
    print(error.code)
"""


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@pytest.fixture
def remote_namespace() -> Iterator[RemoteNamespace]:
    """A network namespace whose only route is a veth link to this host."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("needs root and iproute2 to create a network namespace")
    name = f"jbsec{os.getpid() % 100000}"
    subnet = f"198.18.{os.getpid() % 250}"  # one per test process: xdist workers run alongside
    space = RemoteNamespace(name, f"{subnet}.1", f"{subnet}.2")
    host_end, ns_end = f"{name}a", f"{name}b"
    try:
        _ip("netns", "add", name)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot create a network namespace here: {exc.stderr.decode().strip()}")
    try:
        _ip("link", "add", host_end, "type", "veth", "peer", "name", ns_end)
        _ip("link", "set", ns_end, "netns", name)
        _ip("addr", "add", f"{space.server_address}/30", "dev", host_end)
        _ip("link", "set", host_end, "up")
        _ip("netns", "exec", name, "ip", "addr", "add", f"{space.client_address}/30", "dev", ns_end)
        _ip("netns", "exec", name, "ip", "link", "set", ns_end, "up")
        yield space
    finally:
        subprocess.run(["ip", "link", "del", host_end], capture_output=True)
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


@pytest.fixture
async def exposed_server(
    database_url: str, slack_api: SlackApiStandIn, remote_namespace: RemoteNamespace
) -> AsyncIterator[JambotServer]:
    """A Slack-configured server without Teams credentials, reachable on a non-loopback address."""
    address = remote_namespace.server_address
    listening = listening_socket(address)
    url = f"http://{address}:{listening.getsockname()[1]}"
    settings = Settings.from_env(e2e_env(database_url, slack_api, JAMBOT_PUBLIC_URL=url))
    context = build_server_context(settings, load_org_config(E2E_ORG), load_kb(settings))
    app = create_app(context)
    try:
        async with served(app, listening), aiohttp.ClientSession() as http:
            yield JambotServer(url, context, app, http)
    finally:
        context.db.dispose()


async def _post_from(namespace: RemoteNamespace, url: str, activity: dict[str, Any]) -> int:
    proc = await asyncio.create_subprocess_exec(
        "ip", "netns", "exec", namespace.name, sys.executable, "-c", _POST, url,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate(json.dumps(activity).encode())
    assert proc.returncode == 0, err.decode()
    return int(out.decode().strip())


def _rows(server: JambotServer, model: Any) -> int:
    with server.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


async def test_an_unauthenticated_activity_from_a_remote_peer_is_refused_and_changes_nothing(
    exposed_server: JambotServer, bot_connector: BotConnectorStandIn, remote_namespace: RemoteNamespace
) -> None:
    """serviceUrl points at this machine, as the attacker would make it look; the peer does not."""
    client = TeamsClient(exposed_server)
    export = personal_message(bot_connector.url, STRATEGIST, "export 2025-Q1 csv")

    status = await _post_from(remote_namespace, f"{client.url}/api/messages", export)
    await exposed_server.app[TEAMS_TURNS].drain(timeout=10)

    assert status == 401
    assert bot_connector.calls == []
    assert client.references() == {}
    assert _rows(exposed_server, ProcessedEvent) == 0
    assert _rows(exposed_server, Download) == 0


@pytest.fixture
def jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


@pytest.mark.parametrize(
    "template",
    [
        # urlsplit reads 127.0.0.1 as the host; the HTTP client connects to what precedes "\@".
        "http://127.0.0.1:{port}\\@127.0.0.1/",
        "http://127.0.0.1:{port}\\@localhost/",
        "http://evil@127.0.0.1:{port}/",
        "http://127.0.0.1:{port}\\",
        "http://127.0.0.1:{port}/\\@x/",
        "http://127.0.0.1:{port}#@x/",
        "http://127.0.0.1:{port}?@x/",
        "http://127.0.0.1:{port}/ x",
        "ftp://127.0.0.1:{port}/",
        "http://0x7f.1:{port}/",
        "http://2130706433:{port}/",
    ],
)
async def test_a_loopback_peer_with_a_disguised_service_url_is_refused(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn, template: str
) -> None:
    port = bot_connector.url.rstrip("/").rsplit(":", 1)[1]  # the "attacker" listens here
    activity = personal_message(template.format(port=port), STRATEGIST, "export 2025-Q1 csv")

    status, body = await jambot.post_activity(activity)

    assert status == 401, body
    assert bot_connector.calls == []
    assert jambot.references() == {}


async def test_a_local_emulator_still_works_without_credentials(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    status, _ = await jambot.post_activity(
        personal_message(bot_connector.url, STRATEGIST, "Vad är CEMR?")
    )

    assert status == 200
    assert len(bot_connector.sent) == 1


@pytest.fixture
def jambot_server_options() -> dict[str, Any]:
    # No platform: a local Emulator setup, where download links fall back to the bound address.
    return {"env": {"SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": "", "JAMBOT_PUBLIC_URL": ""}}


async def test_no_request_header_decides_the_host_of_a_download_link(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example", "Host": "evil.example"}
    await jambot.post_activity(
        installation(bot_connector.url, STRATEGIST, personal(STRATEGIST)), forged
    )
    reply = Reply(kind="info", text="Exporten", file=FileAttachment("q1.csv", b"a;b\n", "text/csv"))

    await jambot.teams.deliver(Recipient("teams", user_id=STRATEGIST.aad_object_id), reply)

    [open_url] = bot_connector.sent[-1].cards[0]["actions"]
    assert "evil.example" not in open_url["url"]
    settings = jambot.context.settings
    assert open_url["url"].startswith(f"http://127.0.0.1:{settings.port}/downloads/")
