"""The offline drafter's phrasebook: for each kind of email a writer knows (welcome, reminder, offer,
last chance...), a subject, preheader, paragraphs and a button, in English and German.

A paragraph lists the facts it needs; it is left out when the offer lacks them, so an offline draft
never states a price, code or date the user did not give. Fields: {brand}, {product}, {price},
{code}, {code_gives}, {expires}, {note}, {audience}. Two variants per subject keep two steps of the
same kind apart.
"""

from __future__ import annotations

from typing import NamedTuple


class Para(NamedTuple):
    needs: tuple[str, ...]
    text: str
    variant: int | None = None  # only in the first (0) or second (1) email of this kind


class Archetype(NamedTuple):
    subjects: tuple[str, str]
    preheader: str
    paragraphs: tuple[Para, ...]
    cta: str


def P(text: str, *needs: str, variant: int | None = None) -> Para:
    return Para(needs, text, variant)


# Which archetype a step's purpose points to, tried in this order (purposes of the shipped
# blueprints, plus the usual English and German words for each kind of email).
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("reminder", ("what they left", "left behind", "cart", "basket", "warenkorb")),
    ("sunset", ("stop writing", "goodbye", "unsubscribe", "sunset", "keep hearing", "abmeld", "verabschied")),
    ("feedback", ("feedback", "survey", "what went wrong", "umfrage", "meinung", "rückmeldung")),
    (
        "urgency",
        ("last chance", "offer ends", "before it expires", "expir", "deadline", "letzte chance", "läuft ab"),
    ),
    ("welcome", ("welcome", "signed up", "hello", "introduc", "willkommen", "begrüß")),
    (
        "offer",
        ("incentive", "offer", "discount", "code", "coupon", "direct ask", "rabatt", "angebot", "gutschein"),
    ),
    (
        "objection",
        ("doubt", "question", "faq", "objection", "concern", "shipping", "fragen", "bedenken", "zweifel"),
    ),
    ("proof", ("proof", "review", "testimonial", "customers say", "bewertung", "kundenstimm")),
    ("howto", ("teach", "tip", "guide", "how to", "useful", "educat", "tipps", "anleitung")),
    ("story", ("story", "founder", "mission", "values", "geschichte", "gründer")),
    ("winback", ("what's new", "check in", "miss", "been a while", "come back", "vermiss", "lange nicht")),
    (
        "product",
        ("choose", "value", "bestseller", "product", "favourite", "favorite", "try", "invite", "produkt"),
    ),
)

# When the purpose names none of them: the usual shape of each kind of sequence, by step.
DEFAULT_ARC = {
    "welcome": ("welcome", "story", "proof", "howto", "product", "offer"),
    "cart_abandonment": ("reminder", "objection", "proof", "offer", "product", "reminder"),
    "win_back": ("winback", "product", "feedback", "offer", "urgency", "sunset"),
}

EN: dict[str, Archetype] = {
    "welcome": Archetype(
        ("Welcome to {brand}", "Glad you found {brand}"),
        "What to expect from us, and a small thank-you.",
        (
            P("Thanks for signing up. We're {brand}, and we're glad you're here."),
            P(
                "Over the next few emails we'll show you what we make, why we make it that way, and how "
                "other customers use it. No flood of messages, just the useful parts."
            ),
            P(
                "As a thank-you for joining, here is code {code}: it gives you {code_gives}.",
                "code",
                "code_gives",
            ),
            P("The code is valid until {expires}.", "code", "expires"),
            P("If you'd like to start browsing now, {product} is a good place to begin.", "product"),
        ),
        "Take a look",
    ),
    "story": Archetype(
        ("Why we started {brand}", "The story behind {brand}"),
        "A short story about how we got here.",
        (
            P(
                "Every brand has a reason it exists. Ours is simple: we wanted to make things we'd be happy to "
                "use ourselves, and we couldn't find them anywhere else."
            ),
            P("That is still how we decide what to make. If it isn't good enough for us, it doesn't go out."),
            P("{product} is a good example of that thinking.", "product"),
            P("Hit reply if you have a question. A real person reads every answer."),
        ),
        "See what we make",
    ),
    "product": Archetype(
        ("Meet {product}", "The one most people start with"),
        "The piece our customers come back for.",
        (
            P("If you're wondering where to start, most people begin with {product}.", "product"),
            P("{product_about}", "product_about"),
            P("It's {price}, and it's the piece customers tell us they use most.", "price"),
            P("Have a look and see if it fits the way you work."),
        ),
        "See {product}",
    ),
    "proof": Archetype(
        ("What customers notice first", "Why people stick with {brand}"),
        "Less about us, more about the people who use it.",
        (
            P("We could tell you how good our products are, but you'd expect us to say that."),
            P(
                "So here is what we hear most from customers instead: they come back for the details we "
                "sweat over, and they stay because things work the way they should."
            ),
            P("If you'd like to see for yourself, {product} is where most of them started.", "product"),
        ),
        "See why",
    ),
    "howto": Archetype(
        ("A few tips to get more out of it", "How to get the most from {brand}"),
        "Small things that make a real difference.",
        (
            P("A few practical tips we share with every new customer:"),
            P(
                "- Start with one thing and use it for a week before adding more.\n- Keep it simple: the basics "
                "do most of the work.\n- If something doesn't feel right, reply and ask us."
            ),
            P("{product} is the easiest place to begin.", "product"),
        ),
        "Read more",
    ),
    "reminder": Archetype(
        ("You left something behind", "Still thinking it over?"),
        "Your cart is saved, whenever you're ready.",
        (
            P(
                "It looks like you didn't quite finish your order. No problem: we've saved your cart for you.",
                variant=0,
            ),
            P("Your cart is still saved, exactly as you left it.", variant=1),
            P("You were looking at {product}.", "product"),
            P(
                "If something got in the way, or you have a question before you buy, just reply to this "
                "email and we'll help."
            ),
        ),
        "Return to your cart",
    ),
    "objection": Archetype(
        ("Any questions before you decide?", "The questions people ask us most"),
        "Straight answers to the usual questions.",
        (
            P("Buying something online means trusting what you can't touch yet. Fair enough."),
            P("Good to know: {note}.", "note"),
            P(
                "If anything else is holding you back, reply with your question. We answer every email "
                "ourselves."
            ),
        ),
        "Finish your order",
    ),
    "offer": Archetype(
        ("A little something for you", "Here's {code_gives}"),
        "Use it on anything you like.",
        (
            P("We'd like to make the decision a little easier.", variant=0),
            P("One more thing before you decide, because it might help.", variant=1),
            P("Use code {code} at checkout: it gives you {code_gives}.", "code", "code_gives"),
            P("Use code {code} at checkout.", "code", "no_code_gives"),
            P("The code is valid until {expires}.", "code", "expires"),
            P("Also good to know: {note}.", "note"),
            P("{product} is a good place to use it.", "product", "code"),
        ),
        "Use my code",
    ),
    "urgency": Archetype(
        ("A reminder about your code", "Your code is still waiting"),
        "In case it slipped your mind.",
        (
            P("A quick reminder, in case it got buried in your inbox.", variant=0),
            P("This is the last time we'll mention it, promise.", variant=1),
            P("Your code {code} gives you {code_gives}.", "code", "code_gives"),
            P("It's valid until {expires}; after that it stops working.", "code", "expires"),
            P("There's no deadline on this one, so use it whenever it suits you.", "code", "no_expires"),
            P("{product} is still here if you'd like it.", "product"),
        ),
        "Shop now",
    ),
    "winback": Archetype(
        ("It's been a while", "We've missed you at {brand}"),
        "Here's what's new since your last visit.",
        (
            P("It's been a while since your last order, so we wanted to say hello."),
            P(
                "A lot has happened at {brand} since then. We've kept improving the things you liked, and we'd "
                "love to show you what's new."
            ),
            P("If you haven't seen it yet, {product} is worth a look.", "product"),
        ),
        "See what's new",
    ),
    "feedback": Archetype(
        ("Can we ask you something?", "One quick question"),
        "Your answer helps us get better.",
        (
            P("We noticed we haven't seen you in a while, and we'd honestly like to know why."),
            P(
                "Was it something we did, or just the wrong time? Hit reply and tell us in a sentence or two. "
                "We read every answer."
            ),
        ),
        "Reply to us",
    ),
    "sunset": Archetype(
        ("Should we keep writing to you?", "Is this goodbye?"),
        "Tell us if you'd like to keep hearing from us.",
        (
            P("We don't want to fill your inbox with emails you don't read."),
            P(
                "If you'd like to keep hearing from {brand}, click below and we'll stay in touch. If not, no hard "
                "feelings: we'll stop writing soon."
            ),
        ),
        "Keep me subscribed",
    ),
}

DE: dict[str, Archetype] = {
    "welcome": Archetype(
        ("Willkommen bei {brand}", "Schön, dass Sie da sind"),
        "Was Sie von uns erwarten können – und ein kleines Dankeschön.",
        (
            P("Danke für Ihre Anmeldung. Wir sind {brand} und freuen uns, dass Sie dabei sind."),
            P(
                "In den nächsten E-Mails zeigen wir Ihnen, was wir machen, warum wir es so machen und wie andere "
                "Kundinnen und Kunden es nutzen. Keine Flut an Nachrichten, nur das Wesentliche."
            ),
            P(
                "Als Dankeschön für Ihre Anmeldung: Mit dem Code {code} erhalten Sie {code_gives}.",
                "code",
                "code_gives",
            ),
            P("Der Code gilt bis zum {expires}.", "code", "expires"),
            P("Wenn Sie gleich stöbern möchten: {product} ist ein guter Anfang.", "product"),
        ),
        "Jetzt ansehen",
    ),
    "story": Archetype(
        ("Warum es {brand} gibt", "Die Geschichte hinter {brand}"),
        "Eine kurze Geschichte darüber, wie alles anfing.",
        (
            P(
                "Jede Marke hat einen Grund, warum es sie gibt. Unserer ist einfach: Wir wollten Dinge machen, die "
                "wir selbst gern benutzen, und haben sie nirgends gefunden."
            ),
            P("So entscheiden wir noch immer. Was uns nicht überzeugt, verlässt nicht unser Haus."),
            P("{product} ist ein gutes Beispiel dafür.", "product"),
            P("Haben Sie eine Frage? Antworten Sie einfach auf diese E-Mail. Jede Antwort liest ein Mensch."),
        ),
        "Unsere Produkte",
    ),
    "product": Archetype(
        ("Darf ich vorstellen: {product}", "Womit die meisten anfangen"),
        "Das Stück, für das unsere Kundschaft wiederkommt.",
        (
            P(
                "Falls Sie nicht wissen, wo Sie anfangen sollen: Die meisten beginnen mit {product}.",
                "product",
            ),
            P("{product_about}", "product_about"),
            P(
                "Es kostet {price} und ist das Stück, das unsere Kundinnen und Kunden am häufigsten nutzen.",
                "price",
            ),
            P("Schauen Sie es sich in Ruhe an."),
        ),
        "{product} ansehen",
    ),
    "proof": Archetype(
        ("Was Kundinnen und Kunden zuerst auffällt", "Warum man bei {brand} bleibt"),
        "Weniger über uns, mehr über die Menschen, die es nutzen.",
        (
            P(
                "Wir könnten Ihnen erzählen, wie gut unsere Produkte sind – aber das würden Sie von uns erwarten."
            ),
            P(
                "Deshalb hier, was wir am häufigsten hören: Man kommt wegen der Details zurück und bleibt, weil "
                "die Dinge einfach funktionieren."
            ),
            P(
                "Wenn Sie sich selbst ein Bild machen möchten: Die meisten haben mit {product} angefangen.",
                "product",
            ),
        ),
        "Selbst ansehen",
    ),
    "howto": Archetype(
        ("Ein paar Tipps für den Anfang", "So holen Sie mehr heraus"),
        "Kleine Dinge, die viel ausmachen.",
        (
            P("Ein paar praktische Tipps, die wir allen neuen Kundinnen und Kunden geben:"),
            P(
                "- Fangen Sie mit einer Sache an und nutzen Sie sie eine Woche lang.\n- Bleiben Sie beim "
                "Wesentlichen.\n- Wenn etwas nicht passt, antworten Sie uns einfach."
            ),
            P("{product} ist der einfachste Einstieg.", "product"),
        ),
        "Mehr lesen",
    ),
    "reminder": Archetype(
        ("Sie haben etwas vergessen", "Noch am Überlegen?"),
        "Ihr Warenkorb ist gespeichert, wann immer Sie so weit sind.",
        (
            P(
                "Ihre Bestellung ist noch nicht ganz abgeschlossen. Kein Problem: Wir haben Ihren Warenkorb "
                "gespeichert.",
                variant=0,
            ),
            P("Ihr Warenkorb ist noch gespeichert, genau so, wie Sie ihn verlassen haben.", variant=1),
            P("Sie hatten sich {product} angesehen.", "product"),
            P(
                "Wenn etwas dazwischengekommen ist oder Sie vor dem Kauf eine Frage haben, antworten Sie einfach "
                "auf diese E-Mail. Wir helfen gern."
            ),
        ),
        "Zum Warenkorb",
    ),
    "objection": Archetype(
        ("Noch Fragen, bevor Sie sich entscheiden?", "Die Fragen, die wir am häufigsten hören"),
        "Klare Antworten auf die üblichen Fragen.",
        (
            P(
                "Online einzukaufen heißt, etwas zu vertrauen, das man noch nicht in der Hand hatte. Verständlich."
            ),
            P("Gut zu wissen: {note}.", "note"),
            P(
                "Wenn Sie noch etwas zögern lässt, schreiben Sie uns Ihre Frage. Wir beantworten jede E-Mail "
                "selbst."
            ),
        ),
        "Bestellung abschließen",
    ),
    "offer": Archetype(
        ("Eine kleine Aufmerksamkeit für Sie", "Für Sie: {code_gives}"),
        "Einlösbar für alles, was Ihnen gefällt.",
        (
            P("Wir möchten Ihnen die Entscheidung etwas leichter machen.", variant=0),
            P("Noch eine Sache, bevor Sie sich entscheiden – vielleicht hilft sie.", variant=1),
            P("Mit dem Code {code} erhalten Sie an der Kasse {code_gives}.", "code", "code_gives"),
            P("Geben Sie an der Kasse den Code {code} ein.", "code", "no_code_gives"),
            P("Der Code gilt bis zum {expires}.", "code", "expires"),
            P("Außerdem gut zu wissen: {note}.", "note"),
            P("{product} wäre ein guter Anfang.", "product", "code"),
        ),
        "Code einlösen",
    ),
    "urgency": Archetype(
        ("Eine Erinnerung an Ihren Code", "Ihr Code wartet noch"),
        "Falls es im Posteingang untergegangen ist.",
        (
            P("Eine kurze Erinnerung, falls unsere letzte E-Mail untergegangen ist.", variant=0),
            P("Zum letzten Mal, versprochen: Ihr Code ist noch da.", variant=1),
            P("Ihr Code {code} bringt Ihnen {code_gives}.", "code", "code_gives"),
            P("Er gilt bis zum {expires}; danach verfällt er.", "code", "expires"),
            P(
                "Der Code hat kein Ablaufdatum – lösen Sie ihn ein, wann es Ihnen passt.",
                "code",
                "no_expires",
            ),
            P("{product} wartet noch auf Sie.", "product"),
        ),
        "Jetzt einkaufen",
    ),
    "winback": Archetype(
        ("Lange nicht gesehen", "Wir haben Sie bei {brand} vermisst"),
        "Was es seit Ihrem letzten Besuch Neues gibt.",
        (
            P("Ihre letzte Bestellung ist schon eine Weile her, deshalb wollten wir uns kurz melden."),
            P(
                "Seitdem hat sich bei {brand} einiges getan. Wir haben weiter an den Dingen gearbeitet, die Sie "
                "mochten, und würden Ihnen gern zeigen, was neu ist."
            ),
            P("Falls Sie es noch nicht kennen: {product} lohnt einen Blick.", "product"),
        ),
        "Neuheiten ansehen",
    ),
    "feedback": Archetype(
        ("Dürfen wir Sie etwas fragen?", "Eine kurze Frage"),
        "Ihre Antwort hilft uns, besser zu werden.",
        (
            P("Wir haben Sie eine Weile nicht gesehen und würden ehrlich gern wissen, warum."),
            P(
                "Lag es an uns oder einfach am Zeitpunkt? Antworten Sie mit ein, zwei Sätzen. Wir lesen jede "
                "Antwort."
            ),
        ),
        "Antworten",
    ),
    "sunset": Archetype(
        ("Sollen wir Ihnen weiter schreiben?", "Heißt das Abschied?"),
        "Sagen Sie uns, ob Sie weiter von uns hören möchten.",
        (
            P("Wir möchten Ihr Postfach nicht mit E-Mails füllen, die Sie nicht lesen."),
            P(
                "Wenn Sie weiter von {brand} hören möchten, klicken Sie unten. Wenn nicht, ist das völlig in "
                "Ordnung: Wir hören bald auf zu schreiben."
            ),
        ),
        "Weiter informiert bleiben",
    ),
}

GREETING = {"en": "Hi there,", "de": "Hallo,"}
SIGN_OFF = {"en": "Thanks for reading,\n{signer}", "de": "Viele Grüße\n{signer}"}
TEAM = {"en": "The {brand} team", "de": "Ihr {brand}-Team"}
MONTHS_DE = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
PHRASEBOOKS = {"en": EN, "de": DE}
