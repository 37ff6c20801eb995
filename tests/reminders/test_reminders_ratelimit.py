"""The per-method send limiter: waits per conversation; a DM's conversation is the person."""

from __future__ import annotations

import time

from chat.outbox import Recipient
from reminders.ratelimit import Limit, RateLimiter

FAST = {
    ("slack", "chat.postMessage"): Limit(per_second=20.0, burst=1),
}


async def test_posts_to_one_channel_are_paced_but_different_channels_are_not() -> None:
    limiter = RateLimiter(FAST)
    started = time.monotonic()
    for _ in range(5):
        await limiter.before_send(Recipient("slack", channel_id="C1"))
    paced = time.monotonic() - started
    assert paced >= 4 / 20 - 0.01  # 1 at once, then one every 50 ms

    started = time.monotonic()
    for n in range(5):
        await limiter.before_send(Recipient("slack", channel_id=f"C{n + 10}"))
    assert time.monotonic() - started < 0.05


async def test_dms_to_different_people_do_not_wait_but_two_to_one_person_do() -> None:
    limiter = RateLimiter(FAST)
    started = time.monotonic()
    for n in range(5):  # each DM is its own channel: no workspace-wide conversations.open pacing
        await limiter.before_send(Recipient("slack", user_id=f"U{n}"))
    assert time.monotonic() - started < 0.05
    started = time.monotonic()
    await limiter.before_send(Recipient("slack", user_id="U0"))
    await limiter.before_send(Recipient("slack", user_id="U0"))
    assert time.monotonic() - started >= 1 / 20 - 0.01


async def test_platforms_without_limits_do_not_wait() -> None:
    limiter = RateLimiter(FAST)
    started = time.monotonic()
    for _ in range(20):
        await limiter.before_send(Recipient("teams", user_id="aad-1"))
    assert time.monotonic() - started < 0.05
