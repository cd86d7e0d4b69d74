"""``python -m logreg``: train like the course's notebook, and classify image files.

Every expected failure (bad arguments, a bad dataset, a bad image) is reported as one
``error: ...`` line on stderr with a non-zero exit status, never a traceback.
"""
import argparse
import sys
from pathlib import Path

from . import catalog, export
from .data import DatasetError, load_pair
from .images import ImageError, image_to_array
from .network import HIDDEN_ACTIVATIONS, INIT_SCHEMES, NetworkTrainer
from .network_model import load_model, save_network, to_network_model
from .params import ParamsError, save_params
from .course import DEFAULTS, PRINT_EVERY, printout
from .export import LANGUAGES
from .pipeline import prepare, to_model
from .preprocessing import SCALING_MODES
from .settings import Logistic, Network, hidden as parse_hidden

EXIT_USAGE = 2
# The one dataset an exported program may download (from logreg/mirrors.json).
COURSE_DATASET = "catvnoncat"


class UsageError(Exception):
    """A problem with what the user asked for; printed as ``error: ...``, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        # One line, no usage block: the message says where the full help is.
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser():
    parser = Parser(prog="python -m logreg",
                    description="Logistic regression with a neural-network mindset.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True

    train = commands.add_parser(
        "train", help="train on a dataset and print the costs and accuracies",
        description="Train from zero weights with full-batch gradient descent, printing the "
                    "cost every --print-every iterations and the accuracies at the end.")
    _run_options(train)
    train.add_argument("--print-every", type=_integer, default=PRINT_EVERY, metavar="N",
                       help="print the cost every N iterations, 0 for never "
                            "(default: %(default)s)")
    train.add_argument("--save", metavar="PARAMS.npz", help="save the trained parameters")
    train.set_defaults(run=run_train)

    exporting = commands.add_parser(
        "export", help="train like 'train', then write the run as a notebook or a script",
        description="Train exactly as 'train' does, print the course's output, then write "
                    "the run as a Jupyter notebook (.ipynb), a Python script (.py) or a .zip "
                    "of both with the dataset's .h5 pair: the course's functions written "
                    "out, needing only numpy and h5py (matplotlib for the cost curve), which "
                    "print the same numbers and check them against these.")
    _run_options(exporting)
    exporting.add_argument("--out", required=True, metavar="FILE",
                           help="where to write: a name ending in .ipynb, .py or .zip")
    exporting.add_argument("--lang", choices=LANGUAGES, default="en",
                           help="the language of the explanations (default: %(default)s)")
    exporting.set_defaults(run=run_export)

    predict = commands.add_parser(
        "predict", help="classify image files with saved parameters",
        description="Print one line per image: 'path: class (p=probability of that class)'.")
    predict.add_argument("--params", required=True, metavar="PARAMS.npz",
                         help="parameters saved by 'train --save' (logistic regression or "
                              "a network)")
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="image files")
    predict.set_defaults(run=run_predict)

    data = commands.add_parser("data", help="get datasets",
                               description="Get datasets into the data folder.")
    data_commands = data.add_subparsers(dest="data_command", metavar="ACTION",
                                        parser_class=Parser)
    data_commands.required = True
    fetch = data_commands.add_parser(
        "download", help="download the course's cat / non-cat files, verified",
        description="Download train_catvnoncat.h5 and test_catvnoncat.h5 from the first "
                    "mirror that gives files with the pinned sizes and sha256 digests.")
    fetch.add_argument("--dest", metavar="DIR", default=str(catalog.PROJECT_DATA_DIR),
                       help="folder to save the files in (default: the project's data/)")
    fetch.add_argument("--mirror", metavar="URL",
                       help="base URL serving the two files, used instead of the built-in "
                            "list; any pinned digest is accepted")
    fetch.add_argument("--timeout", type=_number, default=30.0, metavar="SECONDS",
                       help="give up on a silent connection after this long (default: 30)")
    fetch.set_defaults(run=run_download)
    return parser


def _run_options(command):
    """The options that say which run: the data, the settings, the network's."""
    command.add_argument("--data", metavar="DIR",
                         help="folder with train_<name>.h5 / test_<name>.h5 "
                              "(default: $LOGREG_DATA_DIR, then data/)")
    command.add_argument("--dataset", metavar="NAME",
                         help="which pair to use when there are several (name or title)")
    command.add_argument("--iterations", type=_integer, default=DEFAULTS["iterations"],
                         metavar="N", help="number of gradient-descent iterations "
                                           "(default: %(default)s)")
    command.add_argument("--learning-rate", type=_number, default=DEFAULTS["learning_rate"],
                         metavar="RATE", help="learning rate (default: %(default)s)")
    command.add_argument("--scaling", choices=SCALING_MODES, default=DEFAULTS["scaling"],
                         help="pixel scaling (default: %(default)s, the course's)")
    network = command.add_argument_group(
        "network", "Hidden layers turn logistic regression (one neuron) into a network.")
    network.add_argument("--hidden", type=_hidden, metavar="SIZES",
                         help="hidden layer sizes, e.g. 7 or 20,7,5 (the course's networks); "
                              "without it: logistic regression")
    network.add_argument("--init", choices=tuple(INIT_SCHEMES),
                         help="initial weights: small (randn x 0.01), scaled (randn / "
                              "sqrt(previous layer's units)) or zeros (default: scaled)")
    network.add_argument("--activation", choices=HIDDEN_ACTIVATIONS,
                         help="the hidden layers' activation (default: relu)")
    network.add_argument("--seed", type=_integer, metavar="N",
                         help="seed of the initial weights (default: 1)")


def _integer(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _hidden(text):
    try:
        sizes = parse_hidden(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one hidden layer size (leave --hidden "
                                         "out for logistic regression)")
    return sizes


def _number(text):
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def _load_dataset(args):
    """The dataset the options name, and its (train, test) paths."""
    dirs = [Path(args.data)] if args.data else catalog.data_dirs()
    if args.data and not Path(args.data).is_dir():
        raise UsageError(f"{args.data}: no such folder")
    pairs = catalog.available(dirs)
    try:
        name = catalog.resolve(args.dataset, pairs)
    except LookupError as exc:
        where = " or ".join(str(d) for d in dirs)
        raise UsageError(f"{exc} (looked in {where})") from None
    train_path, test_path = pairs[name]
    return load_pair(train_path, test_path, name=name), (train_path, test_path)


def _train(args):
    """Check the run's settings, load its dataset and train: (model, dataset, pair paths).

    Without ``--hidden`` logistic regression; with it a network, printing its costs at full
    precision as the course's network notebook does."""
    # What both kinds of run share is checked first, whichever was asked for.
    run = _checked(Logistic, iterations=args.iterations, learning_rate=args.learning_rate,
                   scaling=args.scaling)
    if args.hidden is None:
        for option in ("init", "activation", "seed"):
            if getattr(args, option) is not None:
                raise UsageError(f"--{option} applies to networks: add --hidden")
        dataset, pair = _load_dataset(args)
        prepared = prepare(dataset, run.scaling)
        trainer = prepared.trainer(run.learning_rate)
        trainer.run(run.iterations)
        return to_model(trainer, prepared, dataset), dataset, pair
    net = _checked(Network, hidden=args.hidden, init=args.init or "scaled",
                   activation=args.activation or "relu",
                   seed=1 if args.seed is None else args.seed)
    dataset, pair = _load_dataset(args)
    prepared = prepare(dataset, run.scaling)
    layer_dims = (prepared.X_train.shape[0], *net.hidden, 1)
    trainer = NetworkTrainer(prepared.X_train, prepared.Y_train, layer_dims, run.learning_rate,
                             net.activation, net.init, net.seed)
    trainer.run(run.iterations)
    return to_network_model(trainer, prepared, dataset), dataset, pair


def _checked(kind, **values):
    """The settings of ``kind`` (:mod:`logreg.settings`) from the options, or UsageError."""
    try:
        return kind.checked(**values)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _print_run(trained, scores, out, every=PRINT_EVERY):
    """The notebook's printout of a trained model (a network's costs at full precision)."""
    cost_format = "" if hasattr(trained, "layer_dims") else "f"
    for line in printout(trained.costs, scores.train_accuracy, scores.test_accuracy,
                         every=every, cost_format=cost_format):
        print(line, file=out)


def run_train(args, out):
    if args.print_every < 0:
        raise UsageError(f"--print-every must be 0 or more, got {args.print_every}")
    trained, dataset, _ = _train(args)
    _print_run(trained, trained.evaluate(dataset), out, args.print_every)
    if args.save:
        save = save_network if hasattr(trained, "layer_dims") else save_params
        try:
            save(trained, args.save)
        except OSError as exc:
            raise UsageError(f"{args.save}: cannot write ({exc.strerror or exc})") from None
        print(f"saved parameters to {args.save}", file=out)
    return 0


def run_export(args, out):
    suffix = Path(args.out).suffix.lower()
    if suffix not in (".ipynb", ".py", ".zip"):
        raise UsageError(f"{args.out}: --out must end in .ipynb, .py or .zip")
    trained, dataset, pair = _train(args)
    scores = trained.evaluate(dataset)
    _print_run(trained, scores, out)
    run = export.of_model(trained, dataset, scores, mirrors=dataset.name == COURSE_DATASET)
    if suffix == ".zip":
        content = export.archive(run, [Path(path).read_bytes() for path in pair], args.lang)
    else:
        text = export.notebook(run, args.lang) if suffix == ".ipynb" else \
            export.script(run, args.lang)
        content = text.encode("utf-8")
    try:
        Path(args.out).write_bytes(content)
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write ({exc.strerror or exc})") from None
    print(f"wrote {args.out} ({len(content):,} bytes)", file=out)
    return 0


def run_predict(args, out):
    try:
        trained = load_model(args.params)
    except ParamsError as exc:
        raise UsageError(str(exc)) from None
    failed = 0
    for path in args.images:
        try:
            image = image_to_array(path, trained.num_px, trained.channels)
        except ImageError as exc:
            print(f"{path}: error: {str(exc).removeprefix(f'{path}: ')}", file=out)
            failed += 1
            continue
        p = float(trained.predict_proba(image[None])[0])
        # p is P(class 1); the line gives the probability of the class it names.
        print(f"{path}: {trained.label(p)} (p={max(p, 1 - p):.3f})", file=out)
    return 1 if failed else 0


def run_download(args, out):
    from . import download

    # A connection may not wait longer than the whole download may take; socket timeouts
    # also overflow past about 1e10 s (inf crashed with OverflowError).
    if not 0 < args.timeout <= download.DEFAULT_DEADLINE:
        raise UsageError(f"--timeout must be above 0 and at most "
                         f"{download.DEFAULT_DEADLINE:g} seconds, got {args.timeout}")
    try:
        mirrors = [download.custom_mirror(args.mirror)] if args.mirror else None
        result = download.download(args.dest, mirrors, timeout=args.timeout,
                                   progress=_progress_line(sys.stderr))
    except download.DownloadError as exc:
        raise UsageError(str(exc)) from None
    if result.mirror is None:
        print(f"the cat data is already in {args.dest} (sha256 verified)", file=out)
        return 0
    for url, reason in result.failures:
        print(f"skipped {url}: {reason}", file=out)
    print(f"saved {' and '.join(result.downloaded)} in {args.dest} from "
          f"{result.mirror.host} (sha256 verified)", file=out)
    return 0


def _progress_line(stream):
    """A progress callback redrawing one line on a terminal, silent otherwise."""
    if not stream.isatty():
        return None

    def show(done, total, file_name):
        percent = 100 * done // total if total else 0
        end = "\n" if total and done >= total else ""
        print(f"\r{file_name}: {done / 1e6:.1f} / {total / 1e6:.1f} MB ({percent}%)",
              end=end, file=stream, flush=True)
    return show


def main(argv=None, out=None):
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.run(args, out)
    except (UsageError, DatasetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
