"""Short-lived download links for files a platform cannot receive as an upload.

A Teams bot cannot attach a file to a channel or chat message without OneDrive
consent flows, so an export is stored in the database and offered as a link
instead. The random token is the only credential: it is long (32 random bytes),
single-purpose and expires after an hour, and expired rows are purged whenever a
new file is stored.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from urllib.parse import quote

from aiohttp import web
from sqlalchemy import delete, select

from bot.db import Database
from bot.db.base import utcnow
from bot.db.models import Download
from bot.texts import t
from chat.replies import FileAttachment

DOWNLOAD_TTL = timedelta(hours=1)
DOWNLOAD_ROUTE = "/downloads/{token}"


def store_download(
    db: Database, org_id: str, file: FileAttachment, now: datetime | None = None
) -> str:
    """Keep ``file`` for an hour and return the token that fetches it."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        session.execute(delete(Download).where(Download.expires_at < now))
        session.add(
            Download(
                token=token,
                org_id=org_id,
                filename=file.filename,
                mimetype=file.mimetype,
                content=file.content,
                expires_at=now + DOWNLOAD_TTL,
                created_at=now,
            )
        )
    return token


def load_download(db: Database, token: str, now: datetime | None = None) -> Download | None:
    """The stored file, or None when the token is unknown or has expired."""
    now = now or utcnow()
    with db.session() as session:
        row = session.scalar(select(Download).where(Download.token == token))
    if row is None or row.expires_at <= now:
        return None
    return row


def download_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/downloads/{token}"


def _content_disposition(filename: str) -> str:
    # RFC 6266: an ASCII fallback plus the UTF-8 name, so "Kvartalsrapport Q1 – å.docx" survives.
    fallback = filename.encode("ascii", "replace").decode("ascii").replace('"', "'")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def add_download_route(app: web.Application, db: Database) -> None:
    """Register ``GET /downloads/{token}`` on ``app``."""

    async def serve(request: web.Request) -> web.Response:
        row = load_download(db, request.match_info["token"])
        if row is None:
            lang = "en" if request.headers.get("Accept-Language", "").startswith("en") else "sv"
            return web.Response(status=404, text=t("teams_download_gone", lang))
        return web.Response(
            body=row.content,
            headers={
                "Content-Type": row.mimetype,
                "Content-Disposition": _content_disposition(row.filename),
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    app.router.add_get(DOWNLOAD_ROUTE, serve)
