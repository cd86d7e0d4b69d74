"""What a computation a student can start may cost: one table of estimates and limits.

A class shares one server process, so everything a widget can start is bounded twice:

- **before it starts**, by an estimate of its work from its settings and its data, in a
  unit that grows with its time and memory (multiply-adds, residuals, pixels). Above the
  kind's limit it is refused with one sentence that names the limit;
- **while it runs**, by the app (``studio/``): long loops advance in chunks that end when
  the button press has used its CPU seconds (``studio/session/bounded.py``) or the live chart's
  tick its time (``studio/sections/training.py``), with a sentence saying where and why a run was
  cut; and between chunks a run gives its turn to a student who holds none
  (``studio/session/turns.py``), so one student's two tabs hold one of the process's turns while
  anybody else waits. What cannot be interrupted (a decode, a network step, a cached
  computation) is bounded by its estimate alone, and its limit keeps it short.

:data:`KINDS` lists every kind, its unit, its limit and what bounds it while it runs;
SECURITY.md gives the same table for teachers and docs/benchmarks.md the seconds they
cost. The budgets for hostile files (a file's size, an image's pixels and a JPEG's scans)
live next to the readers they guard (``data.py``, ``images.py``, ``params.py``,
``builder.py``) and are named here.
"""
from dataclasses import dataclass

from .builder import MAX_DECODED_PIXELS
from .course import MAX_ITERATIONS
from .data import MAX_VALUES
from .images import MAX_JPEG_SCANS, MAX_JPEG_SEGMENTS, MAX_PIXELS
from .trainer import GRAM_MAX_EXAMPLES, choose_method
from .words import Message, N_

# A network step: weights x examples multiply-adds forward, about twice that back (issue
# 24: a legal 12288-1-1024-1024-1024-1024-1 network, 3.2 million weights, on 4,096
# pictures took 1.1-4.2 s a step and 400-577 MB a tab). The course's four-layer net is 51
# million on the cats, 1 billion on 4,096 pictures.
MAX_STEP_WORK = 1_500_000_000
# Activations kept for a network's backward pass: hidden units x examples numbers, several
# arrays of them (Z, A, dA); 4 million is 32 MB an array. The course's nets need 6,700.
MAX_ACTIVATIONS = 4_000_000
# The cost landscape's two runs: a residual per point per iteration, every iterate at
# once (logreg/linear_demo.py), plus its two 61 x 61 contour grids.
LANDSCAPE_POINTS = 100
LANDSCAPE_GRID = 61
MAX_LANDSCAPE_WORK = 2 * (MAX_ITERATIONS + 1) * LANDSCAPE_POINTS + 2 * LANDSCAPE_GRID ** 2


@dataclass(frozen=True)
class Kind:
    """One kind of computation a student can start."""

    unit: Message   # what its estimate counts, as a refusal names it
    limit: int      # the most it may count, checked before it starts
    running: str    # what bounds it while it runs


KINDS = {
    "training step": Kind(
        Message(N_("multiply-adds per iteration")),
        2 * MAX_VALUES, "a live tick's time, or a button press's CPU seconds"),
    "training run": Kind(Message(N_("iterations")), MAX_ITERATIONS,
                         "a live tick's time, or a button press's CPU seconds"),
    "comparison": Kind(Message(N_("iterations of all runs")), 5 * MAX_ITERATIONS,
                       "a button press's CPU seconds"),
    "network step": Kind(Message(N_("weights × examples")), MAX_STEP_WORK,
                         "a live tick's time, a step at least (the estimate bounds it)"),
    "network memory": Kind(Message(N_("hidden units × examples")), MAX_ACTIVATIONS,
                             "the estimate"),
    "landscape": Kind(Message(N_("residuals and grid points")), MAX_LANDSCAPE_WORK,
                      "the estimate (cached for every session, so never interrupted)"),
    "image": Kind(Message(N_("pixels")), MAX_PIXELS, "the estimate, one picture at a time"),
    "JPEG scans": Kind(Message(N_("progressive scans")), MAX_JPEG_SCANS, "the estimate"),
    "JPEG segments": Kind(Message(N_("marker segments")), MAX_JPEG_SEGMENTS, "the estimate"),
    "builder": Kind(Message(N_("pixels decoded per session")), MAX_DECODED_PIXELS,
                    "the estimate, one picture at a time"),
}


def training_step(n_x, m):
    """Multiply-adds of one logistic-regression iteration on (n_x, m) inputs: the Gram
    path's m x m products, or the primal path's two passes over X."""
    return int(m) ** 2 if choose_method(n_x, m) == "gram" else 2 * int(n_x) * int(m)


def gram_matrix(n_x, m):
    """Multiply-adds of building the Gram matrix X^T X once per dataset and scaling (0 when
    the primal path is used)."""
    if choose_method(n_x, m) != "gram" or int(m) > GRAM_MAX_EXAMPLES:
        return 0
    return int(m) ** 2 * int(n_x)


def network_step(layer_dims, m):
    """(weights × examples, hidden units × examples) of one step of a network with these
    layers on m examples."""
    weights = sum(n * (n_prev + 1) for n_prev, n in zip(layer_dims, layer_dims[1:]))
    return weights * int(m), sum(layer_dims[1:]) * int(m)


def landscape(iterations, m=LANDSCAPE_POINTS, grid=LANDSCAPE_GRID):
    """The landscape's work: both runs' residuals at every iterate, and both grids."""
    return 2 * (int(iterations) + 1) * int(m) + 2 * int(grid) ** 2


def check(kind, amount):
    """Raise ValueError with one sentence when ``amount`` is over the ``kind``'s limit."""
    limit = KINDS[kind].limit
    if amount > limit:
        raise ValueError(Message(N_(
            "this would cost {amount:,} {unit}, more than the limit of {limit:,} that keeps "
            "the shared server responsive for everyone"), amount=int(amount),
            unit=KINDS[kind].unit, limit=limit))
