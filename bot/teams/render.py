"""A neutral ``Reply`` → the Bot Framework activities that carry its cards.

Shared by turn replies (``bot.py``) and proactive sends (``outbox.py``); the only
side effect is storing an attached file so the card can link to it.
"""

from __future__ import annotations

import asyncio
from typing import Final

from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.config import Settings
from bot.db import Database
from bot.downloads import download_url, store_download
from bot.teams.cards import ADAPTIVE_CARD_CONTENT_TYPE, Card, reply_cards
from chat.replies import Reply


class ReplyRenderer:
    def __init__(self, db: Database, org_id: str, settings: Settings) -> None:
        self._db = db
        self._org_id = org_id
        # Fixed for the renderer's life: no request decides where a link points.
        self.base_url: Final = public_base_url(settings)

    async def activities(self, reply: Reply) -> list[Activity]:
        link = None
        if reply.file is not None:
            token = await asyncio.to_thread(store_download, self._db, self._org_id, reply.file)
            link = download_url(self.base_url, token)
        return [card_activity(card) for card in reply_cards(reply, link)]


def public_base_url(settings: Settings) -> str:
    """Where people reach this server: ``JAMBOT_PUBLIC_URL``, never a request header.

    A header such as ``X-Forwarded-Host`` is whatever the sender wrote; a link built
    from it would hand the next export to the sender's host. Without a public URL
    (no platform configured: an Emulator on this machine) the bound address serves.
    """
    if settings.public_url:
        return settings.public_url
    host = settings.host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def card_activity(card: Card) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        attachments=[Attachment(content_type=ADAPTIVE_CARD_CONTENT_TYPE, content=card)],
    )


def text_activity(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, text_format="markdown")
