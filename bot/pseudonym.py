"""Pseudonymous user keys for logs and statistics.

Strategists need to see *what* staff ask and whether the same person comes back,
never *who* asked. A keyed hash (HMAC-SHA256 with a server secret) gives a stable
key per person that cannot be reversed or recomputed without the secret, unlike a
plain hash of a guessable Slack or Teams id.
"""

from __future__ import annotations

import hashlib
import hmac


def user_key(secret: str, platform: str, user_id: str) -> str:
    """A stable, irreversible key for (platform, user id); 64 hex characters."""
    # surrogatepass: a malformed id (a lone surrogate from hostile JSON) still gets a key.
    message = f"{platform}\x1f{user_id}".encode("utf-8", "surrogatepass")
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
