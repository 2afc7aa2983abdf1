"""Inlining for delivery: styles move into attributes, @media stays, the doctype survives.
(That inlined output draws the same as its source is tests/gui/preview/test_inline_pixels.py.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selectolax.lexbor import LexborHTMLParser

from seqstudio.core.render.inline import Inliner, restore_doctype

Read = Callable[[str], str]


def test_keeps_media_rules_and_the_xhtml_doctype(inliner: Inliner, template: Read) -> None:
    source = template("sendwithus/cerberus-responsive.html")
    inlined = inliner.inline(source)
    assert inlined.splitlines()[0] == source.splitlines()[0]  # XHTML 1.0 Transitional, not <!DOCTYPE html>
    assert "@media screen and (max-width: 600px)" in inlined
    assert ".stack-column" in inlined  # the phone rules still name their classes


@pytest.mark.parametrize(
    "name", ["leemunroe/email.html", "postmark/basic-full-invoice.html", "sendwithus/meow-welcome.html"]
)
def test_moves_every_plain_rule_into_style_attributes(inliner: Inliner, template: Read, name: str) -> None:
    inlined = LexborHTMLParser(inliner.inline(template(name)))
    for style in inlined.css("style"):
        css = style.text().strip()
        assert css.startswith("@"), f"a plain rule survived in <style>: {css[:60]}"
    assert len(inlined.css("[style]")) > 20


def test_matches_postmarks_own_inlined_twin(inliner: Inliner, template: Read) -> None:
    """Postmark ships the welcome email already inlined (by their own tool): the same elements
    carry the same declarations here. (Not a.button: their twin was inlined from an older
    source whose button border is written differently.)"""
    ours = LexborHTMLParser(inliner.inline(template("postmark/basic-full-welcome.html")))
    theirs = LexborHTMLParser(template("postmark/basic-full-welcome.inlined.html"))

    def declarations(tree: LexborHTMLParser, selector: str) -> set[str]:
        style = tree.css_first(selector).attributes.get("style") or ""
        return {
            " ".join(part.split()).replace(": ", ":").replace('"', "'")
            for part in style.split(";")
            if part.strip()
        }

    for selector in (
        "td.email-masthead",
        "td.email-body",
        "table.body-action",
        "td.content-cell",
        "table.email-body_inner",
        "p.sub",
        "h1",
        "span.preheader",
        "table.attributes",
    ):
        assert declarations(ours, selector) == declarations(theirs, selector), selector


def test_restore_doctype() -> None:
    xhtml = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x.dtd">'
    assert (
        restore_doctype(xhtml + "\n<html></html>", "<!DOCTYPE html><html></html>")
        == xhtml + "\n<html></html>"
    )
    assert restore_doctype("<html></html>", "<!DOCTYPE html><html></html>") == "<html></html>"
