"""End to end: open the preview index in real headless Chromium and check the screenshot.

Chromium comes from Debian's ``chromium`` package (``make tools`` installs it).
The screenshot is decoded here in pure Python (zlib + PNG scanline filters,
PNG spec section 9) to check it really shows the SVGs: their canvas colour and
the "added" outline colour must be on screen, not just a blank page.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from azora_dash.preview.site import INDEX, render_site, write_site

from ..conftest import ROOT
from .helpers import change

WIDTH, HEIGHT = 1280, 900
CANVAS = (0xF4, 0xF5, 0xF5)  # .canvas fill in preview_style.CSS
ADDED = (0x1A, 0x7F, 0x37)  # .change-added outline
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) for an 8-bit RGB or RGBA, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format {header}"
    return width, height, unfilter(zlib.decompress(idat), width, height, 4 if colour == 6 else 3)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def unfilter(raw: bytes, width: int, height: int, bpp: int) -> list[bytes]:
    stride, rows, prev = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]) & 0xFF
        rows.append(bytes(line))
        prev = line
    return rows


def colours(rows: list[bytes], bpp: int) -> dict[tuple, int]:
    counts: dict[tuple, int] = {}
    for row in rows[::3]:  # every third line is plenty to judge what is on screen
        for i in range(0, len(row), bpp * 2):
            px = tuple(row[i : i + 3])
            counts[px] = counts.get(px, 0) + 1
    return counts


def screenshot(url: str, png: Path, profile: Path) -> None:
    # Debian's chromium (make tools); Ubuntu CI runners ship Google Chrome instead.
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if chromium is None:
        pytest.fail("chromium not found; `make tools` installs Debian's chromium package")
    args = [
        chromium,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        f"--window-size={WIDTH},{HEIGHT}",
        url,
    ]
    # Own process group, so the browser's helper processes can be stopped with it.
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=90)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    assert png.exists(), f"chromium wrote no screenshot (exit {proc.returncode}): {err.decode()[-500:]}"


def test_index_renders_in_headless_chromium(tmp_path):
    built = sorted((ROOT / "provisioning/dashboards/azora").glob("*.json"))
    new = {p.stem: json.loads(p.read_text()) for p in built}
    first = new[built[0].stem]  # drawn at the top of the page, inside the viewport
    panel = next(p for p in first["panels"] if p["type"] != "row")
    changes = [change("added", uid=first["uid"], title=first["title"], panel_id=panel["id"])]
    write_site(tmp_path / "out", render_site(new, new, changes))

    png = tmp_path / "shot.png"
    screenshot((tmp_path / "out" / INDEX).as_uri(), png, tmp_path / "profile")

    assert struct.unpack(">II", png.read_bytes()[16:24]) == (WIDTH, HEIGHT)
    width, height, rows = read_png(png)
    seen = colours(rows, len(rows[0]) // width)
    total = sum(seen.values())
    assert len(seen) > 10, "screenshot is (nearly) one colour"
    assert seen.get(CANVAS, 0) > total // 10, "the SVG canvas is not on screen"
    assert seen.get(ADDED, 0) > 0, "the added panel's outline is not on screen"
