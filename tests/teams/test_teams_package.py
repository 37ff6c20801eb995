"""``jambot teams-package``: the upload-ready Teams app zip, and its refusals."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from bot.cli import main

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "manifests" / "teams"
APP_ID = "0B5E0C1A-1111-4222-8333-944445555666"


def _png(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and the RGBA pixels of a non-interlaced 8-bit RGBA PNG (filter 0 rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color_type = struct.unpack(">IIBB", data[16:26])
    assert (depth, color_type) == (8, 6), "8-bit RGBA"
    idat, pos = b"", 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + 4 * width
    pixels = []
    for row in range(height):
        line = raw[row * stride : (row + 1) * stride]
        assert line[0] == 0, "unfiltered rows"
        pixels += [tuple(line[1 + 4 * i : 5 + 4 * i]) for i in range(width)]
    return width, height, pixels


def test_the_package_holds_a_filled_in_manifest_and_both_icons(tmp_path: Path) -> None:
    out = tmp_path / "jambot-teams.zip"

    code = main(
        [
            "teams-package",
            "--app-id",
            APP_ID,
            "--public-url",
            "https://jambot.region-exempel.se/",
            "--manifest-dir",
            str(MANIFEST_DIR),
            "--out",
            str(out),
        ]
    )

    assert code == 0
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = _png(archive.read("color.png"))
        outline = _png(archive.read("outline.png"))
    assert "{{" not in json.dumps(manifest)
    assert tuple(map(int, manifest["manifestVersion"].split("."))) >= (1, 17)
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID.lower()
    assert manifest["webApplicationInfo"]["id"] == APP_ID.lower()
    assert manifest["validDomains"] == ["jambot.region-exempel.se"]
    assert manifest["developer"]["privacyUrl"].startswith("https://jambot.region-exempel.se")
    bot = manifest["bots"][0]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    commands = {c["title"] for c in bot["commandLists"][0]["commands"]}
    assert {"hjälp", "status", "export"} <= commands
    assert all(len(c["description"]) <= 128 for c in bot["commandLists"][0]["commands"])
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["name"]["short"]) <= 30
    # Escalation answers arrive as plain thread replies, which needs resource-specific consent.
    rsc = {p["name"] for p in manifest["authorization"]["permissions"]["resourceSpecific"]}
    assert "ChannelMessage.Read.Group" in rsc
    # Teams' icon rules: 192x192 colour, 32x32 outline in white on transparent only.
    assert color[:2] == (192, 192)
    assert outline[:2] == (32, 32)
    assert set(outline[2]) <= {(255, 255, 255, 255), (0, 0, 0, 0)}
    assert (255, 255, 255, 255) in outline[2]


@pytest.mark.parametrize(
    ("app_id", "public_url", "complaint"),
    [
        ("my-bot", "https://jambot.region-exempel.se", "MICROSOFT_APP_ID"),
        (APP_ID, "http://jambot.region-exempel.se", "JAMBOT_PUBLIC_URL"),
        (APP_ID, "", "JAMBOT_PUBLIC_URL"),
    ],
)
def test_wrong_ids_are_refused_with_the_setting_to_fix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    app_id: str,
    public_url: str,
    complaint: str,
) -> None:
    monkeypatch.delenv("JAMBOT_PUBLIC_URL", raising=False)
    out = tmp_path / "jambot-teams.zip"
    args = ["teams-package", "--app-id", app_id, "--manifest-dir", str(MANIFEST_DIR)]
    args += ["--out", str(out)] + (["--public-url", public_url] if public_url else [])

    assert main(args) == 2

    assert f"jambot teams-package: {complaint}:" in capsys.readouterr().err
    assert not out.exists()
