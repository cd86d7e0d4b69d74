"""Bring the catalogs in studio/locales/ up to date with the messages the code uses.

    python tools/update_catalogs.py            # add new messages, drop unused ones
    python tools/update_catalogs.py --check    # exit 1 if a catalog is out of date

Every ``t("…")`` in app.py, pages/ and studio/ is a message, and so is every ``N_("…")``:
the engine's sentences in logreg/ (see logreg/words.py), which pages show through
``studio.session.i18n.say``; ``tn("…", "…", count=n)`` and ``Nn_("…", "…")`` are
messages with a
plural (Babel's extractor reads them from the source, the same way
``pybabel extract -k t -k N_ -k tn:1,2 -k Nn_:1,2`` does). A new message gets an empty
translation (every plural form of it) in every catalog; tests/test_i18n.py fails until the
Korean one is written.
Catalogs are written sorted by message, so two branches that add messages rarely touch
the same lines (and .gitattributes merges .po files line by line).
"""
import argparse
import datetime
import io
import pathlib
import sys

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = pathlib.Path(__file__).resolve().parents[1]
LOCALES = ROOT / "studio" / "locales"
# The languages that need a catalog: English is the message ids themselves.
LANGUAGES = ("ko",)
LANGUAGE_NAMES = {"ko": "Korean"}
# t(message, **fields) and N_(message): the message is the first argument;
# tn(singular, plural, count=n, **fields) and Nn_(singular, plural): the first two.
KEYWORDS = {"t": None, "N_": None, "tn": (1, 2), "Nn_": (1, 2)}


def sources():
    yield ROOT / "app.py"
    for folder in ("pages", "studio", "logreg"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def extract():
    """{message: [(relative path, line)]} for every t("…") in the sources; a message with a
    plural is its (singular, plural) pair."""
    found = {}
    for path in sources():
        for line, message, _comments, _context in extract_from_file(
                "python", path, keywords=KEYWORDS, comment_tags=(), options={}):
            forms = message if isinstance(message, tuple) else (message,)
            if all(isinstance(form, str) and form for form in forms):
                found.setdefault(message, []).append((str(path.relative_to(ROOT)), line))
    return found


def updated(lang, found):
    """The catalog text for ``lang``: old translations kept, new messages empty, unused gone."""
    path = LOCALES / f"{lang}.po"
    old = {}
    if path.exists():
        with path.open("rb") as handle:
            old = {m.id: m.string for m in read_po(handle, locale=lang) if m.id}
    # Fixed dates and version: a catalog changes only when its messages do.
    fixed = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    catalog = Catalog(locale=lang, project="logreg studio", version="2", fuzzy=False,
                      creation_date=fixed, revision_date=fixed,
                      msgid_bugs_address="", last_translator="logreg studio",
                      language_team=LANGUAGE_NAMES[lang],
                      header_comment=f"# logreg studio: the {lang} catalog "
                                     f"(tools/update_catalogs.py keeps it in step with the code)")
    for message in sorted(found, key=_singular):
        empty = ("",) * catalog.num_plurals if isinstance(message, tuple) else ""
        catalog.add(message, old.get(message, empty), locations=())
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, sort_output=True, no_location=True)
    return out.getvalue()


def _singular(message):
    """What a catalog sorts and finds a message by: a plural one by its singular."""
    return message[0] if isinstance(message, tuple) else message


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report, write nothing")
    args = parser.parse_args(argv)
    found = extract()
    stale = []
    for lang in LANGUAGES:
        path = LOCALES / f"{lang}.po"
        text = updated(lang, found)
        if not path.exists() or _messages(path.read_bytes(), lang) != _messages(text, lang):
            stale.append(path.name)
            if not args.check:
                path.write_bytes(text)
    if stale:
        print(("out of date: " if args.check else "updated: ") + ", ".join(stale))
    print(f"{len(found)} messages")
    return 1 if args.check and stale else 0


def _messages(text, lang):
    """What a catalog says: each message with its translation and flags, in order.

    Not the header: its ``Generated-By`` line names the Babel that wrote it, so a catalog
    written with one Babel would look out of date to the next (2.17 against 2.19)."""
    catalog = read_po(io.BytesIO(text), locale=lang)
    return [(m.id, m.string, sorted(m.flags)) for m in catalog if m.id]


if __name__ == "__main__":
    sys.exit(main())
