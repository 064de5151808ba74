"""Content-Security-Policy: on every response, and nothing inline that it would block.

The browser test (tests/browser/test_signin.py) loads pages with the policy enforced; these
check the header and the templates without a browser.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

import medvirk

pytestmark = pytest.mark.django_db

PACKAGE = Path(medvirk.__file__).parent
# Written as files for the municipality's own website, never served by Medvirk.
NOT_SERVED = {"results/templates/results/public/static_page.html"}
TEMPLATES = sorted(
    path
    for path in PACKAGE.glob("*/templates/**/*.html")
    if str(path.relative_to(PACKAGE)) not in NOT_SERVED
)
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize(
    "path",
    ["/", "/staff/login/", "/resultater/", "/brukerrad/", "/svar/", "/finnes-ikke/"],
)
def test_every_page_carries_the_policy(anonymous, path):
    found = policy(anonymous.get(path))

    assert found["default-src"] == ["'self'"]
    assert found["script-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"]
    assert found["frame-ancestors"] == ["'none'"]
    assert found["form-action"] == ["'self'"]
    assert found["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in found["style-src"]


def test_a_staff_page_carries_the_policy(client_for):
    found = policy(client_for("admin").get(reverse("core:dashboard")))

    assert found["script-src"] == ["'self'"]


def test_the_brand_colour_rule_is_allowed_by_its_hash_and_nothing_else_inline(anonymous):
    response = anonymous.get("/")
    styles = STYLE_ELEMENT.findall(response.content.decode())

    assert styles == [":root { --brand: #1f4e79; }"]
    assert policy(response)["style-src"] == ["'self'", sha256_source(styles[0])]


def test_a_new_brand_colour_gets_its_own_hash(world, anonymous):
    world.alpha.brand_colour = "#7a1f3d"
    world.alpha.save()

    response = anonymous.get("/")
    (style,) = STYLE_ELEMENT.findall(response.content.decode())

    assert "#7a1f3d" in style
    assert sha256_source(style) in policy(response)["style-src"]


def test_a_page_kept_whole_in_the_cache_still_matches_its_policy(anonymous, world):
    """The public results keep whole pages for the next visitor: the style must not carry
    anything per response (a nonce would go stale)."""
    first = anonymous.get("/resultater/")
    second = anonymous.get("/resultater/")

    for response in (first, second):
        (style,) = STYLE_ELEMENT.findall(response.content.decode())
        assert sha256_source(style) in policy(response)["style-src"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[3])))
def test_no_template_has_inline_script_or_style_the_policy_would_block(template):
    text = template.read_text(encoding="utf-8")

    assert not re.search(r"\sstyle=", text), "style attribute"
    assert not re.search(r"\son[a-z]+=", text), "event handler attribute"
    assert not re.search(r"javascript:", text), "javascript: URL"
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text), "inline script"
    assert all("brand_rule" in body for body in STYLE_ELEMENT.findall(text)), "inline style"


def test_the_template_check_would_catch_an_inline_style():
    """Positive control: the same patterns find what they look for."""
    sample = '<p style="color: red" onclick="go()">x</p><script>alert(1)</script>'

    assert re.search(r"\sstyle=", sample)
    assert re.search(r"\son[a-z]+=", sample)
    assert re.search(r"<script(?![^>]*\ssrc=)[^>]*>", sample)
