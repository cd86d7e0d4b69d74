"""The words a person reads, in their language: ``t("English text {name}", name=...)``.

Messages are gettext catalogs, one per language (``studio/locales/<lang>.po``); the English
source text is the message id, so code stays readable and English needs no translation.
Placeholders are named (``{iterations:,}``), so a translation may put them in any order,
as Korean word order needs. A sentence whose words follow a number has both English forms,
``tn("{count} file skipped", "{count} files skipped", count=n)``, and each catalog as many
forms as its language has (its ``Plural-Forms`` header: Korean has one).
``tools/update_catalogs.py`` adds new messages to every catalog; ``tests/test_i18n.py``
checks that each catalog has every message the code uses.

The language comes from ``?lang=ko|en``, else the browser's language, and the sidebar's
switch changes it for the rest of the session (it is bound to the URL, so a copied link
keeps it).
"""
import contextlib
import contextvars
import functools
import gettext
import pathlib

import streamlit as st

from logreg.words import Message

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"
KEY = "lang"   # the sidebar switch's widget key and the URL parameter
CATALOGS = pathlib.Path(__file__).resolve().parents[1] / "locales"
# Set only inside fixed() and speaking().
_FIXED = contextvars.ContextVar("language", default=None)


@functools.cache
def _read(lang):
    """({message: translation}, the plural rule) of a language's catalog; read once per
    process. A message with a plural is keyed by its (singular, plural) pair and translated
    by a tuple of forms; the rule gives a count's form: ``rule(n)`` is an index."""
    from babel.messages.pofile import read_po   # parses gettext .po, plural and all

    if lang == DEFAULT:
        return {}, _english_plural
    path = CATALOGS / f"{lang}.po"
    with path.open("rb") as handle:
        messages = read_po(handle, locale=lang)
    translated = {message.id: message.string for message in messages
                  if message.id and _written(message.string)}
    return translated, gettext.c2py(messages.plural_expr)


def _written(string):
    """Whether a translation is there: every form of a plural one."""
    return all(string) if isinstance(string, tuple) else bool(string)


def _english_plural(n):
    return 0 if n == 1 else 1


def catalog(lang):
    """{English message: translation} for a language (plural messages under their
    (singular, plural) pair). English has no catalog: its messages are the ids."""
    return _read(lang)[0]


def browser_language():
    """The language the browser asks for, if we have it (``st.context.locale``: "ko-KR")."""
    locale = (getattr(st.context, "locale", None) or "").lower()
    return next((lang for lang in LANGUAGES if locale.startswith(lang)), DEFAULT)


def language():
    """The session's language: the switch, else ``?lang=``, else the browser's."""
    if _FIXED.get() is not None:
        return _FIXED.get()
    chosen = st.session_state.get(KEY)
    if chosen in LANGUAGES:
        return chosen
    asked = st.query_params.get(KEY)
    return asked if asked in LANGUAGES else browser_language()


def t(message, /, **fields):
    """``message`` in the session's language, its ``{placeholders}`` filled from ``fields``."""
    text = catalog(language()).get(message, message)
    return text.format(**fields) if fields else text


def tn(singular, plural, /, count, **fields):
    """The form of a message that fits ``count`` (a whole number), in the session's language:
    ``tn("{count} file skipped", "{count} files skipped", count=n)``. ``count`` fills the
    ``{count}`` placeholder too; a form may leave it out ("every iteration")."""
    messages, rule = _read(language())
    forms = messages.get((singular, plural))
    if forms is None:   # English, or not yet translated: the English forms
        forms, rule = (singular, plural), _english_plural
    return forms[min(rule(count), len(forms) - 1)].format(count=count, **fields)


def fixed(format_func):
    """A widget's ``format_func`` that speaks the language of this script run.

    Streamlit may call a widget's format function again outside the session's script run,
    where the session's language is unknown (AppTest does, for every widget, on each run):
    the labels would come out in English and no longer match the options shown."""
    lang = language()

    def formatted(value):
        with speaking(lang):
            return format_func(value)
    return formatted


@contextlib.contextmanager
def speaking(lang):
    """Words in ``lang`` inside the block, without asking the session for each one.

    Asking costs about 30 µs (session state, then the URL); the replay's frames say a few
    hundred words at every move of the threshold slider, whose budget is 200 ms."""
    token = _FIXED.set(lang)
    try:
        yield
    finally:
        _FIXED.reset(token)


def say(text):
    """A sentence the engine wrote (:class:`logreg.words.Message`) in the session's
    language, its phrase fields translated too; any other text as it is (a user's words,
    a number). The one place a message reaches ``t`` through a variable: the engine's
    templates are marked ``N_("…")`` and extracted from ``logreg/`` like ``t("…")``."""
    if not isinstance(text, Message):
        return text
    fields = {name: say(value) for name, value in text.fields.items()}
    if isinstance(text.template, tuple):   # Nn_("… {count} thing", "… {count} things")
        return tn(*text.template, **fields)
    return t(text.template, **fields)


def switch():
    """The sidebar's language switch; its value lives in the URL (``?lang=ko``).

    Its default is the browser's language (fixed for the session), so the URL names the
    language only when it differs from what the browser asks for."""
    # The options are the codes themselves: a bound widget writes its *shown* label to the
    # URL, so names ("한국어") would turn ?lang=ko into an invalid value it drops.
    st.segmented_control(
        "Language · 언어", list(LANGUAGES), key=KEY, default=browser_language(),
        required=True, bind="query-params", persist_state="session",
        help=" · ".join(f"{code}: {name}" for code, name in LANGUAGES.items()))
