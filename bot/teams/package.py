"""The Teams app package: ``manifests/teams`` with this installation's ids filled in, zipped.

Teams admins upload a zip holding ``manifest.json`` and the two icons at its
root. The manifest in the repository carries ``{{PLACEHOLDERS}}`` for what
differs per installation (the Azure bot's app id, the public host name); they
are filled in and checked here, so a typo fails now rather than at upload.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.config import ConfigError

DEFAULT_MANIFEST_DIR = Path("manifests/teams")
PACKAGE_FILES = ("manifest.json", "color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


@dataclass(frozen=True)
class PackageValues:
    app_id: str
    public_url: str
    organisation_name: str

    def checked(self) -> dict[str, str]:
        """The placeholder values; ConfigError naming every problem at once."""
        problems = []
        if not _GUID.match(self.app_id or ""):
            problems.append(
                f"MICROSOFT_APP_ID: expected the Azure bot's app id (a GUID), got {self.app_id!r}"
            )
        parts = urlsplit(self.public_url or "")
        if parts.scheme != "https" or not parts.hostname:
            problems.append(
                "JAMBOT_PUBLIC_URL: expected the bot's public https address, "
                f"e.g. https://jambot.region.se, got {self.public_url!r}"
            )
        if problems:
            raise ConfigError(problems)
        return {
            "MICROSOFT_APP_ID": self.app_id.lower(),
            "PUBLIC_URL": self.public_url.rstrip("/"),
            "PUBLIC_HOST": parts.hostname or "",
            "ORGANISATION_NAME": self.organisation_name[:32],
        }


def render_manifest(template: str, values: dict[str, str]) -> dict[str, object]:
    """Fill the placeholders (JSON-escaped) and parse the result."""
    missing = sorted(set(_PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise ConfigError([f"manifest.json: no value for {{{{{name}}}}}" for name in missing])
    filled = _PLACEHOLDER.sub(lambda m: json.dumps(values[m.group(1)])[1:-1], template)
    try:
        manifest = json.loads(filled)
    except json.JSONDecodeError as exc:
        raise ConfigError([f"manifest.json:{exc.lineno}: {exc.msg}"]) from None
    if not isinstance(manifest, dict):
        raise ConfigError(["manifest.json: expected a JSON object"])
    return manifest


def build_package(manifest_dir: Path, values: PackageValues) -> bytes:
    """The zip Teams accepts for upload (Teams admin center or "Upload a custom app")."""
    missing = [name for name in PACKAGE_FILES if not (manifest_dir / name).is_file()]
    if missing:
        raise ConfigError([f"{manifest_dir / name}: file not found" for name in missing])
    manifest = render_manifest(
        (manifest_dir / "manifest.json").read_text(encoding="utf-8"), values.checked()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for name in PACKAGE_FILES[1:]:
            archive.write(manifest_dir / name, name)
    return buffer.getvalue()
