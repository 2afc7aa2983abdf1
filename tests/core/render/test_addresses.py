"""The shortcuts in addresses.py find what the plain regular expressions find."""

from __future__ import annotations

import random
import re
from urllib.parse import urlsplit

import pytest

from seqstudio.core.render.addresses import UNSUBSCRIBE, _host, names_unsubscribe
from seqstudio.core.render.checks import EmailChecker

# Each ASCII letter and every character outside ASCII that IGNORECASE takes for it.
_OTHERS = re.findall("[a-z]", "".join(map(chr, range(0x80, 0x110000))), re.IGNORECASE)
_FOLDS = {
    letter: [other for other in _OTHERS if re.fullmatch(letter, other, re.IGNORECASE)]
    for letter in "abcdefghijklmnopqrstuvwxyz"
}
_WORDS = ["unsubscribe", "opt-out", "abmelden", "abbestellen", "désabonner", "désinscrire", "afmelden",
          "darse de baja", "cancelar la suscripción", "annulla l'iscrizione", "manage email preferences"]  # fmt: skip


def test_ignorecase_takes_non_ascii_letters_for_ascii_ones() -> None:
    # what makes lower-casing alone wrong outside ASCII: these must go to the regex itself
    assert _FOLDS["s"] == ["\u017f"] and _FOLDS["k"] == ["\u212a"]
    assert _FOLDS["i"] == ["\u0130", "\u0131"]


@pytest.mark.parametrize("word", _WORDS)
def test_names_unsubscribe_finds_what_the_regex_finds(word: str) -> None:
    assert UNSUBSCRIBE.search(word)
    texts = [word, word.upper(), word.title(), f"Click to {word}!", word.replace("e", "x")]
    # every letter swapped in turn for each character IGNORECASE matches it with (ſ, K, İ, ı, …)
    texts += [word[:i] + fold + word[i + 1 :] for i, ch in enumerate(word) for fold in _FOLDS.get(ch, ())]
    texts += [text.lower() for text in texts] + [f"https://x.example/{text}?a=1" for text in texts]
    for text in texts:
        assert names_unsubscribe(text) is (UNSUBSCRIBE.search(text) is not None), repr(text)


@pytest.mark.parametrize(
    "text",
    ["", "Read more", "https://fernweh.example/reviews", "OPTION", "unsu b", "\u0130\u0131\u017f\u212a"],
)
def test_names_unsubscribe_passes_other_text(text: str) -> None:
    assert names_unsubscribe(text) is (UNSUBSCRIBE.search(text) is not None)


def test_a_link_spelt_with_a_long_s_counts_as_unsubscribe() -> None:
    link = '<a href="https://fernweh.example/u">Un\u017fub\u017fcribe</a>'
    html = f'<!DOCTYPE html><html lang="en"><head></head><body><p>{link}</p></body></html>'
    checks = EmailChecker().check(html).checks
    assert "unsubscribe-missing" not in [c.id for c in checks]
    # the unsubscribe link is exempt from the placeholder warning, as before
    assert [c.message for c in checks if c.id == "link-invalid"] == []


def test_the_host_of_an_address_is_urlsplits() -> None:
    """_host reads plain web addresses itself; on 100,000 made-up addresses it gives urlsplit's."""
    rng = random.Random(3)
    parts = ["http://", "https://", "HTTPS://", "htTp://", "a", "B", "1", ".", "-", "/", "?", "#", ":", "@",
             "[", "]", "%", "\t", "\n", " ", "é", "xn--", "\u212a", "\u017f", "//", "\x01"]  # fmt: skip
    for _ in range(100_000):
        url = "".join(rng.choice(parts) for _ in range(rng.randint(1, 9)))
        try:
            want = urlsplit(url).hostname or ""
        except ValueError:
            want = ""
        assert _host(url) == want, url
