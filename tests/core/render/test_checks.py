"""Each email check fires where it should and stays silent where it should not, on the real
public templates in ../shared/eval/templates (inlined first, as they would be sent)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from seqstudio.core.render.checks import (
    GMAIL_CLIP_BYTES,
    GMAIL_WARN_BYTES,
    Check,
    EmailChecker,
    Level,
    _footer,
    mobile_overflow,
)
from seqstudio.core.render.css_checks import css_support, style_run
from seqstudio.core.render.inline import Inliner

Read = Callable[[str], str]
CLEAN = "leemunroe/email.html"  # lang, viewport, preheader, alt text, address, unsubscribe: all there


@pytest.fixture(scope="module")
def checker() -> EmailChecker:
    return EmailChecker()


def run(checker: EmailChecker, inliner: Inliner, html: str, **kwargs: str) -> list[Check]:
    return list(checker.check(inliner.inline(html), **kwargs).checks)


def ids(checks: list[Check], check_id: str) -> list[Check]:
    return [c for c in checks if c.id == check_id]


def test_the_clean_template_passes_every_check(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    assert run(checker, inliner, template(CLEAN)) == []


def test_gmail_clipping_warns_from_90_kb_and_errors_from_102_kb(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    html = inliner.inline(template("sendwithus/goldstar-invoice.html"))  # 50 KB inlined
    assert ids(list(checker.check(html).checks), "gmail-clipping") == []
    head, body = html.split("<body", 1)
    body_inner = body.split(">", 1)[1].rsplit("</body>", 1)[0]

    def grown(copies: int, pad_to: int | None = None) -> str:
        page = head + "<body>" + body_inner * copies + "</body></html>"
        if pad_to is not None:
            page = page.replace("</body>", " " * (pad_to - len(page.encode())) + "</body>")
        return page

    warning = ids(list(checker.check(grown(1, GMAIL_WARN_BYTES + 10)).checks), "gmail-clipping")
    assert [c.level for c in warning] == [Level.WARNING]
    error = ids(list(checker.check(grown(3)).checks), "gmail-clipping")
    assert len(grown(3).encode()) > GMAIL_CLIP_BYTES
    assert [c.level for c in error] == [Level.ERROR] and "102 KB" in error[0].message


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("sendwithus/meow-welcome.html", 2),
        ("sendwithus/narrative-survey.html", 1),
        ("sendwithus/skyline-welcome.html", 1),
        ("leemunroe/email.html", 0),
        ("postmark/basic-full-welcome.html", 0),
        ("sendwithus/cerberus-responsive.html", 0),
    ],
)
def test_img_alt_counts_images_without_alt(
    checker: EmailChecker, inliner: Inliner, template: Read, name: str, missing: int
) -> None:
    found = ids(run(checker, inliner, template(name)), "img-alt")
    assert len(found) == missing
    assert all(c.where.startswith("<img src=") for c in found)


def test_img_alt_accepts_empty_alt_for_decoration(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    html = template(CLEAN).replace(
        "<p>Hi there</p>", '<p>Hi there</p><img src="https://x.example/a.png" alt="">'
    )
    assert ids(run(checker, inliner, html), "img-alt") == []
    html = html.replace(' alt=""', "")
    assert len(ids(run(checker, inliner, html), "img-alt")) == 1


def test_link_invalid_flags_empty_hash_relative_and_javascript_links(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    airmail = ids(run(checker, inliner, template("sendwithus/airmail-invoice.html")), "link-invalid")
    assert len(airmail) == 7 and all("'#'" in c.message for c in airmail)
    oxygen = ids(run(checker, inliner, template("sendwithus/oxygen-welcome.html")), "link-invalid")
    assert {c.message.split("; ")[0] for c in oxygen} == {
        "A link points nowhere ('')",
        "A web address has no site in it ('http://')",  # its "View Now!" buttons: href="http://"
    }

    clean = template(CLEAN)
    relative = clean.replace('href="http://htmlemail.io"', 'href="/pricing"', 1)
    found = ids(run(checker, inliner, relative), "link-invalid")
    assert [(c.level, "relative" in c.message) for c in found] == [(Level.ERROR, True)]
    scripted = clean.replace('href="http://htmlemail.io"', 'href="javascript:void(0)"', 1)
    found = ids(run(checker, inliner, scripted), "link-invalid")
    assert [(c.level, "JavaScript" in c.message) for c in found] == [(Level.ERROR, True)]


def test_link_invalid_leaves_esp_merge_tag_links_to_the_template_tag_check(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    checks = run(checker, inliner, template("postmark/basic-full-welcome.html"))
    assert [c.where for c in ids(checks, "link-invalid")] == ['<a href="https://example.com"> [Product Name]']
    assert any(c.where == "{{action_url}}" for c in ids(checks, "template-tags"))


@pytest.mark.parametrize(
    ("name", "fires"),
    [
        ("leemunroe/email.html", False),
        # Their unsubscribe links are href="#": there, but no reader can leave the list with them.
        ("sendwithus/neopolitan-invoice.html", True),
        ("sendwithus/plain-jane-plain.html", True),
        ("sendwithus/mantra-receipt.html", True),
        ("postmark/basic-full-welcome.html", True),
        ("sendwithus/cerberus-hybrid.html", True),
        ("sendwithus/meow-welcome.html", True),
    ],
)
def test_unsubscribe_missing(
    checker: EmailChecker, inliner: Inliner, template: Read, name: str, fires: bool
) -> None:
    found = ids(run(checker, inliner, template(name)), "unsubscribe-missing")
    assert [c.level for c in found] == ([Level.ERROR] if fires else [])


@pytest.mark.parametrize(
    ("name", "fires"),
    [
        ("leemunroe/email.html", False),  # "7-11 Commercial Ct, Belfast BT1 2NB"
        ("postmark/basic-full-receipt.html", False),  # "1234 Street Rd. Suite 1234"
        ("sendwithus/cerberus-responsive.html", False),  # "123 Fake Street, SpringField, OR"
        ("sendwithus/plain-jane-plain.html", True),
        ("sendwithus/meow-welcome.html", True),
        ("sendwithus/skyline-welcome.html", True),
    ],
)
def test_postal_address_found_in_the_text(
    checker: EmailChecker, inliner: Inliner, template: Read, name: str, fires: bool
) -> None:
    assert bool(ids(run(checker, inliner, template(name)), "postal-address-missing")) is fires


def test_postal_address_given_by_the_brand_must_appear_verbatim(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    clean = template(CLEAN)
    assert (
        ids(
            run(checker, inliner, clean, postal_address="Company Inc, 7-11 Commercial Ct, Belfast BT1 2NB"),
            "postal-address-missing",
        )
        == []
    )
    found = ids(
        run(checker, inliner, clean, postal_address="Fernwood Tea Ltd, 12 Harbour Street"),
        "postal-address-missing",
    )
    assert len(found) == 1 and "Fernwood Tea Ltd" in found[0].message


def test_subject_length(checker: EmailChecker, inliner: Inliner, template: Read) -> None:
    clean = template(CLEAN)
    assert (
        ids(run(checker, inliner, clean, subject="Your 15% code runs out on Sunday"), "subject-length") == []
    )
    assert ids(run(checker, inliner, clean, subject="x" * 40), "subject-length") == []
    long = ids(
        run(checker, inliner, clean, subject="Everything you need to know about brewing green tea"),
        "subject-length",
    )
    assert len(long) == 1 and long[0].level is Level.WARNING and "51 characters" in long[0].message
    assert [c.level for c in ids(run(checker, inliner, clean, subject="  "), "subject-length")] == [
        Level.ERROR
    ]
    assert ids(run(checker, inliner, clean), "subject-length") == []  # an HTML file carries no subject


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("leemunroe/email.html", None),
        ("postmark/basic-full-welcome.html", None),
        ("sendwithus/cerberus-hybrid.html", None),
        ("postmark/basic-full-comment-notification.html", "No preheader"),
        ("sendwithus/plain-jane-plain.html", "No preheader"),
        (
            "sendwithus/airmail-invoice.html",
            "No preheader",
        ),  # hidden mobile-only text further down is not one
    ],
)
def test_preheader(
    checker: EmailChecker, inliner: Inliner, template: Read, name: str, expected: str | None
) -> None:
    found = ids(run(checker, inliner, template(name)), "preheader")
    assert [c.message.split(":")[0] for c in found] == ([expected] if expected else [])


def test_preheader_too_short(checker: EmailChecker, inliner: Inliner, template: Read) -> None:
    html = template(CLEAN).replace(
        "This is preheader text. Some clients will show this text as a preview.", "Hi!"
    )
    found = ids(run(checker, inliner, html), "preheader")
    assert len(found) == 1 and "3 characters" in found[0].message and found[0].where == "Hi!"


def test_template_tags(checker: EmailChecker, inliner: Inliner, template: Read) -> None:
    found = ids(run(checker, inliner, template("postmark/basic-full-welcome.html")), "template-tags")
    tags = {c.where for c in found}
    assert {"{{name}}", "{{action_url}}", "{{login_url}}", "{{trial_length}}"} <= tags
    action = next(c for c in found if c.where == "{{action_url}}")
    assert "(2x)" in action.message and action.level is Level.WARNING
    assert ids(run(checker, inliner, template(CLEAN)), "template-tags") == []
    mailchimp = template(CLEAN).replace("Hi there", "Hi *|FNAME|*")
    assert [c.where for c in ids(run(checker, inliner, mailchimp), "template-tags")] == ["*|FNAME|*"]


def test_lang_and_viewport(checker: EmailChecker, inliner: Inliner, template: Read) -> None:
    found = ids(run(checker, inliner, template("postmark/basic-full-welcome.html")), "lang-viewport")
    assert [c.where for c in found] == ["<html>"]  # it has a viewport, no lang
    no_viewport = template(CLEAN).replace(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">', ""
    )
    assert [c.where for c in ids(run(checker, inliner, no_viewport), "lang-viewport")] == ["<head>"]


@pytest.mark.parametrize(
    ("css", "feature", "client"),
    [
        (".container { display: flex; }", "display:flex", "Outlook (Windows)"),
        (".main { display: inline-grid; }", "display:grid", "Outlook (Windows)"),
        (".footer { position: absolute; top: 0; }", "position", "Gmail (webmail)"),
        (":root { --brand: #f00; } .wrapper { color: var(--brand); }", "CSS Variables", "Outlook (Windows)"),
    ],
)
def test_css_support_names_the_clients_that_drop_it(
    checker: EmailChecker, inliner: Inliner, template: Read, css: str, feature: str, client: str
) -> None:
    # The selectors match elements of the template: the inliner drops rules that match nothing.
    html = template(CLEAN).replace("</style>", css + "</style>", 1)
    found = ids(run(checker, inliner, html), "css-support")
    assert len(found) == 1
    assert (
        found[0].message.startswith(feature)
        and client in found[0].message
        and "caniemail" in found[0].message
    )


def test_css_support_stays_silent_on_table_layouts_and_relative_position(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    for name in ("leemunroe/email.html", "sendwithus/cerberus-hybrid.html", "sendwithus/meow-welcome.html"):
        assert ids(run(checker, inliner, template(name)), "css-support") == []
    relative = template(CLEAN).replace("</style>", ".footer { position: relative; }</style>", 1)
    assert ids(run(checker, inliner, relative), "css-support") == []


def test_media_important_flags_phone_rules_that_inlining_overrides(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    found = ids(run(checker, inliner, template("sendwithus/airmail-invoice.html")), "media-important")
    assert [c.where for c in found] == ['td[class="mobile"] { text-align: right }']
    for name in (
        "leemunroe/email.html",
        "sendwithus/cerberus-responsive.html",
        "sendwithus/meow-welcome.html",
    ):
        assert ids(run(checker, inliner, template(name)), "media-important") == []


def test_mobile_overflow_from_the_measured_width() -> None:
    assert mobile_overflow(375) == []
    wide = mobile_overflow(708)
    assert [(c.id, c.level) for c in wide] == [("mobile-overflow", Level.WARNING)] and "708 px" in wide[
        0
    ].message
    assert [c.level for c in mobile_overflow(None)] == [Level.INFO]


@pytest.mark.parametrize(
    ("element", "level", "words"),
    [
        ('<a href="htp://shop.fernweh.de/">Shop</a>', Level.ERROR, "starts with 'htp:'"),
        ('<a href="https:/shop.fernweh.de/">Shop</a>', Level.ERROR, "has no site in it"),
        ('<a href="mailto:">Write to us</a>', Level.ERROR, "no valid address"),
        ('<a href="mailto:mara at fernweh">Write to us</a>', Level.ERROR, "no valid address"),
        ('<a href="https://fernweh.example/shop">Shop</a>', Level.WARNING, "placeholder"),
        ('<a href="https://www.example.com/">Shop</a>', Level.WARNING, "placeholder"),
        ('<img src="images/hero.png" alt="Hero">', Level.ERROR, "image address is relative"),
        ('<img src="" alt="Hero">', Level.ERROR, "has no address"),
        ('<img src="file:///C:/hero.png" alt="Hero">', Level.ERROR, "not a web address"),
        ('<img src="https://shop.test/hero.png" alt="Hero">', Level.WARNING, "placeholder"),
    ],
)
def test_addresses_that_cannot_work_are_caught_without_opening_them(
    checker: EmailChecker, inliner: Inliner, template: Read, element: str, level: Level, words: str
) -> None:
    clean = template(CLEAN)
    assert ids(run(checker, inliner, clean), "link-invalid") == []
    html = clean.replace("</body>", f"{element}</body>", 1)
    [found] = ids(run(checker, inliner, html), "link-invalid")
    assert found.level is level and words in found.message


@pytest.mark.parametrize(
    "element",
    [
        '<a href="mailto:mara@fernweh.de?subject=Hi">Write to us</a>',
        '<a href="tel:+4930123456">Call</a>',
        '<a href="myapp://open/offer">Open the app</a>',
        '<a href="https://fernweh.de/shop?e={{ email }}">Shop</a>',
        '<img src="cid:logo" alt="Logo">',
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="Dot">',
        '<img src="https://cdn.fernweh.de/hero.png" alt="Hero">',
    ],
)
def test_addresses_that_work_pass(
    checker: EmailChecker, inliner: Inliner, template: Read, element: str
) -> None:
    html = template(CLEAN).replace("</body>", f"{element}</body>", 1)
    assert ids(run(checker, inliner, html), "link-invalid") == []


def test_an_unsubscribe_link_that_goes_nowhere_is_an_error(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    html = template(CLEAN).replace(
        '<a href="http://htmlemail.io/blog">Unsubscribe</a>', '<a href="#">Unsubscribe</a>'
    )
    checks = ids(run(checker, inliner, html), "unsubscribe-missing")
    assert [c.message.split(" (")[0] for c in checks] == ["The unsubscribe link goes nowhere"]
    assert checks[0].level is Level.ERROR


def test_subject_length_counts_what_a_reader_sees(
    checker: EmailChecker, inliner: Inliner, template: Read
) -> None:
    clean = template(CLEAN)
    family = "👨‍👩‍👧‍👦"  # seven code points, one emoji
    subject = f"{family}{family}{family} Family deals are here for you"  # 33 visible, 51 code points
    assert ids(run(checker, inliner, clean, subject=subject), "subject-length") == []
    flags = "🇩🇪🇫🇷🇮🇹 " + "Café crème " * 4  # three flags, accents written as combining marks
    long = flags.replace("é", "e\u0301") + "and more"
    [found] = ids(run(checker, inliner, clean, subject=long), "subject-length")
    assert "is 56 characters" in found.message and "'🇩🇪🇫🇷🇮🇹 Cafe\u0301" in found.message


@pytest.mark.parametrize(
    ("html", "tags"),
    [
        ("<html><head><title>{{ a }}</title></head><body>{{ b }} *|C|* {% d %}</body></html>",
         ["{{ b }}", "*|C|*", "{% d %}"]),
        ("<title>{{ a }}</title><p>{{ b }}</p>", ["{{ a }}", "{{ b }}"]),  # no </head>: all of it
        ("<head><title>{{ a }}</title></head><p>{ b } * c *|d|</p>", []),
    ],
)  # fmt: skip
def test_template_tags_are_looked_for_after_the_head(
    checker: EmailChecker, html: str, tags: list[str]
) -> None:
    assert [c.where for c in checker.check(html).checks if c.id == "template-tags"] == tags


def test_postal_address_lookup_matches_folding_the_whole_text() -> None:
    """_footer looks for the address in the text as it is first (ASCII only): the same answer as
    folding the text's whitespace, on random texts of the address's words and whitespace."""
    rng = random.Random(7)
    pieces = ["Kastanienallee", "12,", "10435", "Berlin", "BERLIN", "Straße", "İ", "x", "", " ", "\n", "\t",
              "\x1c", "\u00a0", "  \n "]  # fmt: skip
    addresses = [
        "Kastanienallee 12, 10435 Berlin",
        " kastanienallee\n12,  10435\tberlin ",
        "Straße x",
        "İ x",
        " ",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "\n"]) for _ in range(rng.randrange(12)))
        for address in addresses:
            expected = " ".join(address.split()).lower() in " ".join(text.split()).lower()
            found = not _footer(((True, ""),), text, address)
            assert found is expected, (text, address)


def test_css_support_from_runs_of_styles_is_css_support_of_all_of_them(checker: EmailChecker) -> None:
    """css_support given the styles in runs read apart (a frame's once) finds what it finds in
    all of them at once, on random styles with features, capitals and letters lower() rewrites."""
    rng = random.Random(11)
    pieces = ["display: FLEX", "Display:", " flex;", "position: Absolute", "POSITION:", "fixed", "-", "-x: 1",
              "--Brand: red", "var(", "--y)", "grid", "\u03a3", "A\u03a3", "\u0130", "\u212a", "\n", " ", ";"]  # fmt: skip
    features = checker._features
    for _ in range(2000):
        styles = [
            "".join(rng.choice(pieces) for _ in range(rng.randrange(4))) for _ in range(rng.randrange(7))
        ]
        styled = [(style, f"<p {n}>") for n, style in enumerate(styles)]
        cuts = (
            sorted(rng.sample(range(1, len(styled)), rng.randrange(len(styled)))) if len(styled) > 1 else []
        )
        runs = [
            style_run(styled[a:b]) for a, b in zip([0, *cuts], [*cuts, len(styled)], strict=True) if b > a
        ]
        expected = css_support(features, "", styled)
        assert css_support(features, "", styled, runs) == expected, styles
        assert css_support(features, "", styled, runs[:-1]) == expected, "runs that miss styles are not used"


def test_a_use_split_across_two_elements_styles_is_none(checker: EmailChecker) -> None:
    """ "display:" ending one element's style and "flex" starting the next is no flex layout
    (it used to stop the checks with StopIteration)."""
    html = '<html lang="en"><body><p style="display:">a</p><p style="flex: 1">b</p></body></html>'
    assert [c for c in checker.check(html).checks if c.id == "css-support"] == []
    html = html.replace("flex: 1", "display: flex")
    assert [c.where for c in checker.check(html).checks if c.id == "css-support"] == ["<p> display: flex"]
