"""The explorer opens offline in a real browser: headless Chromium, driven over the DevTools protocol.

Chromium is started with ``--remote-debugging-pipe`` (commands on fd 3, replies on fd 4, each a
JSON message ending in NUL), so the tests need no driver binary and no extra package, and no
port is opened. Clicks are real input events (``Input.dispatchMouseEvent``) at the element's
position on screen. Every network request the page makes is recorded; the page may load only
itself.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import select
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a real Chromium; left out of `scripts/test --fast`

from claimbank.build import build
from claimbank.cli import main
from claimbank.explore import explorer_data, write_explorer

from conftest import curation_copy

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--disable-domain-reliability", "--disable-breakpad", "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars", "--font-render-hinting=none",
]

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium is not installed; .ci/run installs it with apt-get install chromium")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


class Browser:
    """One headless Chromium and one page, over the DevTools protocol on a pipe."""

    def __init__(self, profile: Path, width: int = 1400, height: int = 1000):
        cmd_r, cmd_w = os.pipe()  # we write commands; Chromium reads them on fd 3
        res_r, res_w = os.pipe()  # Chromium writes replies on fd 4; we read them

        def child_fds():
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(res_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *OFFLINE_FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            pass_fds=(3, 4), preexec_fn=child_fds,
        )
        os.close(cmd_r)
        os.close(res_w)
        self.w, self.r = cmd_w, res_r
        self.buf = b""
        self.next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank", session=None)["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True, session=None)["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the pipe: {self.proc.stderr.read().decode(errors='replace')[-2000:]}")
            self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method: str, session: str | None | bool = True, timeout: float = 60, **params) -> dict:
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session is True:
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for i, ev in enumerate(self.events):
            if ev.get("method") == method:
                return self.events.pop(i)
        while True:
            ev = self._read(deadline)
            if ev.get("method") == method:
                return ev
            self.events.append(ev)

    def open(self, path: Path) -> None:
        self.events.clear()
        self.call("Page.navigate", url=path.as_uri())
        self.wait_event("Page.loadEventFired")

    def js(self, expression: str):
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise AssertionError(f"script failed: {res['exceptionDetails']}")
        return res["result"].get("value")

    def click(self, selector: str) -> None:
        """A real left click in the middle of the first element that ``selector`` matches."""
        box = self.js(
            f"(() => {{ const n = document.querySelector({json.dumps(selector)}); if (!n) return null;"
            " n.scrollIntoView({block: 'center'}); const r = n.getClientRects()[0];"
            " return [r.left + Math.min(r.width / 2, 4), r.top + r.height / 2]; })()"
        )
        assert box is not None, f"nothing matches {selector}"
        x, y = box
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.call("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.call("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def choose(self, select_id: str, value: str) -> None:
        """Pick an option of a <select>: the value changes and the change event fires, as when a person picks it."""
        ok = self.js(
            f"(() => {{ const s = document.getElementById({json.dumps(select_id)});"
            f" if (![...s.options].some((o) => o.value === {json.dumps(value)})) return false;"
            f" s.focus(); s.value = {json.dumps(value)}; s.dispatchEvent(new Event('input', {{bubbles: true}}));"
            " s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"
        )
        assert ok, f"#{select_id} has no option {value!r}"

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])
        path.write_bytes(data)
        return data

    def requests(self) -> list[str]:
        return [ev["params"]["request"]["url"] for ev in self.events if ev.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.call("Browser.close", session=None, timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.w)
        os.close(self.r)
        self.proc.stderr.close()


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG into rows of raw pixel bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, bpp, rows


def assert_not_blank(data: bytes) -> None:
    width, bpp, rows = png_pixels(data)
    colours, coloured = set(), 0
    for row in rows[::4]:
        for x in range(0, width * bpp, bpp * 4):
            px = row[x:x + 3]
            colours.add(px)
            if max(px) - min(px) > 40:  # a saturated pixel: a highlight, not grey text on white
                coloured += 1
    assert len(colours) > 50, f"the screenshot has only {len(colours)} colours: a blank page"
    assert coloured > 500, f"the screenshot shows almost no highlighting ({coloured} coloured samples)"


@pytest.fixture
def browser(tmp_path):
    b = Browser(tmp_path / "profile")
    yield b
    b.close()


# A text with an emoji (two UTF-16 units, one code point) before every span, markup in the
# text itself, and claims that nest inside and overlap one another.
MARKUP_TEXT = "🌉 <b>Mayor’s</b> office says the bridge will reopen on Monday."
SCRIPT_CLAIM = "Engineers found <script>window.__pwned=1</script> cracks in the town bridge."
IMG_RATIONALE = 'Nothing was searched; <img src=x onerror="window.__pwned=2"> test data.'
EXTRA_CLAIMS = """
  - claim_id: d900-c03
    quote: "“serious cracks”"
    claim_text: The cracks were serious.
    claimant_id: two-inspectors
    claim_type: event
    checkworthy: true
    claim_date: null
    topics: []
    location: body
    sourcing:
      - source_id: town-gazette
        source_type: article_voice
      - source_id: two-inspectors
        source_type: anonymous
    verdict:
      veracity: refuted
      confidence: low
      rationale: Test data <b>bold</b> & more.
      fidelity: distorted
      fidelity_confidence: low
      fidelity_rationale: Test data.
      reviewed_date: 2024-06-01
  - claim_id: d900-c04
    quote: "in the bridge, according to two inspectors"
    claim_text: Two inspectors say so about the bridge.
    claimant_id: town-gazette
    claim_type: quote
    checkworthy: true
    claim_date: null
    topics: []
    location: body
    sourcing:
      - source_id: town-gazette
        source_type: article_voice
    verdict:
      veracity: supported
      confidence: low
      rationale: Test data.
      fidelity: accurate
      fidelity_confidence: low
      fidelity_rationale: Test data.
      reviewed_date: 2024-06-01
"""


def hostile_build(root: Path) -> Path:
    """A real build whose text, claim text and rationale carry markup and script, with nested spans."""
    data = curation_copy(root / "src")
    doc = data / "documents" / "d900"
    text_path = doc / "text.txt"
    text = text_path.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    assert first == "Mayor’s office says the bridge will reopen on Monday."
    text = MARKUP_TEXT + "\n" + rest
    text_path.write_bytes(text.encode("utf-8"))
    meta = (doc / "document.yaml").read_text(encoding="utf-8")
    old = meta.split("sha256: ")[1].split("\n")[0].strip()
    (doc / "document.yaml").write_text(meta.replace(old, hashlib.sha256(text.encode("utf-8")).hexdigest()), encoding="utf-8")
    claims = (doc / "claims.yaml").read_text(encoding="utf-8")
    claims = claims.replace("claim_text: Engineers found serious cracks in the town bridge.", f"claim_text: '{SCRIPT_CLAIM}'")
    claims = claims.replace("rationale: Nothing was searched; this is test data.", f"rationale: '{IMG_RATIONALE}'")
    assert SCRIPT_CLAIM in claims and IMG_RATIONALE in claims
    (doc / "claims.yaml").write_text(claims.rstrip("\n") + "\n" + EXTRA_CLAIMS.lstrip("\n"), encoding="utf-8")
    return build(out=root / "out", data=data)


# Resolves once an image that cannot load has run its error handler: image errors are queued in order, so by
# then every image the page held before has run its handlers too. The probe is never put in the document.
PROBE = "data:image/png;base64,cHJvYmU="  # "probe": not an image; a data: address fetches nothing
SETTLED = ("new Promise((done) => { const probe = new Image(); probe.onerror = probe.onload = () => done(true);"
           f" probe.src = '{PROBE}'; }})")


def test_settled_means_earlier_image_error_handlers_have_run(tmp_path, browser):
    """The condition the explorer test waits on: an image that failed before it has run its error handler."""
    page = tmp_path / "blank.html"
    page.write_text("<!doctype html><title>t</title><body></body>", encoding="utf-8")
    browser.open(page)
    assert browser.js("(() => { const i = new Image(); i.onerror = () => { window.__errored = true; };"
                      " i.src = 'data:image/png;base64,AAAA'; document.body.append(i); return window.__errored === undefined; })()")
    assert browser.js(SETTLED) is True
    assert browser.js("window.__errored === true") is True


# Every claim's highlighted text, in the browser: the text of the segments that carry its id.
HIGHLIGHTS = """(() => { const out = {}; for (const s of document.querySelectorAll('#doc-text .seg[data-claims]'))
  for (const c of s.dataset.claims.split(' ')) out[c] = (out[c] || '') + s.textContent; return out; })()"""


def test_explorer_is_offline_and_shows_markup_as_text(tmp_path, browser):
    folder = hostile_build(tmp_path)
    page = write_explorer(folder, tmp_path / "explorer.html")
    html = page.read_text(encoding="utf-8")
    assert "<script>window" not in html and "<img" not in html and "<b>" not in html
    browser.open(page)
    assert browser.js("document.body.dataset.ready") == "1"

    model = explorer_data(folder)
    doc_text = "".join(seg for seg, _ in model["documents"][0]["segments"])
    # The document pane holds the stored text exactly, emoji and markup included, as text.
    assert browser.js("document.getElementById('doc-text').textContent") == doc_text
    assert doc_text.startswith(MARKUP_TEXT)
    # Every claim, nested and overlapping ones too, is highlighted over exactly its quote.
    highlights = browser.js(HIGHLIGHTS)
    assert highlights == {cid: c["quote"] for cid, c in model["claims"].items()}
    assert highlights["d900-c03"] == "“serious cracks”"
    assert browser.js("document.querySelector('.seg[data-claims=\"d900-c01 d900-c03\"]').textContent") == "“serious cracks”"
    assert browser.js("document.querySelector('.seg[data-claims=\"d900-c01 d900-c04\"]').textContent") == "in the bridge"

    # Colour is the veracity of the innermost claim, the underline style its fidelity.
    style = """((cid) => { const s = getComputedStyle(document.querySelector(`.seg[data-inner="${cid}"]`));
      return [s.backgroundColor, s.textDecorationLine, s.textDecorationStyle]; })"""
    refuted, supported = browser.js(f"{style}('d900-c03')"), browser.js(f"{style}('d900-c04')")
    assert refuted[0] != supported[0] and "0, 0, 0, 0" not in refuted[0] + supported[0]
    assert refuted[1:] == ["underline", "wavy"] and supported[1:] == ["underline", "solid"]  # distorted, accurate
    assert browser.js(f"{style}('d900-c02')")[1] == "none"  # own_voice: no underline

    # Select the claim whose text holds a script; then the one whose rationale holds an image.
    browser.click('#claims-table tr[data-claim="d900-c01"]')
    assert browser.js("document.getElementById('p-claim-text').textContent") == SCRIPT_CLAIM
    assert browser.js("document.getElementById('p-rationale').textContent") == IMG_RATIONALE
    assert browser.js("document.querySelector('#claims-table tr[data-claim=\"d900-c03\"]').textContent").count("<b>") == 0
    # Were an image with an error handler in the page, its error event would be queued by now: wait until a
    # later image's has run (test_settled_means_earlier_image_error_handlers_have_run shows the earlier one has).
    assert browser.js(SETTLED) is True
    assert browser.js("typeof window.__pwned") == "undefined"
    assert browser.js("document.querySelectorAll('img').length") == 0
    assert browser.js("document.querySelectorAll('b').length") == 0
    assert browser.js("document.scripts.length") == 2  # the data block and the page's own script
    browser.click('#claims-table tr[data-claim="d900-c03"]')
    assert browser.js("document.getElementById('p-rationale').textContent") == "Test data <b>bold</b> & more."

    # Nothing but the file itself was requested (and the test's own probe, a data: address).
    assert [url for url in browser.requests() if url != PROBE] == [page.as_uri()]


def test_explorer_of_the_seed_article(seed_build, tmp_path, browser):
    page = tmp_path / "seed.html"
    assert main(["explore", str(seed_build), "--out", str(page)]) == 0
    model = explorer_data(seed_build)
    claims = model["claims"]
    seed = next(d for d in model["documents"] if d["doc_id"] == "d000")
    in_seed = {cid: c for cid, c in claims.items() if c["doc_id"] == "d000"}
    assert len(in_seed) == len(seed["claim_ids"]) > 0
    browser.open(page)
    assert browser.js("document.body.dataset.ready") == "1"
    browser.choose("doc-select", "d000")

    text = "".join(seg for seg, _ in seed["segments"])
    assert len(text) == seed["char_count"]
    assert browser.js("document.getElementById('doc-text').textContent") == text
    assert browser.js(HIGHLIGHTS) == {cid: c["quote"] for cid, c in in_seed.items()}  # every claim in place

    # Select a claim by clicking its passage in the text: c01, relayed by Reuters with "reportedly".
    c01 = claims["d000-c01"]
    browser.click('#doc-text .seg[data-inner="d000-c01"]')
    assert browser.js("document.getElementById('panel').dataset.claim") == "d000-c01"
    assert browser.js("document.getElementById('p-claim-text').textContent") == c01["claim_text"]
    assert "reportedly" in browser.js("document.getElementById('p-sourcing').textContent")
    chain = browser.js("[...document.querySelectorAll('#p-sourcing li .speaker-name')].map((n) => n.textContent)")
    assert chain == [model["speakers"][link["source_id"]]["name"] for link in c01["sourcing"]]
    assert chain[1] == "Reuters"
    # The cue words are marked in the text.
    assert browser.js("[...document.querySelectorAll('#doc-text .cue-on')].map((n) => n.textContent).join('')") == "reportedly"
    # Every stance, with the passage that expresses it, in the panel and in the text.
    stances = browser.js("[...document.querySelectorAll('#p-stances li')].map((n) => [n.dataset.holder, n.dataset.stance])")
    assert stances == [[s["holder_id"], s["stance"]] for s in c01["stances"]]
    assert ["dmitry-peskov", "denies"] in stances
    marked = browser.js("[...document.querySelectorAll('#doc-text .stance-on')].map((n) => n.textContent).join('')")
    assert "absolutely no relation to reality" in marked
    # How the document describes the holder at that point is shown with the stance.
    peskov = next(s for s in c01["stances"] if s["holder_id"] == "dmitry-peskov")
    assert peskov["described_as"] == "Kremlin spokesman"
    assert "“Kremlin spokesman”" in browser.js("document.querySelector('#p-stances li[data-holder=\"dmitry-peskov\"]').textContent")
    # The verdict, its rationale and the evidence links.
    v = c01["verdict"]
    assert browser.js("document.getElementById('p-veracity').textContent") == v["veracity"]
    assert browser.js("document.getElementById('p-fidelity').textContent") == v["fidelity"]
    assert browser.js("document.getElementById('p-rationale').textContent") == v["rationale"]
    links = browser.js("[...document.querySelectorAll('#p-evidence a')].map((a) => a.href)")
    assert links == [e["url"] for e in v["evidence"]] and len(links) > 0

    # Filter the table: by veracity, then also by stance holder; the rows shown are exactly those that match.
    def shown():
        return browser.js("[...document.querySelectorAll('#claims-table tbody tr')].filter((r) => !r.hidden).map((r) => r.dataset.claim)")

    every = sorted(claims)
    assert shown() == every
    browser.choose("f-veracity", "misleading")
    misleading = sorted(cid for cid, c in claims.items() if c["verdict"]["veracity"] == "misleading")
    assert shown() == misleading and 0 < len(misleading) < len(every)
    browser.choose("f-veracity", "")
    browser.choose("f-holder", "dmitry-peskov")
    denied = sorted(cid for cid, c in claims.items() if any(s["holder_id"] == "dmitry-peskov" for s in c["stances"]))
    assert shown() == denied and "d000-c01" in denied
    browser.choose("f-claim_type", "event")
    assert shown() == [cid for cid in denied if claims[cid]["claim_type"] == "event"]
    assert browser.js("document.getElementById('claims-count').textContent") == f"{len(shown())} of {len(every)} claims"
    browser.choose("f-holder", "")
    browser.choose("f-claim_type", "")
    browser.choose("f-speaker", "reuters")
    via_reuters = sorted(cid for cid, c in claims.items() if "reuters" in {c["claimant_id"], *(l["source_id"] for l in c["sourcing"])})
    assert shown() == via_reuters
    browser.choose("f-speaker", "")
    browser.choose("f-fidelity", "distorted")
    assert shown() == sorted(cid for cid, c in claims.items() if c["verdict"]["fidelity"] == "distorted")
    browser.choose("f-fidelity", "")

    # The speaker view: who denied what; a click there selects the claim.
    assert browser.js("[...document.querySelectorAll('#speaker-dmitry-peskov [data-role=denies] button')].map((b) => b.textContent)") == [
        cid for cid in denied if any(s["holder_id"] == "dmitry-peskov" and s["stance"] == "denies" for s in claims[cid]["stances"])
    ]
    browser.click('#speaker-reuters [data-role=relayed] button[data-claim="d000-c04"]')
    assert browser.js("document.getElementById('panel').dataset.claim") == "d000-c04"

    # Back to c01 at the top, and a screenshot that shows a rendered, highlighted page.
    browser.click('#claims-table tr[data-claim="d000-c01"]')
    browser.js("window.scrollTo(0, 0)")
    shot = browser.screenshot(tmp_path / "explorer.png")
    assert_not_blank(shot)
    assert browser.requests() == [page.as_uri()]


def test_story_view_shows_each_outlets_rendering_side_by_side(seed_build, tmp_path, browser):
    """The repository's story: the derivation tree, and one origin claim across outlets with the changed
    words marked, mutation badges and hop fidelity; everything compared with the model computed from the data."""
    page = tmp_path / "story.html"
    assert main(["explore", str(seed_build), "--out", str(page)]) == 0
    model = explorer_data(seed_build)
    [story] = [s for s in model["stories"] if s["story_id"] == "kozak-deal"]
    browser.open(page)
    assert browser.js("document.body.dataset.ready") == "1"

    # Every document of the story is in the tree once; each hangs under the document it was taken from.
    tree = browser.js("[...document.querySelectorAll('#story-tree li')].map((n) => [n.dataset.doc, "
                      "n.parentElement.closest('li') ? n.parentElement.closest('li').dataset.doc : null])")
    assert sorted(d for d, _ in tree) == sorted(d["doc_id"] for d in story["documents"])
    parents = dict(tree)
    assert parents[story["origin_doc_id"]] is None
    for d in story["documents"]:
        if not d["is_origin"]:
            assert parents[d["doc_id"]] == (d["derived_from"] or story["origin_doc_id"])

    # The origin claim rendered most often: one row per rendering, in the model's order.
    oc = max(story["origin_claims"], key=lambda o: (len(o["renderings"]), o["claim_id"]))
    assert len(oc["renderings"]) > 1
    browser.choose("story-claim", oc["claim_id"])
    rows = browser.js("[...document.querySelectorAll('#story-table tbody tr')].map((r) => r.dataset.claim)")
    assert rows == [r["claim_id"] for r in oc["renderings"]]
    assert len({r["doc_id"] for r in oc["renderings"]}) > 1  # renderings from several outlets
    for r in oc["renderings"]:
        sel = f'#story-table tr[data-claim="{r["claim_id"]}"]'
        marked = browser.js(f"[...document.querySelectorAll('{sel} ins.changed')].map((n) => n.textContent)")
        assert marked == [t for t, changed in r["diff"] if changed]
        badges = browser.js(f"[...document.querySelectorAll('{sel} .badge.mutation')].map((n) => n.textContent)")
        assert badges == r["mutations"]
        assert browser.js(f"document.querySelector('{sel} .badge.fid-{r['fidelity']}').textContent") == r["fidelity"]
    # at least one English rendering has words marked as changed, and at least one row is a translation
    assert any(any(c for _, c in r["diff"]) for r in oc["renderings"])

    # A row opens its claim in the panel.
    first = oc["renderings"][0]["claim_id"]
    browser.click(f'#story-table tr[data-claim="{first}"] td')
    assert browser.js("document.getElementById('panel').dataset.claim") == first
    assert browser.requests() == [page.as_uri()]
