"""The Data page's dataset builder: name two classes, add pictures (files, a folder, a zip or
the camera), build a dataset of this browser session, like Teachable Machine.

The images live in ``state.BUILDER_*`` keys; the widgets keep their own values across page
switches (``persist_state="session"``).
"""
import streamlit as st

from logreg import builder
from logreg.builder import BuilderError, Skipped
from logreg.h5write import dataset_to_bytes, pair_file_names
from logreg.images import ImageError, image_to_array, pixel_count

from ..session import datasets, escape, state, store, turns, words
from ..session.i18n import t, tn

DEFAULT_NAMES = ("class 0", "class 1")   # in English; _default_name in the session's language
THUMB_PX = 64
THUMBS_SHOWN = 40
NAME_CHARS = 40     # a class name typed or taken from a zip's folder (the loaders allow 100)
MAX_STORED_BYTES = builder.MAX_ZIP_BYTES
COLOURS = {"colour": 3, "grayscale": 1}   # the option's name: its channels


def _images():
    return st.session_state.setdefault(state.BUILDER_IMAGES, {0: [], 1: []})


def _default_name(label):
    """The name a class starts with, in the session's language."""
    return t("class {label}", label=label)


def _names():
    return tuple(st.session_state.get(f"builder_name{i}", _default_name(i)) for i in (0, 1))


def add_images(label, files):
    """Add ``[(file name, bytes)]`` to class ``label``; unreadable files go to the skip list.

    Returns the number added.
    """
    images = _images()
    skipped = st.session_state.setdefault(state.BUILDER_SKIPPED, [])
    stored = sum(len(e["data"]) for entries in images.values() for e in entries)
    pixels = sum(e["pixels"] for entries in images.values() for e in entries)
    added = 0
    for name, data in files:
        turns.share()   # a zip of 2,000 photos: a classmate waiting gets a turn between them
        if len(images[label]) >= builder.MAX_IMAGES_PER_CLASS:
            skipped.append(Skipped(name, t("a class holds at most {count} images",
                                           count=builder.MAX_IMAGES_PER_CLASS)))
            continue
        if stored + len(data) > MAX_STORED_BYTES:
            skipped.append(Skipped(name, t("the builder holds at most {mb} MB of images",
                                           mb=MAX_STORED_BYTES // (1024 * 1024))))
            continue
        try:
            size = pixel_count(data, name)
            if pixels + size > builder.MAX_DECODED_PIXELS:
                skipped.append(Skipped(name, t(
                    "the builder decodes at most {megapixels:,} megapixels of images per "
                    "session", megapixels=builder.MAX_DECODED_PIXELS // 1_000_000)))
                continue
            thumb = image_to_array(data, THUMB_PX, 3, name=name)
        except ImageError as exc:
            skipped.append(Skipped(name, str(exc).removeprefix(f"{name}: ")))
            continue
        entry_id = st.session_state.get(state.BUILDER_NEXT_ID, 0)
        st.session_state[state.BUILDER_NEXT_ID] = entry_id + 1
        images[label].append({"id": entry_id, "name": name, "data": data, "thumb": thumb,
                              "pixels": size})
        stored += len(data)
        pixels += size
        added += 1
    if added:
        st.session_state.pop(state.BUILDER_RESULT, None)
    return added


def _new_uploads(files):
    """The uploads not added before, marking them as seen."""
    seen = st.session_state.setdefault(state.BUILDER_SEEN, set())
    fresh = [f for f in files or [] if f.file_id not in seen]
    seen.update(f.file_id for f in fresh)
    return fresh


def _zip_section():
    upload = st.file_uploader(t("Quickest: a .zip with one folder per class"), type=["zip"],
                              key="builder_zip",
                              help=t("For example cats/1.jpg, cats/2.jpg, …, dogs/1.jpg, …. "
                                     "The zip is read in memory, never unpacked on the "
                                     "server."))
    fresh = _new_uploads([upload] if upload is not None else [])
    if fresh:
        _add_zip(fresh[0])
    for level, note in st.session_state.get(state.BUILDER_NOTES, []):
        getattr(st, level)(note)


def _add_zip(upload):
    """Add the zip's two folders to the classes; runs before the name inputs are drawn."""
    try:
        contents = builder.read_zip(upload.getvalue(), upload.name)
    except BuilderError as exc:
        # The engine's sentence starts with the file name; the frame says it once.
        reason = str(exc).removeprefix(f"{upload.name}: ")
        st.session_state[state.BUILDER_NOTES] = [("error", t(
            "{file} could not be used: {reason}", file=escape.markdown(upload.name),
            reason=escape.markdown(reason)))]
        return
    names = list(_names())
    folders = list(contents.classes)
    by_name = {n.strip().casefold(): i for i, n in enumerate(names)}
    labels = [by_name.get(f.casefold()) for f in folders]
    notes = []
    if set(labels) != {0, 1}:
        labels = [0, 1]
        defaults = {*DEFAULT_NAMES, _default_name(0), _default_name(1), ""}
        if all(not _images()[i] for i in (0, 1)) or set(names) <= defaults:
            # Nothing added by hand yet: the folders name the classes, as long as the name
            # box allows (a longer name would also build a dataset no loader reads back).
            for i, folder in enumerate(folders):
                st.session_state[f"builder_name{i}"] = folder[:NAME_CHARS]
                if len(folder) > NAME_CHARS:
                    notes.append(("warning", t(
                        "The folder name '{folder}' is longer than {count} characters, the "
                        "limit of a class name: label {label} is named '{name}'.",
                        folder=escape.markdown(folder), count=NAME_CHARS, label=i,
                        name=escape.markdown(folder[:NAME_CHARS]))))
    for folder, label in zip(folders, labels):
        added = add_images(label, contents.classes[folder])
        notes.append(("caption", escape.markdown(tn(
            "{zip}: {count} image from '{folder}/' added to label {label}.",
            "{zip}: {count} images from '{folder}/' added to label {label}.", zip=upload.name,
            count=added, folder=folder, label=label))))
    st.session_state.setdefault(state.BUILDER_SKIPPED, []).extend(contents.skipped)
    st.session_state[state.BUILDER_NOTES] = notes


def _remove_selected(label):
    chosen = set(st.session_state.get(f"builder_remove{label}", []))
    images = _images()
    images[label] = [e for e in images[label] if e["id"] not in chosen]
    st.session_state[f"builder_remove{label}"] = []
    st.session_state.pop(state.BUILDER_RESULT, None)


def _clear_class(label):
    _images()[label] = []
    st.session_state[f"builder_remove{label}"] = []
    st.session_state.pop(state.BUILDER_RESULT, None)


def _class_column(label):
    key = f"builder_name{label}"
    st.session_state.setdefault(key, _default_name(label))
    st.text_input(t("Name of label {label}", label=label), key=key, max_chars=NAME_CHARS,
                  persist_state="session")
    name = escape.markdown(st.session_state[key].strip() or t("label {label}", label=label))
    files = st.file_uploader(t("Images of {name}", name=name), accept_multiple_files=True,
                             key=f"builder_files{label}")
    folder = st.file_uploader(t("…or a whole folder of {name}", name=name),
                              accept_multiple_files="directory", key=f"builder_folder{label}")
    fresh = _new_uploads(list(files or []) + list(folder or []))
    if fresh:
        add_images(label, [(f.name, f.getvalue()) for f in fresh])
    entries = _images()[label]
    count = len(entries)
    st.markdown(tn("**{count} image** of {name}", "**{count} images** of {name}", count=count,
                   name=name))
    if 0 < count < builder.FEW_IMAGES:
        st.warning(t("Add a few more: with fewer than {count} images per class the test "
                     "accuracy says little.", count=builder.FEW_IMAGES))
    if entries:
        shown = entries[:THUMBS_SHOWN]
        st.image([e["thumb"] for e in shown], width=THUMB_PX,
                 caption=[_entry_label(e) for e in shown])
        if count > THUMBS_SHOWN:
            st.caption(t("… and {count} more.", count=count - THUMBS_SHOWN))
        labels = {e["id"]: _entry_label(e) for e in entries}
        st.multiselect(t("Remove images"), list(labels), format_func=labels.get,
                       key=f"builder_remove{label}", placeholder=t("Pick bad images"))
        left, right = st.columns(2)
        left.button(t("Remove selected"), key=f"builder_remove_button{label}",
                    on_click=_remove_selected, args=(label,))
        right.button(t("Remove all"), key=f"builder_clear{label}", on_click=_clear_class,
                     args=(label,))


def _entry_label(entry):
    return escape.markdown(f"{entry['id']} · {entry['name'].rsplit('/', 1)[-1]}")


def _camera_section():
    st.session_state.setdefault("builder_use_camera", False)
    on = st.toggle(t("Take photos with the camera"), key="builder_use_camera",
                   persist_state="session")
    if not on:
        return
    names = _names()
    st.session_state.setdefault("builder_camera_class", 0)
    shown = [escape.markdown(names[i] or t("label {label}", label=i)) for i in (0, 1)]
    target = st.radio(t("Add the photo to"), (0, 1), key="builder_camera_class",
                      horizontal=True, persist_state="session", format_func=shown.__getitem__)
    photo = st.camera_input(t("Take a photo"), key="builder_camera")
    fresh = _new_uploads([photo] if photo is not None else [])
    if fresh:
        number = st.session_state.get(state.BUILDER_NEXT_ID, 0)
        add_images(target, [(f"camera-{number}.jpg", fresh[0].getvalue())])
        st.toast(t("Photo added to {name}.", name=escape.markdown(names[target])))


def _settings():
    left, right = st.columns(2)
    st.session_state.setdefault("builder_size", builder.DEFAULT_IMAGE_SIZE)
    size = left.selectbox(t("Image size (pixels per side)"), builder.IMAGE_SIZES,
                          key="builder_size", persist_state="session",
                          help=t("Every image is resized to a square of this size. The "
                                 "course uses 64."))
    st.session_state.setdefault("builder_colour", "colour")
    shown = {"colour": t("colour"), "grayscale": t("greyscale")}   # ids stay as saved
    colour = right.radio(t("Colour"), tuple(COLOURS), key="builder_colour", horizontal=True,
                         persist_state="session", format_func=shown.get)
    return int(size), COLOURS[colour]


def _build(size, channels):
    images = _images()
    files = tuple([(e["name"], e["data"]) for e in images[i]] for i in (0, 1))
    try:
        result = builder.build_dataset(_names(), files, num_px=size, channels=channels,
                                       between=turns.share)
    except BuilderError as exc:
        st.error(t("Cannot build the dataset: {reason}.", reason=escape.markdown(exc)))
        return
    dataset = result.dataset
    train_bytes, test_bytes = dataset_to_bytes(dataset)
    datasets.add_custom("built", dataset)
    st.session_state[state.BUILDER_RESULT] = {
        "name": dataset.name, "train": train_bytes, "test": test_bytes,
        "warnings": result.warnings, "skipped": result.skipped,
        "summary": t("Built **{name}**: {images} of {size} ({train_share:.0%} of each class "
                     "to train on, {test_share:.0%} to test, split the same way every time). "
                     "It is now the active dataset: Train, Normalization and Classify use it.",
                     name=escape.markdown(dataset.name),
                     images=words.images(dataset.m_train, dataset.m_test),
                     size=words.size(dataset.num_px, dataset.channels, " × "),
                     train_share=1 - builder.TEST_FRACTION,
                     test_share=builder.TEST_FRACTION),
    }
    st.rerun()  # the sidebar, drawn before this page, shows the new dataset


def _show_result():
    result = st.session_state.get(state.BUILDER_RESULT)
    if not result:
        return
    st.success(result["summary"], icon="✅")
    for warning in result["warnings"]:
        st.warning(escape.markdown(warning))
    if result["skipped"]:
        st.warning(t("Left out: {files}",
                     files=escape.markdown("; ".join(map(str, result["skipped"])))))
    train_name, test_name = pair_file_names(result["name"])
    left, right = st.columns(2)
    left.download_button(t("Download {file}", file=train_name), result["train"],
                         file_name=train_name, mime="application/x-hdf5",
                         key="builder_download_train", on_click="ignore")
    right.download_button(t("Download {file}", file=test_name), result["test"],
                          file_name=test_name, mime="application/x-hdf5",
                          key="builder_download_test", on_click="ignore")
    st.caption(t("The pair loads back through **Bring your own h5 pair** above, here or in "
                 "the course's notebook (`load_dataset`)."))


def render_builder():
    """Build a two-class dataset from uploads, a zip or camera shots."""
    st.subheader(t("Build your own dataset"))
    st.caption(t("Like Teachable Machine: name two classes, add pictures of each (files, a "
                 "folder, a zip or the camera), build. The pictures stay in this tab until you "
                 "build; the server keeps the built dataset for this browser only, for "
                 "{minutes} after your last visit.",
                 minutes=words.minutes(store.ttl_seconds() // 60)))
    _zip_section()
    columns = st.columns(2)
    for label, column in enumerate(columns):
        with column:
            _class_column(label)
    _camera_section()
    skipped = st.session_state.get(state.BUILDER_SKIPPED, [])
    if skipped:
        with st.expander(tn("{count} file skipped", "{count} files skipped",
                            count=len(skipped))):
            st.markdown("\n".join(f"- {escape.markdown(s)}" for s in skipped))
            st.button(t("Clear this list"), key="builder_clear_skipped",
                      on_click=lambda: st.session_state.pop(state.BUILDER_SKIPPED, None))
    size, channels = _settings()
    counts = [len(_images()[i]) for i in (0, 1)]
    st.caption(tn("{count0} + {count1} image → {share:.0%} of each class is kept for "
                  "testing, chosen the same way every time.",
                  "{count0} + {count1} images → {share:.0%} of each class is kept for "
                  "testing, chosen the same way every time.", count=sum(counts),
                  count0=counts[0], count1=counts[1], share=builder.TEST_FRACTION),
               help=t("A stratified split with a fixed seed ({seed}): each class keeps its "
                      "share in both sets, and building again gives the same sets.",
                      seed=builder.SEED))
    if st.button(t("Build dataset"), type="primary", key="builder_build",
                 disabled=min(counts) < builder.MIN_IMAGES):
        _build(size, channels)
    if min(counts) < builder.MIN_IMAGES:
        st.caption(t("Add at least {count} images to each class to build.",
                     count=builder.MIN_IMAGES))
    _show_result()
