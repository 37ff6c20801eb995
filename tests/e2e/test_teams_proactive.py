"""Proactive Teams messages through stored conversation references: outbox, escalation, reminders."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from slack_harness import JambotServer
from standins.bot_connector import (
    TENANT_ID,
    BotConnectorStandIn,
    TeamsUser,
    bot_connector_fixture,  # noqa: F401  (the bot_connector fixture)
    card_submit,
    channel,
    channel_mention,
    channel_reply,
    installation,
    personal,
    personal_message,
)
from teams_harness import (
    CONTACT_HSF_AAD,
    CONTACT_KULTUR_AAD,
    ESCALATION_CHANNEL,
    STRATEGIST_AAD,
    TeamsClient,
)

from bot.db.base import utcnow
from bot.downloads import store_download
from chat.outbox import Recipient
from chat.replies import Button, FileAttachment, Reply
from reminders.calendar import planned_reminders
from reminders.dispatch import Dispatcher
from reminders.organisation import OrgConfig
from reminders.periods import Quarter
from reminders.schedule import DueReminder, due_reminders

STAFF = TeamsUser("3f1c2a4e-0000-4000-8000-000000000042", "Sam Svensson")
CONTACT = TeamsUser(CONTACT_HSF_AAD, "Bo Berg")
STRATEGIST = TeamsUser(STRATEGIST_AAD, "Anna Andersson")
EVA = TeamsUser(CONTACT_KULTUR_AAD, "Eva Ek")
NOTICE = Reply(kind="info", title="Påminnelse", text="Kvartalsrapporten ska in **fredag**.")


@pytest.fixture
def jambot(jambot_server: JambotServer) -> TeamsClient:
    return TeamsClient(jambot_server)


async def test_deliver_reaches_a_person_through_the_stored_reference(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STAFF, personal(STAFF)))

    delivery = await jambot.teams.deliver(Recipient("teams", user_id=STAFF.aad_object_id), NOTICE)

    assert delivery.ok, delivery.error
    proactive = bot_connector.sent[-1]
    assert proactive.route == "send"  # a new message, not a reply to some earlier activity
    assert proactive.conversation_id == STAFF.conversation_id
    assert proactive.cards[0]["body"][0]["text"] == "Påminnelse"
    assert "Kvartalsrapporten ska in **fredag**." in proactive.text
    assert delivery.ref.message_id == proactive.posted_id
    assert delivery.ref.thread_id is None


async def test_a_channel_post_starts_a_thread_that_later_sends_can_continue(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STAFF, channel(ESCALATION_CHANNEL)))

    first = await jambot.teams.deliver(Recipient("teams", channel_id=ESCALATION_CHANNEL), NOTICE)
    follow_up = await jambot.teams.deliver(
        Recipient("teams", channel_id=ESCALATION_CHANNEL, thread_id=first.ref.thread_id),
        Reply(kind="info", text="Uppföljning"),
    )

    assert first.ok and follow_up.ok
    assert first.ref.channel == ESCALATION_CHANNEL
    post, thread_reply = bot_connector.sent[-2:]
    assert post.conversation_id == ESCALATION_CHANNEL
    assert first.ref.thread_id == first.ref.message_id
    assert (
        thread_reply.conversation_id == f"{ESCALATION_CHANNEL};messageid={first.ref.thread_id}"
    )


async def test_no_reference_means_not_reachable_and_nothing_sent(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    delivery = await jambot.teams.deliver(Recipient("teams", user_id="never-talked-to-us"), NOTICE)

    assert not delivery.ok
    assert delivery.error == "no conversation reference"
    assert delivery.retryable is False
    assert bot_connector.calls == []


@pytest.mark.parametrize(("status", "retryable"), [(429, True), (503, True), (403, False)])
async def test_connector_errors_say_whether_to_retry(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn, status: int, retryable: bool
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STAFF, personal(STAFF)))
    bot_connector.fail_next.append(status)

    delivery = await jambot.teams.deliver(Recipient("teams", user_id=STAFF.aad_object_id), NOTICE)

    assert not delivery.ok
    assert str(status) in (delivery.error or "")
    assert delivery.retryable is retryable


async def test_an_unreachable_connector_is_retryable(jambot: TeamsClient) -> None:
    gone = BotConnectorStandIn()
    server = TestServer(gone.app(), host="127.0.0.1")
    await server.start_server()
    gone.url = str(server.make_url("/"))
    await jambot.post_activity(installation(gone.url, STAFF, personal(STAFF)))
    await server.close()

    delivery = await jambot.teams.deliver(Recipient("teams", user_id=STAFF.aad_object_id), NOTICE)

    assert not delivery.ok and delivery.retryable
    assert delivery.error == "Bot Connector unreachable"


async def test_uninstalled_person_is_reported_unreachable(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STAFF, personal(STAFF)))
    await jambot.post_activity(installation(bot_connector.url, STAFF, personal(STAFF), "remove"))

    delivery = await jambot.teams.deliver(Recipient("teams", user_id=STAFF.aad_object_id), NOTICE)

    assert delivery.error == "no conversation reference"


async def test_escalation_round_trip_between_a_chat_and_the_strategists_channel(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(
        installation(bot_connector.url, STRATEGIST, channel(ESCALATION_CHANNEL))
    )
    question = "Hur många parkeringsplatser har sjukhuset i Exempelstad?"
    await jambot.post_activity(personal_message(bot_connector.url, STAFF, question))
    abstain = bot_connector.sent_to(STAFF.conversation_id)[-1]
    escalate = next(
        a["data"] for a in abstain.cards[0]["actions"] if a["data"]["action"] == "escalate"
    )

    await jambot.post_activity(card_submit(bot_connector.url, STAFF, personal(STAFF), escalate))

    [post] = [c for c in bot_connector.sent_to(ESCALATION_CHANNEL) if question in c.text]
    assert post.route == "send"  # a new thread in the channel
    thread_id = post.posted_id
    assert thread_id

    answer = "Det finns 420 platser, se intranätet."
    await jambot.post_activity(
        channel_reply(bot_connector.url, STRATEGIST, ESCALATION_CHANNEL, thread_id, answer)
    )

    relayed = bot_connector.sent_to(STAFF.conversation_id)[-1]
    assert answer in relayed.text and question in relayed.text
    confirmation = bot_connector.sent_to(f"{ESCALATION_CHANNEL};messageid={thread_id}")
    assert confirmation, "the strategist is told the answer went back"


async def test_a_person_with_the_app_but_no_chat_yet_gets_a_new_chat(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    """Installed by an admin policy, but the bot never heard from them: Teams opens the chat."""
    await jambot.post_activity(installation(bot_connector.url, STAFF, channel(ESCALATION_CHANNEL)))
    bot_connector.installed_for.add(EVA.aad_object_id)

    first = await jambot.teams.deliver(Recipient("teams", user_id=EVA.aad_object_id), NOTICE)
    second = await jambot.teams.deliver(Recipient("teams", user_id=EVA.aad_object_id), NOTICE)

    assert first.ok and second.ok, (first, second)
    [create] = [c for c in bot_connector.calls if c.route == "create"]  # only once
    assert create.body["members"] == [{"id": EVA.aad_object_id}]
    assert create.body["channelData"] == {"tenant": {"id": TENANT_ID}}  # where Teams reads it
    assert create.body["isGroup"] is False
    chat = jambot.references()[EVA.aad_object_id]["conversation"]["id"]
    assert chat.startswith("a:created-")
    sent = bot_connector.sent_to(chat)
    assert len(sent) == 2 and all("Kvartalsrapporten ska in" in c.text for c in sent)


def _first_reminders_of_2025_q1(org: OrgConfig) -> list[DueReminder]:
    first = planned_reminders(org.reporting, Quarter.parse("2025-Q1"), org.tz)[0]
    return [d for d in due_reminders(org, first.send_at, {}) if d.reminder.period == "2025-Q1"]


async def test_quarterly_reminder_reaches_a_teams_contact_as_a_card_with_the_form_button(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    org = jambot.context.org
    assert org is not None
    await jambot.post_activity(installation(bot_connector.url, EVA, personal(EVA)))

    report = await Dispatcher(jambot.context.db, org, jambot.context.outboxes).run(
        _first_reminders_of_2025_q1(org)
    )

    assert f"2025-Q1 before-10 kultur -> teams:{EVA.aad_object_id}" in report.sent
    [reminder] = bot_connector.sent_to(EVA.conversation_id)[1:]  # after the welcome
    assert reminder.route == "send"
    button = next(a for a in reminder.cards[0]["actions"] if a["type"] == "Action.Submit")
    assert button["data"] == {"action": "report_status", "value": "kultur|2025-Q1"}

    await jambot.post_activity(card_submit(bot_connector.url, EVA, personal(EVA), button["data"]))

    form = bot_connector.sent_to(EVA.conversation_id)[-1].cards[0]
    assert any(element.get("id") == "status" for element in form["body"])


async def test_a_teams_contact_without_the_app_is_reported_to_the_strategists(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    org = jambot.context.org
    assert org is not None
    await jambot.post_activity(
        installation(bot_connector.url, STRATEGIST, channel(ESCALATION_CHANNEL))
    )

    report = await Dispatcher(jambot.context.db, org, jambot.context.outboxes).run(
        _first_reminders_of_2025_q1(org)
    )

    assert "2025-Q1 kultur: Eva Ek (teams: no conversation reference)" in report.unreachable
    notice = bot_connector.sent_to(ESCALATION_CHANNEL)[-1]
    assert "Eva Ek" in notice.text


async def test_a_file_reply_becomes_a_download_link_that_expires(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STRATEGIST, personal(STRATEGIST)))
    content = "förvaltning;status\nhsf;Enligt plan\n".encode()
    reply = Reply(
        kind="info",
        text="Här är exporten.",
        file=FileAttachment(
            "Kvartalsrapport 2025-Q1 – Region Exempel.csv", content, "text/csv; charset=utf-8"
        ),
        buttons=(Button("ignored for files", "noop"),),
    )

    delivery = await jambot.teams.deliver(
        Recipient("teams", user_id=STRATEGIST.aad_object_id), reply
    )

    assert delivery.ok
    card = bot_connector.sent[-1].cards[0]
    [open_url] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert open_url["url"].startswith(jambot.url + "/downloads/")
    async with jambot.http.get(open_url["url"]) as response:
        assert response.status == 200
        assert await response.read() == content
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            "filename*=UTF-8''Kvartalsrapport%202025-Q1%20%E2%80%93"
            in response.headers["Content-Disposition"]
        )
    async with jambot.http.get(jambot.url + "/downloads/not-a-token") as response:
        assert response.status == 404
        assert "Länken har gått ut" in await response.text()
    old = store_download(
        jambot.context.db, "region-exempel", reply.file, now=utcnow() - timedelta(hours=2)
    )  # type: ignore[arg-type]
    async with jambot.http.get(f"{jambot.url}/downloads/{old}") as response:
        assert response.status == 404


async def test_strategist_export_in_chat_arrives_as_a_link_to_the_file(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(
        personal_message(bot_connector.url, STRATEGIST, "export 2025-Q1 csv")
    )

    card = bot_connector.sent[-1].cards[0]
    [open_url] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    async with aiohttp.ClientSession() as http, http.get(open_url["url"]) as response:
        body = (await response.read()).decode("utf-8-sig")
    assert response.status == 200
    assert "Hälso- och sjukvårdsförvaltningen" in body


async def test_an_export_asked_for_in_a_channel_goes_to_the_personal_chat_only(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    await jambot.post_activity(installation(bot_connector.url, STRATEGIST, personal(STRATEGIST)))
    ask = channel_mention(bot_connector.url, STRATEGIST, ESCALATION_CHANNEL, "export 2025-Q1 csv")

    await jambot.post_activity(ask)

    in_channel = bot_connector.sent_to(f"{ESCALATION_CHANNEL};messageid={ask['id']}")
    assert [c.text for c in in_channel] == [
        "Jag har skickat filen till dig i vår personliga chatt."
    ]
    assert "/downloads/" not in json.dumps([c.body for c in in_channel])
    private = bot_connector.sent_to(STRATEGIST.conversation_id)[-1]
    assert private.route == "send"
    assert any(a["type"] == "Action.OpenUrl" for a in private.cards[0]["actions"])


async def test_an_export_in_a_channel_without_a_personal_chat_is_not_posted_anywhere(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    ask = channel_mention(bot_connector.url, STRATEGIST, ESCALATION_CHANNEL, "export 2025-Q1 csv")

    await jambot.post_activity(ask)  # Teams refuses the personal chat: no app for her

    [note] = bot_connector.sent
    assert note.text.startswith("Filer skickar jag bara i en personlig chatt.")
    assert "/downloads/" not in json.dumps([c.body for c in bot_connector.calls])


async def test_download_links_use_the_public_url_whatever_a_proxy_header_says(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    behind_proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "jambot.region-exempel.se"}
    await jambot.post_activity(
        installation(bot_connector.url, STRATEGIST, personal(STRATEGIST)), behind_proxy
    )
    reply = Reply(kind="info", text="Exporten", file=FileAttachment("q1.csv", b"a;b\n", "text/csv"))

    await jambot.teams.deliver(Recipient("teams", user_id=STRATEGIST.aad_object_id), reply)

    [open_url] = bot_connector.sent[-1].cards[0]["actions"]
    assert open_url["url"].startswith(f"{jambot.context.settings.public_url}/downloads/")


async def test_concurrent_turns_from_different_hosts_each_link_to_the_public_url(
    jambot: TeamsClient, bot_connector: BotConnectorStandIn
) -> None:
    hosts = ["jambot.region-exempel.se", "evil.example"]
    asks = [personal_message(bot_connector.url, STRATEGIST, "export 2025-Q1 csv") for _ in hosts]

    await asyncio.gather(*(
        jambot.post_activity(ask, {"Host": host, "X-Forwarded-Host": host, "X-Forwarded-Proto": "https"})
        for ask, host in zip(asks, hosts, strict=True)
    ))

    links = [
        action["url"]
        for sent in bot_connector.sent_to(STRATEGIST.conversation_id)
        for action in sent.cards[0]["actions"]
        if action["type"] == "Action.OpenUrl"
    ]
    assert len(links) == 2
    assert all(link.startswith(f"{jambot.context.settings.public_url}/downloads/") for link in links)
