"""The HTML validation report opens offline in a real browser (headless Chromium) and shows the failures."""

from __future__ import annotations

import os
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.slow  # a real Chromium; left out of `scripts/test --fast`

from claimbank.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
]

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium is not installed; .ci/run installs it with apt-get install chromium")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


def _chromium(tmp_path, *args):
    profile = tmp_path / "profile"
    cmd = [CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_report_renders_failures_in_headless_chromium(small_build, tmp_path):
    path = next((small_build / "data/claims").glob("*.parquet"))
    table = pq.read_table(path)
    quotes = table.column("quote").to_pylist()
    quotes[0] = "<script>document.title='pwned'</script>"
    import pyarrow as pa
    pq.write_table(table.set_column(table.schema.get_field_index("quote"), "quote", pa.array(quotes)), path)
    reports = tmp_path / "reports"
    assert main(["validate", str(small_build), "--report-dir", str(reports)]) == 1
    page = reports / "validation.html"
    html = page.read_text()
    assert "http://" not in html and "https://" not in html and "<script>" not in html.lower()

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    assert "<title>ClaimBank validation:" in dom.stdout and "pwned" not in dom.stdout.split("</title>")[0]
    assert 'class="failure"' in dom.stdout
    assert "quote-matches-text" in dom.stdout and "claim_id=d900-c01" in dom.stdout
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom.stdout  # shown as text, not run

    shot = tmp_path / "report.png"
    res = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert res.returncode == 0, res.stderr
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000  # a rendered page, not a blank one
