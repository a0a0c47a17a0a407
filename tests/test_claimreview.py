"""The ClaimReview export: JSON-LD that expands offline, with every required property, from real builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld

from claimbank.build import build
from claimbank.claimreview import claimreviews, from_claimreview, rating_scale, readable, short_claim, veracity_from_rating
from claimbank.cli import main
from claimbank.folders import read_rows
from claimbank.schema import partial_date

from conftest import curation_copy

S = "http://schema.org/"
BASE = "https://example.org/claimbank/reviews/"  # given by the user, as --base-url
# A local stand-in for the schema.org context: the vocabulary, and the properties it types as IRIs.
SCHEMA_ORG_CONTEXT = {
    "@context": {
        "@vocab": S,
        "url": {"@id": S + "url", "@type": "@id"},
        "sameAs": {"@id": S + "sameAs", "@type": "@id"},
    }
}


def offline_loader(requested: list[str]):
    def load(url, options=None):
        requested.append(url)
        if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
            raise jsonld.JsonLdError(f"no network in tests: {url}", "loading document failed", code="loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}

    return load


def expand(doc: dict) -> list[dict]:
    requested: list[str] = []
    expanded = jsonld.expand(doc, {"documentLoader": offline_loader(requested)})
    assert requested and all(u.rstrip("/") == "https://schema.org" for u in requested)
    return expanded


def one(node: dict, prop: str):
    values = node.get(S + prop)
    assert values is not None, f"{prop} missing from {sorted(node)}"
    assert len(values) == 1, f"{prop} has {len(values)} values"
    return values[0]


def value(node: dict, prop: str):
    v = one(node, prop)
    return v["@value"] if "@value" in v else v["@id"]


def typed(node: dict, prop: str, *types: str) -> dict:
    v = one(node, prop)
    assert v.get("@type") and v["@type"][0] in [S + t for t in types], (prop, v.get("@type"), types)
    return v


def export(folder: Path, out: Path) -> dict:
    assert main(["export", "claimreview", str(folder), "--base-url", BASE, "--out", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_seed_export_expands_offline_with_every_required_property(seed_build, tmp_path):
    doc = export(seed_build, tmp_path / "seed.jsonld")
    rows = read_rows(seed_build, ("speakers", "claims", "documents", "verdicts", "evidence"))
    speakers = {s["speaker_id"]: s for s in rows["speakers"]}
    claims = {c["claim_id"]: c for c in rows["claims"]}
    documents = {d["doc_id"]: d for d in rows["documents"]}
    verdicts = {v["claim_id"]: v for v in rows["verdicts"]}
    scale = rating_scale()
    assert scale == {"supported": 5, "refuted": 1, "misleading": 3, "not_enough_evidence": None, "not_checkable": None}

    nodes = expand(doc)
    reviews = {value(n, "identifier"): n for n in nodes}
    assert all(n["@type"] == [S + "ClaimReview"] for n in nodes)
    assert sorted(reviews) == sorted(verdicts) and len(reviews) == len(claims)

    seen_same_as = seen_no_same_as = seen_numeric = seen_no_numeric = seen_cut = 0
    for cid, r in reviews.items():
        c, v = claims[cid], verdicts[cid]
        claimant, d = speakers[c["claimant_id"]], documents[c["doc_id"]]
        # Google's guidelines: a url per review, a short claimReviewed, the organisation's url.
        assert value(r, "url") == BASE + cid
        reviewed = value(r, "claimReviewed")
        assert len(reviewed) < 75
        if len(c["claim_text"]) < 75:
            assert reviewed == c["claim_text"]
        else:
            assert reviewed.endswith("…") and c["claim_text"].startswith(reviewed[:-1])
            seen_cut += 1
        assert value(r, "datePublished") == v["reviewed_date"].isoformat()
        assert value(r, "reviewBody") == v["rationale"]
        for prop in ("author", "publisher"):
            org = typed(r, prop, "Organization")
            assert value(org, "name") == "ClaimBank"
            assert value(org, "url") == BASE

        item = typed(r, "itemReviewed", "Claim")
        assert value(item, "text") == c["claim_text"]  # the full claim text
        author = typed(item, "author", "Person", "Organization")
        assert author["@type"] == [S + ("Person" if claimant["kind"] == "person" else "Organization")]
        assert value(author, "name") == claimant["name"]
        if claimant["wikidata_id"]:
            assert value(author, "sameAs") == "https://www.wikidata.org/wiki/" + claimant["wikidata_id"]
            seen_same_as += 1
        else:
            assert S + "sameAs" not in author  # never invented
            seen_no_same_as += 1
        appearance = typed(item, "appearance", "CreativeWork")
        assert value(appearance, "url") == d["url"]
        published = partial_date(d["published_date"], d["published_date_precision"])
        if published is None:
            assert S + "datePublished" not in appearance  # unknown: never invented
        else:
            assert value(appearance, "datePublished") == published  # written to the precision known (d000: the month)
        expected_date = partial_date(c["claim_date"], c["claim_date_precision"])
        if expected_date is None:
            assert S + "datePublished" not in item
        else:
            assert value(item, "datePublished") == expected_date

        rating = typed(r, "reviewRating", "Rating")
        assert value(rating, "bestRating") == 5 and value(rating, "worstRating") == 1
        assert value(rating, "alternateName") == v["veracity"].replace("_", " ").capitalize()  # words, not a slug
        if scale[v["veracity"]] is None:
            assert S + "ratingValue" not in rating
            seen_no_numeric += 1
        else:
            assert value(rating, "ratingValue") == scale[v["veracity"]]
            seen_numeric += 1
        fidelity = typed(r, "associatedReview", "Review")
        assert value(fidelity, "reviewAspect") == "fidelity"
        assert value(typed(fidelity, "reviewRating", "Rating"), "alternateName") == v["fidelity"].replace("_", " ").capitalize()
        assert value(fidelity, "reviewBody") == v["fidelity_rationale"]

        cited = [value(e, "url") for e in r.get(S + "citation", [])]
        assert sorted(cited) == sorted(e["url"] for e in rows["evidence"] if e["claim_id"] == cid)

        # ... and back again.
        back = from_claimreview(next(n for n in doc["@graph"] if n["identifier"] == cid))
        assert back["claim_id"] == cid and back["claim_text"] == c["claim_text"]
        assert back["veracity"] == v["veracity"] and back["fidelity"] == v["fidelity"]
        assert back["claimant_name"] == claimant["name"] and back["claimant_wikidata_id"] == claimant["wikidata_id"]
        assert back["doc_id"] == d["doc_id"] and back["doc_url"] == d["url"]
        assert back["reviewed_date"] == v["reviewed_date"].isoformat()
        if c["claim_date"] is not None:
            assert (back["claim_date"], back["claim_date_precision"]) == (c["claim_date"].isoformat(), c["claim_date_precision"])
    # The seed exercises both sides of each rule.
    assert min(seen_same_as, seen_no_same_as, seen_numeric, seen_no_numeric, seen_cut) > 0


@pytest.mark.slow  # two builds of its own
def test_export_is_byte_identical_across_builds_of_the_same_curation(tmp_path):
    data = curation_copy(tmp_path / "src")
    a = build(out=tmp_path / "a", data=data)
    b = build(out=tmp_path / "b", data=data)
    assert main(["export", "claimreview", str(a), "--base-url", BASE, "--out", str(tmp_path / "a.jsonld")]) == 0
    assert main(["export", "claimreview", str(b), "--base-url", BASE, "--out", str(tmp_path / "b.jsonld")]) == 0
    first = (tmp_path / "a.jsonld").read_bytes()
    assert first == (tmp_path / "b.jsonld").read_bytes()
    assert main(["export", "claimreview", str(a), "--base-url", BASE, "--out", str(tmp_path / "a.jsonld")]) == 0
    assert (tmp_path / "a.jsonld").read_bytes() == first


def test_nothing_is_invented_for_missing_url_date_or_wikidata(tmp_path):
    data = curation_copy(tmp_path / "src")
    meta = data / "documents" / "d900" / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "url: https://example.org/bridge\n" in text
    meta.write_text(text.replace("url: https://example.org/bridge\n", "url: null\n"), encoding="utf-8")
    speakers = data / "speakers.yaml"
    s = speakers.read_text(encoding="utf-8")
    speakers.write_text(s.replace("    name: Town Gazette\n", "    name: Town Gazette\n    wikidata_id: Q42\n"), encoding="utf-8")
    folder = build(out=tmp_path / "out", data=data)
    reviews = {r["identifier"]: r for r in claimreviews(folder, BASE)}
    assert sorted(reviews) == ["d900-c01", "d900-c02"]
    for r in reviews.values():
        assert "url" not in r["itemReviewed"]["appearance"]
        assert r["itemReviewed"]["appearance"]["identifier"] == "d900"
        assert r["itemReviewed"]["appearance"]["datePublished"] == "2024-05"
    c1, c2 = reviews["d900-c01"]["itemReviewed"], reviews["d900-c02"]["itemReviewed"]
    assert c1["author"] == {"@type": "Organization", "name": "two inspectors", "description": "Unnamed bridge inspectors."}
    assert c1["datePublished"] == "2024-05"
    assert c2["author"]["sameAs"] == "https://www.wikidata.org/wiki/Q42"
    assert "datePublished" not in c2  # the claim date is not known
    assert "citation" not in reviews["d900-c02"]  # no evidence read
    assert reviews["d900-c01"]["reviewRating"] == {
        "@type": "Rating", "alternateName": "Not enough evidence", "bestRating": 5, "worstRating": 1, "reviewAspect": "veracity",
    }
    expand({"@context": "https://schema.org", "@graph": list(reviews.values())})


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ({"alternateName": "misleading", "ratingValue": 3}, "misleading"),
        ({"alternateName": "not_checkable"}, "not_checkable"),
        ({"alternateName": "Not enough evidence"}, "not_enough_evidence"),
        ({"alternateName": "Not checkable"}, "not_checkable"),
        ({"alternateName": "False", "ratingValue": 1, "bestRating": 5, "worstRating": 1}, "refuted"),
        ({"alternateName": "Mostly true", "ratingValue": 4, "bestRating": 5, "worstRating": 1}, "misleading"),
        ({"ratingValue": 7, "bestRating": 7, "worstRating": 1}, "supported"),
        ({"alternateName": "Pants on fire"}, None),
    ],
)
def test_rating_back_to_veracity(rating, expected):
    assert veracity_from_rating(rating) == expected


def test_export_of_a_folder_without_tables_says_what_to_pass(tmp_path, capsys):
    (tmp_path / "empty" / "data" / "claims").mkdir(parents=True)
    assert main(["export", "claimreview", str(tmp_path / "empty"), "--base-url", BASE, "--out", str(tmp_path / "x.jsonld")]) == 2
    err = capsys.readouterr().err
    assert "not a build or release folder" in err and "data/claims/" in err and "claimbank build --out DIR" in err
    assert not (tmp_path / "x.jsonld").exists()


def test_readable_labels_and_short_claims():
    assert [readable(n) for n in rating_scale()] == ["Supported", "Refuted", "Misleading", "Not enough evidence", "Not checkable"]
    assert short_claim("Kozak told Putin he had struck a provisional deal.") == "Kozak told Putin he had struck a provisional deal."
    long = ("Dmitry Kozak told Vladimir Putin that he had struck a provisional deal with Ukraine at the onset of the war.")
    assert short_claim(long) == "Dmitry Kozak told Vladimir Putin that he had struck a provisional deal…"
    assert len(short_claim(long)) < 75


def test_the_base_url_is_required_and_checked(small_build, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", "claimreview", str(small_build)])
    assert exc.value.code == 2
    assert "the following arguments are required: --base-url" in capsys.readouterr().err
    assert main(["export", "claimreview", str(small_build), "--base-url", "example.org/reviews", "--out", str(tmp_path / "x.jsonld")]) == 2
    assert capsys.readouterr().err == (
        "error: --base-url 'example.org/reviews' is not an http(s) address with a host name and no query or fragment: "
        "each review's url is the base URL followed by the claim id (BASE/d000-c01), and the base URL is the publishing "
        "organisation's. Fix: pass the address where the reviews are published, e.g. --base-url https://example.org/claims/\n")
    assert not (tmp_path / "x.jsonld").exists()
    # A base URL without the final slash gives the same review urls.
    a = claimreviews(small_build, "https://example.org/claimbank/reviews")
    assert [r["url"] for r in a] == [BASE + r["identifier"] for r in a]
