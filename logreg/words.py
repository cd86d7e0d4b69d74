"""Sentences the engine writes for people, kept translatable.

The engine speaks English (the command line prints it), but a page may show the same
sentence in another language. So a sentence is built from a template marked with
:func:`N_` and named fields, and kept as a :class:`Message`: a ``str`` that reads as the
English sentence everywhere (printing, ``==``, f-strings) and still carries its template
and fields, from which ``studio.session.i18n.say`` builds the translation. The wording lives once,
here in the engine; ``tools/update_catalogs.py`` finds every ``N_("…")`` for the catalogs.
Words that follow a number take both forms, ``Nn_("{count} iteration", "{count} iterations")``,
and the field ``count`` picks one.
"""


def N_(template):
    """Mark ``template`` as a message for the catalogs; returns it unchanged."""
    return template


def Nn_(singular, plural):
    """Mark a message with a singular and a plural form (chosen by the field ``count``)."""
    return singular, plural


class Message(str):
    """``template.format(**fields)`` as a str, remembering ``template`` and ``fields``.

    A field may itself be a :class:`Message` (a phrase chosen by the code), translated
    with the sentence around it. A template from :func:`Nn_` is a (singular, plural) pair:
    English takes the singular when ``count`` is 1.
    """

    def __new__(cls, template, **fields):
        english = template if isinstance(template, str) else template[fields["count"] != 1]
        text = super().__new__(cls, english.format(**fields) if fields else english)
        text.template, text.fields = template, fields
        return text

    def __reduce__(self):   # pickled (st.cache_data) with its template and fields
        return _rebuild, (self.template, self.fields)


def _rebuild(template, fields):
    return Message(template, **fields)


def listing(items, separator=", "):
    """Phrases joined into one Message ("a, b, c") whose items a page still translates one
    by one (a plain join would be a str, said as it is). Its template holds only the
    separators: nothing in it to translate."""
    fields = {f"item{i}": item for i, item in enumerate(items)}
    return Message(separator.join("{" + name + "}" for name in fields), **fields)
