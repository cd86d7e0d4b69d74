"""Classify's sample photos, and why one neuron calls so many of them the positive class.

The photos (``data/samples/``, see :mod:`logreg.samples`) join the page's pictures exactly
as an upload does: kept within the same budget, decoded by the same code, answered by the
same models. The explanation takes the answers of the pictures on the page apart with
:mod:`logreg.explain`, so every number in it comes from the model just trained.
"""
import streamlit as st

from logreg import explain
from logreg.images import ImageError
from logreg.samples import sample_photos

from ..display import presenter
from ..session import escape, pictures, words
from ..session.i18n import t, tn

BUTTON = "classify_samples"   # the button's widget key


def titles():
    """{file name: what the photo shows}, in the session's language."""
    return {
        "chelsea.jpg": t("Chelsea the cat"),
        "coffee.jpg": t("a cup of coffee"),
        "astronaut.jpg": t("an astronaut"),
        "rocket.jpg": t("a rocket on its launch pad"),
        "hubble.jpg": t("galaxies (Hubble Deep Field)"),
        "brick.jpg": t("a brick wall"),
        "coins.jpg": t("old coins"),
        "horse.png": t("a drawing of a horse"),
    }


def offer(stored):
    """The "Try the sample photos" button: adds the shipped photos to ``stored``."""
    if not st.button(t("Try the sample photos"), key=BUTTON, icon=":material/photo_library:",
                     help=t("Eight small photos shipped with the app (one cat, seven other "
                            "things; free to use, sources in `data/README.md`), classified "
                            "like uploads.")):
        return
    names, refused = titles(), []
    for file_name, data in sample_photos():
        digest = pictures.digest_of(data)
        if digest in stored:
            continue
        if not pictures.fits(stored, data):
            refused.append(names[file_name])
            continue
        stored[digest] = pictures.Picture(names[file_name], data, f"sample:{file_name}")
    if refused:
        st.warning(escape.markdown(t(
            "Not added: {names}. This page keeps at most {count} pictures per browser; "
            "remove some to add more.", names=", ".join(refused),
            count=pictures.MAX_PICTURES)), icon=":material/warning:")


def _pushes(stored, model):
    """[(picture name, Pushes)] of the pictures the model can read."""
    found = []
    for digest, picture in stored.items():
        result = pictures.decoded(digest, picture, model)
        if not isinstance(result, ImageError):
            found.append((picture.name, explain.pushes(model, result[0])))
    return found


def in_one_line(models):
    """Why the model answers as it does, in one line for beside the first answer (the
    lesson at the bottom of the page explains it at length), or None for a network."""
    model = next((m for _, m in models if explain.explainable(m)), None)
    if model is None:
        return None
    positive = escape.markdown(words.classes(model.classes)[1])
    sees = (t("how bright each colour is at each of {num_px} × {num_px} places",
              num_px=model.num_px) if model.channels == 3 else
            t("how bright each of its {num_px} × {num_px} pixels is", num_px=model.num_px))
    return t(":material/lightbulb: **Why this answer?** The model sees only {sees}, never a "
             "shape: even a plain grey picture gets P({positive}) = {grey:.0%}. More at the "
             "bottom of the page.", sees=sees, positive=positive,
             grey=explain.plain_picture(model))


def lesson(stored, models, dataset, threshold):
    """Why a one-neuron model answers what it does, from the pictures on the page."""
    model = next((m for _, m in models if explain.explainable(m)), None)
    found = _pushes(stored, model) if model is not None and stored else []
    if not found:
        return
    negative, positive = (escape.markdown(name) for name in words.classes(model.classes))
    yes, unsure, no = explain.tally([p.probability for _, p in found], threshold)
    st.subheader(t("Why does it say “{positive}” so often?", positive=positive)
                 if yes > max(no, 1) else t("How one neuron reaches its answers"))
    if len(found) > 1:
        st.markdown(t("Of the {count} pictures here, the model answers *{positive}* for {yes}, "
                      "*{negative}* for {no}, and is not sure about {unsure}.",
                      count=len(found), positive=positive, negative=negative, yes=yes, no=no,
                      unsure=unsure))
    elif unsure:
        st.markdown(t("The model is not sure about the one picture here."))
    else:
        st.markdown(t("For the one picture here, the model answers *{label}*.",
                      label=positive if yes else negative))
    name, top = max(found, key=lambda item: item[1].probability)
    st.markdown(t(
        "The model is one neuron: it multiplies each of the {count:,} pixel values by a weight "
        "of its own and adds them up with the bias, z = w·x + b, and answers "
        "P({positive}) = σ(z). Each product is a push: toward *{positive}* when it is "
        "positive, away from it when negative. In *{name}*, the picture it finds most "
        "*{positive}*, {share:.0%} of the values push toward *{positive}* and add up to "
        "{toward:+.1f}; the others add up to {against:+.1f}. With the bias ({bias:+.2f}) that "
        "leaves z = {z:+.2f}, so P({positive}) = {probability:.1%}.",
        count=model.n_features, positive=positive, name=escape.markdown(name),
        share=top.share_toward, toward=top.toward, against=top.against, bias=top.bias,
        z=top.z, probability=top.probability))
    towards = [p.toward for _, p in found]
    zs = [p.z for _, p in found]
    if len(found) > 1:
        st.markdown(t(
            "Every answer here is such a small difference between two large sums: in these "
            "pictures the pushes toward *{positive}* add up to between {low:.1f} and "
            "{high:.1f}, yet z stays between {z_low:+.2f} and {z_high:+.2f}.",
            positive=positive, low=min(towards), high=max(towards), z_low=min(zs),
            z_high=max(zs)))
    else:   # the paragraph above gave that one picture's sums
        st.markdown(t("Its answer is such a small difference between two large sums."))
    effects = explain.channel_effects(model)
    if len(effects) == 3:
        colours = t("Turning every red value from 0 to 255 would move z by {red:+.1f}, every "
                    "green value by {green:+.1f}, every blue value by {blue:+.1f}: its weights "
                    "reward some colours and punish others, wherever they are.",
                    red=effects[0], green=effects[1], blue=effects[2])
    else:
        colours = t("Turning every pixel from black to white would move z by {effect:+.1f}.",
                    effect=effects[0])
    st.markdown(t("A push depends on one value at one place, never on its neighbours, so the "
                  "model cannot see an ear, a whisker or a cup's handle: only how bright each "
                  "colour is at each place.") + " " + colours)
    grey = explain.plain_picture(model)
    st.markdown(t("A plain grey picture, with nothing in it at all, gets "
                  "P({positive}) = {probability:.0%}.", positive=positive, probability=grey))
    if dataset is not None and model.dataset == dataset.name:
        share = explain.base_rate(dataset)
        st.markdown(tn("{share:.0%} of its {count:,} training picture is *{positive}*.",
                       "{share:.0%} of its {count:,} training pictures are *{positive}*.",
                       share=share, count=dataset.m_train, positive=positive) + " " + (
            t("So it did not learn to say *{positive}* from seeing mostly {positive} pictures: "
              "it learned what told its training pictures apart, and an everyday photo is "
              "unlike all of them. There its answer, and how sure it sounds, mean little.",
              positive=positive) if share < 0.5 else
            t("More than half are, so when the pushes nearly cancel, leaning to *{positive}* "
              "is what training rewarded.", positive=positive)))
    positive_name = words.classes(model.classes)[1]
    presenter.table([{t("picture"): name,
                      t("P({positive})", positive=positive_name): round(p.probability, 3),
                      t("values pushing toward {positive}", positive=positive_name):
                          f"{p.share_toward:.0%}",
                      t("sum of pushes toward {positive}", positive=positive_name):
                          round(p.toward, 1),
                      t("sum of pushes away"): round(p.against, 1),
                      "z": round(p.z, 2)} for name, p in found], "samples_pushes")
    st.markdown(t("A network with hidden layers first combines pixels into detectors of its "
                  "own, which can respond to shapes. Train one on the same pictures, then come "
                  "back and classify these photos again:"))
    st.page_link("pages/network.py", label=t("Network"), icon=":material/hub:")
