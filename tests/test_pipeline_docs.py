"""Each API's `openapi.json` as written (its `$ref`s kept), small, with an ETag and gzip; Swagger UI over it."""

from __future__ import annotations

import pytest
import yaml

from mockserver import SPECS_DIR

DOCS = [
    ("align.yaml", "/align/api/v1"),
    ("contracting.yaml", "/contracting"),
    ("productive.yaml", "/productive/api/v2"),
]


@pytest.mark.parametrize(("spec", "base"), DOCS)
def test_the_spec_is_served_as_written_with_this_fake_as_first_server(client, spec, base):
    response = client.get(f"{base}/openapi.json", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    served = response.json()
    written = yaml.safe_load((SPECS_DIR / spec).read_text())
    assert served["servers"][0]["url"] == base
    assert served["servers"][1:] == written["servers"]
    assert {k: v for k, v in served.items() if k != "servers"} == {k: v for k, v in written.items() if k != "servers"}
    assert "$ref" in response.text
    assert len(response.content) <= 500 * 1024


@pytest.mark.parametrize(("spec", "base"), DOCS)
def test_the_spec_is_gzipped_when_accepted_and_revalidated_by_etag(client, spec, base):
    plain = client.get(f"{base}/openapi.json", headers={"Accept-Encoding": "identity"})
    zipped = client.get(f"{base}/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    assert zipped.content == plain.content  # the client decompressed it
    again = client.get(f"{base}/openapi.json", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(("spec", "base"), DOCS)
def test_swagger_ui_is_served_over_this_spec(client, spec, base):
    page = client.get(f"{base}/ui/")
    assert page.status_code == 200
    assert f"{base}/openapi.json" in page.text
    bundle = client.get(f"{base}/ui/swagger-ui-bundle.js", headers={"Accept-Encoding": "gzip"})
    assert bundle.status_code == 200 and bundle.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(("spec", "base"), DOCS)
def test_swagger_uis_files_are_compressed_once_kept_and_revalidated(client, spec, base):
    path = f"{base}/ui/swagger-ui-bundle.js"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    again = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert first.content == again.content == plain.content  # the client decompressed what was kept
    assert int(first.headers["content-length"]) < len(plain.content) / 2
    assert first.headers["cache-control"] == "public, max-age=86400" and first.headers["etag"] == plain.headers["etag"]
    revalidated = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    head = client.head(path, headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == first.headers[
        "content-length"
    ]



@pytest.mark.parametrize(("spec", "base"), DOCS)
def test_a_document_that_is_not_there_is_the_apis_own_404_journaled_once(client, spec, base):
    missing = client.get(f"{base}/ui/nope.js", headers={"Accept-Encoding": "gzip"})
    posted = client.post(f"{base}/openapi.json")
    assert (missing.status_code, posted.status_code) == (404, 404)
    error = client.get(f"{base}/no-such-endpoint")
    assert missing.json().keys() == posted.json().keys() == error.json().keys()  # the vendor's envelope
    journal = client.get("/__admin/requests").json()["requests"]
    assert [(entry["method"], entry["status"]) for entry in journal] == [("GET", 404), ("POST", 404), ("GET", 404)]


@pytest.mark.parametrize(("spec", "base"), DOCS)
def test_swagger_ui_leaves_out_the_schemas_section(client, spec, base):
    page = client.get(f"{base}/ui/")
    assert "swagger-ui-config.json" in page.text
    assert client.get(f"{base}/ui/swagger-ui-config.json").json() == {"defaultModelsExpandDepth": -1}
