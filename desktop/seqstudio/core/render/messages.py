"""Every user-facing message of the render checks, in one place (ids are stable for scripts).

Each is a str.format template; the check fills the named fields.
"""

from __future__ import annotations

MESSAGES = {
    "gmail-clipping.warning": "The email is {size_kb} KB; Gmail clips messages over 102 KB "
    "and hides the rest (unsubscribe link included) behind 'View entire message'. Trim it below 90 KB.",
    "gmail-clipping.error": "The email is {size_kb} KB, over Gmail's 102 KB limit: Gmail will clip it "
    "and hide the rest, unsubscribe link included. Cut images, CSS or copy.",
    "img-alt": "An image has no alt text; screen readers and clients that block images show nothing. "
    'Add alt="…" (alt="" for decoration).',
    "link-invalid.missing": "A link has no address (no href); it does nothing when clicked.",
    "link-invalid.empty": "A link points nowhere ('{href}'); give it a real address.",
    "link-invalid.javascript": "A link runs JavaScript ('{href}'); mail clients block or strip it.",
    "link-invalid.relative-link": "A link is relative ('{href}'); an email has no site to resolve it "
    "against. Use a full https:// address.",
    "link-invalid.relative-image": "An image address is relative ('{href}'); it will not load in an inbox. "
    "Use a full https:// address.",
    "link-invalid.image-missing": "An image has no address (src); it shows as a broken image.",
    "link-invalid.image-scheme": "An image address ('{href}') is not a web address; inboxes load "
    "https://, cid: or data: images only.",
    "link-invalid.no-host": "A web address has no site in it ('{href}'); write it as https://site/path.",
    "link-invalid.mailto": "A mail link ('{href}') has no valid address to write to.",
    "link-invalid.mistyped": "A link starts with '{scheme}:' ('{href}'), which no client opens; "
    "did you mean https:?",
    "link-invalid.placeholder": "An address is a placeholder ('{href}', a name reserved for examples); "
    "replace it before sending.",
    "unsubscribe-missing": "No unsubscribe link found. Marketing email needs a visible one (CAN-SPAM, GDPR, "
    "and the Gmail and Yahoo bulk-sender rules).",
    "unsubscribe-missing.nowhere": "The unsubscribe link goes nowhere (no address, '#' or script); "
    "readers cannot leave the list, which the law and the Gmail and Yahoo sender rules require.",
    "postal-address-missing.brand": "The brand's postal address ('{address}') is not in the email; "
    "CAN-SPAM requires it in every marketing email.",
    "postal-address-missing": "No postal address found; CAN-SPAM requires the sender's physical address "
    "in every marketing email. Set one in the brand settings.",
    "subject-length.empty": "The subject is empty; write one.",
    "subject-length": "The subject is {length} characters; phones show about {limit}, so "
    "'{cut}…' is what most readers see.",
    "preheader.missing": "No preheader: the inbox fills the preview line with the first text of the body. "
    "Add a preheader.",
    "preheader.short": "The preheader is {length} characters; inboxes show about 40-90 and fill the rest "
    "with body text. Write a longer one.",
    "template-tags.unresolved": "Unresolved template tag {tag} ({count}x): it is sent as typed unless your "
    "email platform fills it.",
    "template-tags.broken": "A template tag could not be read ({reason}); it is shown as typed.",
    "lang-viewport.lang": "The <html> element has no lang attribute; screen readers guess the language. "
    'Add lang="{language}".',
    "lang-viewport.viewport": "No viewport meta tag; phones may show the email zoomed out. Add "
    '<meta name="viewport" content="width=device-width, initial-scale=1">.',
    "css-support": "{title} is used, but {clients} (caniemail, tested {tested}); the layout may break there.",
    "media-important": "A declaration inside @media has no !important: once styles are inlined for "
    "sending, the inline style wins and phones never see this rule. Add !important.",
    "text-part-missing": "The message has no plain-text part; some clients show nothing without one and "
    "spam filters count HTML-only mail against it. Send a text/plain alternative.",
    "mobile-overflow": "At {viewport} px the email is {width} px wide: readers on phones "
    "must scroll sideways. Make wide tables, images or long words fit (max-width: 100%).",
    "mobile-overflow.unmeasured": "The width at {viewport} px was not measured (no web engine in this run).",
    "link-check.gone": "{url} answers {status}: the reader gets an error page. Fix or remove the link.",
    "link-check.refused": "{url} refused an automated check ({status}); open it in a browser to be sure.",
    "link-check.no-answer": "{url} cannot be opened: {reason}.",
    "link-check.not-image": "{url} is not an image (the server sends {kind}); the reader sees a broken image.",
    "link-check.redirect": "{url} redirects to {final} ({hops} hop(s)); link to the final address if it is yours.",
    "link-check.skipped": "Not opened: {what}.",
    "link-check.skipped.unsubscribe": "{count} unsubscribe link(s) (opening one can unsubscribe the contact)",
    "link-check.skipped.tagged": "{count} address(es) with merge tags (your email platform fills them)",
    "link-check.timeout": "no answer within the time limit",
    "link-check.no-such-host": "no such host (check the domain name)",
    "link-check.refused-connection": "the server refused the connection",
    "link-check.certificate": "its certificate is not valid ({detail})",
    "link-check.tls": "a secure connection failed ({detail})",
    "link-check.not-web": "it redirects to an address that is not a web page",
    "link-check.loop": "its redirects go round in a loop",
    "link-check.too-many": "it redirects more than 10 times",
    "cadence.week": "{count} emails within 7 days (steps {steps}); more than 3 a week drives unsubscribes. "
    "Space them out.",
    "cadence.48h": "Steps {first} and {second} are {gap} apart; two emails within 48 hours feel pushy "
    "unless the first is a cart reminder.",
    "cart-exit": "This cart flow has no exit when the contact places an order: buyers keep "
    "getting reminders. Add the exit condition 'placed_order'.",
    "offer-expired.code": "Code {code} expired on {expires}, but step {step} mentions it.",
    "offer-expired.send": "Code {code} expires on {expires}; step {step} would go out {days} day(s) "
    "after that if the flow started today.",
    "step-not-approved": "Step {step} is {status}, not approved yet.",
    "duplicate-subject": "Steps {steps} share the subject '{subject}'; readers take it for a duplicate.",
}


def message(key: str, **fields: object) -> str:
    return MESSAGES[key].format(**fields)
