"""From one neuron to a network: the course's week-4 deep network, in numpy.

Shapes follow the course: ``X`` is (n_x, m), ``Y`` is (1, m), layer l has ``W{l}`` of shape
(n_l, n_{l-1}) and ``b{l}`` of shape (n_l, 1), all in one dict ``parameters``. Hidden layers
use ReLU (the course's cat networks) or tanh (its week-3 planar model); the output layer is
a sigmoid and the cost is logistic regression's stable cross-entropy.

Logistic regression *is* this network with no hidden layer, ``layer_dims = [n_x, 1]``:
one neuron computes sigmoid(W1 X + b1) with W1 = w.T, and the backward pass below reduces to
``propagate``'s ``dw = X (A - Y).T / m``. ``tests/test_network.py`` checks that the two
train to the same costs within 1e-12.
"""
import numpy as np

from . import workload
from .core import THRESHOLD, cost_from_logits, sigmoid
from .trainer import choose_method
from .words import Message, N_
from .workload import MAX_ACTIVATIONS, MAX_STEP_WORK

HIDDEN_ACTIVATIONS = ("relu", "tanh")
INIT_SCHEMES = {
    "small": Message(N_("standard normal × 0.01 (the course's two-layer model)")),
    "scaled": Message(N_("standard normal / √(units in the previous layer) (the course's "
                         "L-layer model)")),
    "zeros": Message(N_("all zeros (logistic regression's start; hidden units then never "
                        "differ)")),
}
MAX_HIDDEN_LAYERS = 10
MAX_UNITS = 1024
MAX_SEED = 2**32 - 1   # what numpy's legacy generator accepts
# 32 MB of float64 weights: the course's four-layer net has 246,000; a 12288-1024-1 net on
# the cat data would be 12.6 million, 100 MB kept per session and seconds per iteration.
MAX_PARAMETERS = 4_000_000


# ---------------------------------------------------------------- validation at the edge


def parse_hidden(text):
    """Hidden-layer sizes from text such as ``"20,7,5"`` (``""`` is no hidden layer).

    Raises
    ------
    ValueError
        With a plain sentence naming the bad part.
    """
    parts = [part.strip() for part in str(text).replace(" ", ",").split(",") if part.strip()]
    sizes = []
    for part in parts:
        try:
            sizes.append(int(part))
        except ValueError:
            raise ValueError(Message(N_("hidden layer sizes must be whole numbers separated by "
                                        "commas, got {value!r}"), value=part)) from None
    check_network_settings(sizes)
    return tuple(sizes)


def check_network_settings(hidden, init="scaled", activation="relu", seed=1, n_x=None, m=None):
    """Raise ValueError with a plain sentence if a network cannot be built with these
    (with ``n_x``, the inputs, also when it would hold more than MAX_PARAMETERS numbers;
    with ``m`` too, the training examples, when a step would cost more than
    :data:`logreg.workload.MAX_STEP_WORK` or keep more than its MAX_ACTIVATIONS numbers)."""
    hidden = list(hidden)
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(Message(N_("at most {limit} hidden layers, got {count}"),
                                 limit=MAX_HIDDEN_LAYERS, count=len(hidden)))
    for units in hidden:
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or \
                not 1 <= units <= MAX_UNITS:
            raise ValueError(Message(N_("every hidden layer needs 1 to {limit} units, got "
                                        "{value}"), limit=MAX_UNITS, value=units))
    check_init(init)
    check_activation(activation)
    check_seed(seed)
    if n_x is not None:
        layer_dims = (int(n_x), *map(int, hidden), 1)
        count = parameter_count(layer_dims)
        if count > MAX_PARAMETERS:
            raise ValueError(Message(N_(
                "a {architecture} network has {count:,} weights and biases, more than the "
                "limit of {limit:,}: use fewer hidden units"),
                architecture=architecture(layer_dims), count=count, limit=MAX_PARAMETERS))
        work, activations = workload.network_step(layer_dims, m) if m is not None else (0, 0)
        if work > MAX_STEP_WORK or activations > MAX_ACTIVATIONS:
            raise ValueError(Message(N_(
                "a {architecture} network on {m:,} training examples costs too much per "
                "step (at most {work:,} weights × examples and {activations:,} hidden units "
                "× examples): use fewer hidden units or fewer examples"),
                architecture=architecture(layer_dims), m=int(m), work=MAX_STEP_WORK,
                activations=MAX_ACTIVATIONS))


def check_init(init):
    """Raise ValueError with a plain sentence unless ``init`` names an initialisation."""
    if init not in INIT_SCHEMES:
        raise ValueError(Message(N_("init must be one of {choices}, got {value!r}"),
                                 choices=", ".join(INIT_SCHEMES), value=init))


def check_activation(activation):
    """Raise ValueError with a plain sentence unless ``activation`` is a hidden one."""
    if activation not in HIDDEN_ACTIVATIONS:
        raise ValueError(Message(N_("the hidden activation must be one of {choices}, got "
                                    "{value!r}"), choices=", ".join(HIDDEN_ACTIVATIONS),
                                 value=activation))


def check_seed(seed):
    """Raise ValueError with a plain sentence unless ``seed`` is one numpy accepts."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or \
            not 0 <= seed <= MAX_SEED:
        raise ValueError(Message(N_("the seed must be a whole number from 0 to {limit}, got "
                                    "{value}"), limit=MAX_SEED, value=seed))


def architecture(layer_dims):
    """The course's way of naming a network: ``"12288-20-7-5-1"``."""
    return "-".join(str(int(n)) for n in layer_dims)


# ------------------------------------------------------------------------ initialisation


def initialize_parameters_deep(layer_dims, init="scaled", seed=1):
    """W{l} and b{l} for every layer, drawn as the course draws them.

    The weights come from numpy's legacy generator seeded with ``seed``, layer by layer in
    order (W1, then W2, ...), exactly the numbers ``np.random.seed(seed)`` followed by
    ``np.random.randn`` calls gives, without touching the global generator. Biases are zero.

    Parameters
    ----------
    layer_dims : sequence of int
        [n_x, n_1, ..., n_L].
    init : {"small", "scaled", "zeros"}
        ``small`` is randn × 0.01, ``scaled`` is randn / sqrt(n_{l-1}).
    """
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = int(layer_dims[l]), int(layer_dims[l - 1])
        if init == "zeros":
            W = np.zeros((n, n_prev))
        elif init == "small":
            W = rng.randn(n, n_prev) * 0.01
        else:
            W = rng.randn(n, n_prev) / np.sqrt(n_prev)
        parameters[f"W{l}"] = W
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def initialize_parameters(n_x, n_h, n_y, seed=1):
    """The course's two-layer initialisation: W1, b1, W2, b2 with randn × 0.01."""
    return initialize_parameters_deep([n_x, n_h, n_y], "small", seed)


# ---------------------------------------------- activations: forward and backward together


def relu(Z):
    return np.maximum(Z, 0.0)


def relu_backward(dA, Z):
    """dZ = dA where z > 0, else 0 (the course's choice at z = 0)."""
    return np.where(Z > 0, dA, 0.0)


def tanh(Z):
    return np.tanh(Z)


def tanh_backward(dA, Z):
    """dZ = dA (1 - tanh(z)^2)."""
    A = np.tanh(Z)
    return dA * (1.0 - A * A)


ACTIVATIONS = {"relu": (relu, relu_backward), "tanh": (tanh, tanh_backward)}


# --------------------------------------------------------------- the network, layer by layer


def forward_from(Z1, X, parameters, activation="relu"):
    """Run the network on from the first layer's Z1.

    Returns
    -------
    AL : ndarray of shape (1, m), the output probabilities
    caches : list of (A_prev, W, Z), one per layer; layer l's is ``caches[l - 1]``
    """
    g = ACTIVATIONS[activation][0]
    L = len(parameters) // 2
    caches = [(X, parameters["W1"], Z1)]
    Z = Z1
    for l in range(2, L + 1):
        A_prev, W = g(Z), parameters[f"W{l}"]
        Z = W @ A_prev + parameters[f"b{l}"]
        caches.append((A_prev, W, Z))
    return sigmoid(Z), caches


def L_model_forward(X, parameters, activation="relu"):
    """[LINEAR -> activation] × (L - 1) -> LINEAR -> SIGMOID; returns (AL, caches)."""
    return forward_from(parameters["W1"] @ X + parameters["b1"], X, parameters, activation)


def compute_cost(ZL, Y):
    """The cross-entropy J from the output layer's ZL (``caches[-1][2]``), as logistic
    regression computes it: from z, so it is finite even where AL rounds to 0 or 1."""
    return cost_from_logits(ZL, Y)


def backward_to_first(AL, Y, caches, activation="relu"):
    """Gradients of layers L down to 2, and dZ1 of the first layer.

    The first layer is left to the caller: its dW1 = dZ1 X.T / m is the only place the
    (possibly 12288-wide) input appears, and the Gram path never forms it.
    """
    g_backward = ACTIVATIONS[activation][1]
    m = Y.shape[1]
    grads = {}
    # Sigmoid output with cross-entropy: A(1 - A) cancels, dZ = A - Y as in logistic regression.
    dZ = AL - Y
    for l in range(len(caches), 1, -1):
        A_prev, W, _ = caches[l - 1]
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        dZ = g_backward(W.T @ dZ, caches[l - 2][2])
    return grads, dZ


def L_model_backward(AL, Y, caches, activation="relu"):
    """The gradients dW{l}, db{l} of every layer (the input X needs none)."""
    grads, dZ1 = backward_to_first(AL, Y, caches, activation)
    X, m = caches[0][0], Y.shape[1]
    grads["dW1"] = dZ1 @ X.T / m
    grads["db1"] = np.sum(dZ1, axis=1, keepdims=True) / m
    return grads


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step on every W{l} and b{l}; returns new parameters."""
    return {name: value - learning_rate * grads[f"d{name}"]
            for name, value in parameters.items()}


def predict_proba(X, parameters, activation="relu"):
    """Probability of class 1 for every column of X, shape (1, m)."""
    return L_model_forward(X, parameters, activation)[0]


def predict(X, parameters, activation="relu"):
    """0/1 labels, shape (1, m): 1 where the probability is above :data:`THRESHOLD`."""
    return (predict_proba(X, parameters, activation) > THRESHOLD).astype(float)


# ------------------------------------------------------------------------------ training


class NetworkTrainer:
    """A network trained by full-batch gradient descent, one chunk of iterations at a time.

    Two paths compute the same updates. ``primal`` is the course's loop:
    ``L_model_forward``, ``compute_cost``, ``L_model_backward``, ``update_parameters``.
    ``gram`` uses what gradient descent does to the first layer: every update adds
    ``dZ1 X.T`` to W1, so W1 = W1_0 + C X.T for an (n_1, m) matrix C, and with the bias
    folded in as a feature that is 1 in every example,

        Z1 = W1 X + b1 = (W1_0 X + b1_0) + C (X.T X + 1 1.T),      C := C - (α/m) dZ1.

    The 12288-wide product W1_0 X is needed once; each iteration works with the m × m Gram
    matrix, the same idea as logistic regression's Gram path. ``auto`` picks ``gram`` when
    there are fewer examples than features (:func:`logreg.trainer.choose_method`).

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m), labels 0/1
    layer_dims : sequence of int, [n_x, n_1, ..., 1]
    learning_rate : float
    activation : {"relu", "tanh"}, the hidden layers' activation
    init : {"small", "scaled", "zeros"}, see :func:`initialize_parameters_deep`
    seed : int
    method : {"auto", "gram", "primal"}

    Attributes
    ----------
    iteration : int
    costs : list of float, the cost before every update (``costs[i]`` is the course's
        "Cost after iteration i")
    initial_parameters : dict, the W{l}, b{l} training started from
    recorder : :class:`logreg.history.History` or None
        Offered a :meth:`snapshot` after every update it ``wants``.
    """

    def __init__(self, X, Y, layer_dims, learning_rate, activation="relu", init="scaled",
                 seed=1, method="auto"):
        X = np.asarray(X, dtype=float)
        Y = np.asarray(Y, dtype=float).reshape(1, -1)
        layer_dims = tuple(int(n) for n in layer_dims)
        if X.ndim != 2 or X.shape[1] != Y.shape[1]:
            raise ValueError(f"X must be (features, m) with m = {Y.shape[1]}, got {X.shape}")
        if len(layer_dims) < 2 or layer_dims[0] != X.shape[0] or layer_dims[-1] != 1:
            raise ValueError(f"layer_dims must run from n_x = {X.shape[0]} to 1 output unit, "
                             f"got {list(layer_dims)}")
        check_network_settings(layer_dims[1:-1], init, activation, seed, n_x=layer_dims[0],
                               m=X.shape[1])
        if method == "auto":
            method = choose_method(*X.shape)
        if method not in ("gram", "primal"):
            raise ValueError(f"method must be 'auto', 'gram' or 'primal', got {method!r}")
        self.X, self.Y = X, Y
        self.layer_dims, self.activation = layer_dims, activation
        self.init, self.seed = init, int(seed)
        self.learning_rate = float(learning_rate)
        self.method = method
        self.iteration = 0
        self.costs = []
        self.recorder = None
        self._parameters = initialize_parameters_deep(layer_dims, init, seed)
        self.initial_parameters = dict(self._parameters)   # updates replace, never modify
        if method == "gram":
            W1, b1 = self._parameters["W1"], self._parameters["b1"]
            self._W1_start, self._b1_start = W1, b1
            self._Z1_start = W1 @ X + b1
            self._gram = X.T @ X
            self._gram += 1.0
            self._C = np.zeros((layer_dims[1], X.shape[1]))

    @property
    def parameters(self):
        """The current W{l}, b{l} (a fresh dict of fresh arrays)."""
        return self.parameters_at(self.snapshot())

    def snapshot(self):
        """The parameters now, as few numbers as determine them: on the Gram path C
        (W1 = W1_0 + C X.T) and the later layers, else every W{l}, b{l}. Updates replace
        the arrays of the dict, never change them, so the dict is copied, not its arrays."""
        return (self._C.copy() if self.method == "gram" else None), dict(self._parameters)

    def snapshot_nbytes(self):
        """Bytes one :meth:`snapshot` holds."""
        C, parameters = self.snapshot()
        skip = ("W1", "b1") if C is not None else ()
        return (0 if C is None else C.nbytes) + sum(
            value.nbytes for name, value in parameters.items() if name not in skip)

    def parameters_at(self, snapshot):
        """W{l}, b{l} of a :meth:`snapshot` (a fresh dict of fresh arrays)."""
        C, saved = snapshot
        parameters = {name: value.copy() for name, value in saved.items()}
        if C is not None:
            parameters["W1"] = self._W1_start + C @ self.X.T
            parameters["b1"] = self._b1_start + C.sum(axis=1, keepdims=True)
        return parameters

    def logits_at(self, snapshots, X, cross=None):
        """The output unit's z for scaled columns X (n_x, k) at every snapshot, (s, k).

        On the Gram path the first layer is Z1 = (W1_0 X + b1_0) + C (X_trainᵀ X + 1), so the
        12288-wide W1 is never formed. ``cross``: X_trainᵀ X, when the caller keeps it
        (:attr:`logreg.pipeline.Prepared.test_cross`).
        """
        rows = []
        if self.method == "gram":
            start = self._W1_start @ X + self._b1_start
            cross = (self.X.T @ X if cross is None else cross) + 1.0
            for C, parameters in snapshots:
                _, caches = forward_from(start + C @ cross, None, parameters, self.activation)
                rows.append(caches[-1][2][0])
        else:
            for _, parameters in snapshots:
                _, caches = L_model_forward(X, parameters, self.activation)
                rows.append(caches[-1][2][0])
        return np.array(rows)

    def layer_weights(self, l):
        """W{l} as it is now; on the Gram path W1 = W1_0 + C X.T is formed for the call."""
        if l == 1 and self.method == "gram":
            return self._W1_start + self._C @ self.X.T
        return self._parameters[f"W{l}"].copy()

    def release_buffers(self):
        """Nothing to free: a network's steps keep no buffers between calls (the same call
        as :meth:`logreg.trainer.Trainer.release_buffers`)."""

    def step(self, k=1):
        """Apply k gradient-descent updates, recording the cost before each one."""
        for _ in range(int(k)):
            if self.method == "gram":
                self._step_gram()
            else:
                self._step_primal()
            self.iteration += 1
            if self.recorder is not None and self.recorder.wants(self.iteration):
                self.recorder.add(self.iteration, self.snapshot())
        return self

    def _step_primal(self):
        AL, caches = L_model_forward(self.X, self._parameters, self.activation)
        self.costs.append(compute_cost(caches[-1][2], self.Y))
        grads = L_model_backward(AL, self.Y, caches, self.activation)
        self._parameters = update_parameters(self._parameters, grads, self.learning_rate)

    def _step_gram(self):
        Z1 = self._Z1_start + self._C @ self._gram
        AL, caches = forward_from(Z1, None, self._parameters, self.activation)
        self.costs.append(compute_cost(caches[-1][2], self.Y))
        grads, dZ1 = backward_to_first(AL, self.Y, caches, self.activation)
        self._C -= (self.learning_rate / self.X.shape[1]) * dZ1
        for name, grad in grads.items():
            self._parameters[name[1:]] = self._parameters[name[1:]] - self.learning_rate * grad

    def run(self, num_iterations):
        """Advance until ``num_iterations`` updates have been applied in total."""
        return self.step(max(0, int(num_iterations) - self.iteration))

    def current_cost(self):
        """The cost at the current parameters (after the last update)."""
        _, caches = L_model_forward(self.X, self.parameters, self.activation)
        return compute_cost(caches[-1][2], self.Y)


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False, init="scaled", activation="relu", seed=1):
    """The course's L-layer model: returns (parameters, costs), a cost every 100 iterations.

    With ``print_cost`` it prints ``Cost after iteration i: <cost>`` at full precision.
    """
    trainer = NetworkTrainer(X, Y, layers_dims, learning_rate, activation, init, seed)
    trainer.run(num_iterations)
    costs = trainer.costs[::100]
    if print_cost:
        for i, cost in zip(range(0, num_iterations, 100), costs):
            print(f"Cost after iteration {i}: {cost!r}")
    return trainer.parameters, costs


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                    print_cost=False):
    """The course's two-layer model, (n_x, n_h, n_y), initialised with randn × 0.01."""
    n_x, n_h, n_y = layers_dims
    return L_layer_model(X, Y, (n_x, n_h, n_y), learning_rate, num_iterations, print_cost,
                         init="small")


def parameter_count(layer_dims):
    """How many numbers the W{l} and b{l} of a network hold."""
    return sum(n * (n_prev + 1) for n_prev, n in zip(layer_dims, layer_dims[1:]))

