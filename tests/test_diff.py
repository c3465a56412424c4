"""`mockserver diff`: nothing on identical targets; exactly a planted divergence, with a short sequence."""

import json

import pytest

from mockserver.diff.compare import Comparison, Observed
from mockserver.diff.normalize import IdPairing
from mockserver.diff.runner import run_diff
from mockserver.diff.targets import Target
from mockserver.server import MockServer

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

ALIGN = "/align/api/v1"
HEADERS = {"Authorization": "Bearer ako_demo_org_acme"}


class WithoutIntegrationLinks:
    """The fake with one rule changed: a GET shows no integration links
    (against rule align.sync.integration-link)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or "/integration/time-entries/" not in scope["path"]:
            await self.app(scope, receive, send)
            return
        messages = []

        async def hold(message):
            messages.append(message)

        await self.app(scope, receive, hold)
        start, *bodies = messages
        body = b"".join(message.get("body", b"") for message in bodies)
        if start["status"] == 200:
            body = json.dumps({**json.loads(body), "integrationLinks": []}).encode()
        headers = [(name, value) for name, value in start["headers"] if name != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def test_identical_targets_do_not_diverge(serve_over_http):
    a = serve_over_http(MockServer(apis=["align"])) + ALIGN
    b = serve_over_http(MockServer(apis=["align"])) + ALIGN
    result = run_diff("align", Target(a), Target(b), headers=HEADERS, seed=7, max_examples=20, max_steps=6)
    assert result.findings == []
    assert result.resettable
    assert result.requests > 100


def test_a_changed_rule_is_exactly_one_divergence_with_a_short_sequence(serve_over_http):
    a = serve_over_http(MockServer(apis=["align"])) + ALIGN
    b = serve_over_http(WithoutIntegrationLinks(MockServer(apis=["align"]))) + ALIGN
    result = run_diff("align", Target(a), Target(b), headers=HEADERS, seed=7, max_examples=20, max_steps=6)
    assert len(result.findings) == 1
    (finding,) = result.findings
    assert [(d.kind, d.where) for d in finding.divergences] == [
        ("shape", "GET /integration/time-entries/{id} /integrationLinks")
    ]
    last = finding.steps[-1]
    assert (last.case.method, last.case.path) == ("GET", "/integration/time-entries/{id}")
    assert len(finding.steps) <= 2  # the GET, and at most the sync that created what it reads


def test_generated_ids_and_timestamps_are_not_divergences():
    a = Observed(
        201,
        {"content-type": "application/json"},
        {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "createdAt": "2025-01-15T08:00:00.000Z", "ref": "x"},
    )
    b = Observed(
        201,
        {"content-type": "application/json"},
        {"id": "0c9d8e8e-0000-4000-8000-000000000000", "createdAt": "2026-11-22T21:00:00.123Z", "ref": "x"},
    )
    assert Comparison().compare("POST /x", a, b, IdPairing()) == []


def test_the_same_id_in_two_places_must_stay_the_same():
    a = Observed(200, {}, {"id": "tsh_aaaaaaaaaaaaaaaaaaaaaaaa", "parent": "tsh_aaaaaaaaaaaaaaaaaaaaaaaa"})
    b = Observed(200, {}, {"id": "tsh_bbbbbbbbbbbbbbbbbbbbbbbb", "parent": "tsh_cccccccccccccccccccccccc"})
    (divergence,) = Comparison().compare("GET /x", a, b, IdPairing())
    assert (divergence.kind, divergence.where) == ("value", "GET /x /parent")


def test_status_envelope_and_values_are_told_apart():
    compare = Comparison(frozenset({"message"})).compare
    assert compare("op", Observed(200, {}, {}), Observed(201, {}, {}), IdPairing())[0].kind == "status"
    error_a = Observed(404, {}, {"error": "not_found", "reason": "not_found", "message": "a"})
    error_b = Observed(404, {}, {"statusCode": 404, "message": "b"})
    assert compare("op", error_a, error_b, IdPairing())[0].kind == "envelope"
    value_b = Observed(404, {}, {"error": "not_found", "reason": "gone", "message": "other words"})
    assert [(d.kind, d.where, d.a, d.b) for d in compare("op", error_a, value_b, IdPairing())] == [
        ("value", "op /reason", "not_found", "gone")
    ]


def test_the_command_exits_0_on_agreement_and_1_on_a_divergence(serve_over_http, capsys):
    from mockserver.cli import main

    a = serve_over_http(MockServer(apis=["align"])) + ALIGN
    same = serve_over_http(MockServer(apis=["align"])) + ALIGN
    assert main(["diff", "--api", "align", "--a", a, "--b", same, "--seed", "7", "--max-examples", "10"]) == 0
    assert "no divergence" in capsys.readouterr().out
    broken = serve_over_http(WithoutIntegrationLinks(MockServer(apis=["align"]))) + ALIGN
    assert main(["diff", "--api", "align", "--a", a, "--b", broken, "--seed", "7", "--max-examples", "20"]) == 1
    out = capsys.readouterr().out
    assert "1 divergence(s)" in out
    assert "shape at GET /integration/time-entries/{id} /integrationLinks" in out
    assert "curl -X GET" in out


def test_bad_usage_is_one_line_and_exit_2(capsys):
    import pytest

    from mockserver.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["diff", "--api", "align", "--a", "nope", "--b", "http://127.0.0.1:1"])
    assert exit_info.value.code == 2
    assert "'nope' is not an http(s) base URL" in capsys.readouterr().err


class Recorder:
    """The fake, noting the method and body of every API request it receives (ids aside, what a seed decides)."""

    def __init__(self, app):
        self.app = app
        self.seen: list[tuple[str, bytes]] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/__admin"):
            await self.app(scope, receive, send)
            return
        chunks = []

        async def noting_receive():
            message = await receive()
            chunks.append(message.get("body", b""))
            return message

        await self.app(scope, noting_receive, send)
        self.seen.append((scope["method"], b"".join(chunks)))


def test_a_seed_gives_the_same_sequences_every_time(serve_over_http):
    sent = []
    for seed in (11, 11, 12):
        recorder = Recorder(MockServer(apis=["align"]))
        a = serve_over_http(recorder) + ALIGN
        b = serve_over_http(MockServer(apis=["align"])) + ALIGN
        run_diff("align", Target(a), Target(b), headers=HEADERS, seed=seed, max_examples=8, max_steps=4)
        sent.append(recorder.seen)
    assert sent[0] and sent[0] == sent[1]
    assert sent[0] != sent[2]
