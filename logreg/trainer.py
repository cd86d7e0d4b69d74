"""Full-batch gradient descent that can be advanced a few iterations at a time.

The primal path is the course's loop. The Gram path is an optimisation of it: from zero
weights every update adds a combination of the columns of X to w, so w = X c for some
coefficients c of shape (m,) (not α, which is the learning rate). When there are fewer
examples than features (209 cat images against 12288 pixels) the iterates are cheaper on
the m x m Gram matrix K = X.T @ X: z = cᵀK + b costs m*m instead of n*m. Both paths
compute the same numbers up to rounding.
"""
import math

import numpy as np

from .course import ITERATIONS, LEARNING_RATE, PRINT_EVERY, printout
from .core import cost_from_logits, initialize_with_zeros, predict, sigmoid_and_cost

# Above this many examples the m x m Gram matrix costs too much memory to be worth it.
GRAM_MAX_EXAMPLES = 4096
# Iterations per block of the Gram loop, whose costs are computed together afterwards.
GRAM_BLOCK = 256


def choose_method(n_features, m_examples):
    """Pick ``"gram"`` when the m x m path is cheaper per iteration, else ``"primal"``."""
    if m_examples < n_features and m_examples <= GRAM_MAX_EXAMPLES:
        return "gram"
    return "primal"


def check_gram(gram, X):
    """Raise ValueError unless ``gram`` is None or has the shape of X.T @ X."""
    if gram is not None and np.shape(gram) != (X.shape[1], X.shape[1]):
        raise ValueError(f"gram must be X.T @ X, ({X.shape[1]}, {X.shape[1]}), "
                         f"got {np.shape(gram)}")


class Trainer:
    """Logistic regression trained by gradient descent, one chunk of iterations at a time.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m), labels 0/1
    learning_rate : float
    method : {"auto", "gram", "primal"}
        ``auto`` picks with :func:`choose_method`.
    w, b : ndarray of shape (n_x, 1) and float, optional
        Starting parameters (default zeros). Non-zero starting weights need not lie in the
        span of the columns of X, so they train on the primal path.
    gram : ndarray of shape (m, m), optional
        K = X.T @ X when the caller already has it (:attr:`logreg.pipeline.Prepared.gram`,
        shared by every run on the same matrix); the Gram path computes it otherwise.

    Attributes
    ----------
    iteration : int
        Number of updates applied so far.
    costs : list of float
        The cost at every iteration, computed before that iteration's update
        (``costs[i]`` is the course's "Cost after iteration i").
    recorder : :class:`logreg.history.History` or None
        Given a :meth:`snapshot` after every update it ``wants`` (the Gram path asks
        which once per block: ``wanted``).
    """

    def __init__(self, X, Y, learning_rate, method="auto", w=None, b=0.0, gram=None):
        X = np.asarray(X, dtype=float)
        Y = np.asarray(Y, dtype=float).reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != Y.shape[1]:
            raise ValueError(f"X must be (features, m) with m = {Y.shape[1]}, got {X.shape}")
        w_start = np.zeros((X.shape[0], 1)) if w is None else (
            np.array(w, dtype=float).reshape(X.shape[0], 1))
        starts_at_zero = not np.any(w_start)
        if method == "auto":
            method = choose_method(*X.shape) if starts_at_zero else "primal"
        if method not in ("gram", "primal"):
            raise ValueError(f"method must be 'auto', 'gram' or 'primal', got {method!r}")
        if method == "gram" and not starts_at_zero:
            raise ValueError("the gram method needs zero starting weights")
        if not (math.isfinite(float(learning_rate)) and float(learning_rate) > 0):
            raise ValueError(f"learning rate must be a number above 0, got {learning_rate}")
        check_gram(gram, X)
        self.X, self.Y = X, Y
        self._gram = gram
        self.learning_rate = float(learning_rate)
        self.method = method
        self.iteration = 0
        self.costs = []
        self.b = float(b)
        self._last_dZ = None
        self.recorder = None
        if method == "gram":
            self._start_gram()
        else:
            self._w = w_start

    @property
    def w(self):
        """The current weights, shape (n_x, 1)."""
        return self.parameters_at(self.snapshot())[0]

    def snapshot(self):
        """The parameters now, as few numbers as determine them: (c, b) on the Gram path
        (w = X c), (w, b) on the primal path; vectors of shape (m,) or (n_x,)."""
        if self.method == "gram":
            c = self._coefficients()
            return c, self._b_start + float(np.sum(c))
        return self._w.ravel().copy(), self.b

    def snapshot_nbytes(self):
        """Bytes one :meth:`snapshot` holds."""
        return 8 * (self.X.shape[1] if self.method == "gram" else self.X.shape[0]) + 8

    def parameters_at(self, snapshot):
        """(w of shape (n_x, 1), b) of a :meth:`snapshot`, exactly as :attr:`w` and
        :attr:`b` were when it was taken."""
        vector, b = snapshot
        if self.method == "gram":
            return (self.X @ vector).reshape(-1, 1), b
        return vector.reshape(-1, 1).copy(), b

    def weights_at(self, snapshots):
        """The weights of every snapshot as the rows of one (s, n_x) array.

        On the Gram path this is one product X Cᵀ: :meth:`parameters_at` per snapshot
        reads the whole of X once per snapshot (a hundred times for a replay). Equal to
        :meth:`parameters_at`'s weights up to rounding.
        """
        vectors = np.array([vector for vector, _ in snapshots])
        if self.method == "gram":
            return (self.X @ vectors.T).T
        return vectors

    def logits_at(self, snapshots, X, cross=None):
        """z = wᵀX + b of scaled columns X (n_x, k) for every snapshot, shape (s, k).

        On the Gram path this is c (X_trainᵀ X) + b: one (s, m) by (m, k) product after the
        (m, k) cross product, never the 12288-long weights. ``cross``: that product, when
        the caller keeps it (:attr:`logreg.pipeline.Prepared.test_cross`).
        """
        vectors = np.array([vector for vector, _ in snapshots])
        biases = np.array([b for _, b in snapshots])[:, None]
        if self.method == "gram":
            if cross is None:
                cross = self._K if X is self.X and self._K is not None else self.X.T @ X
            return vectors @ cross + biases
        return vectors @ X + biases

    def _offer(self):
        if self.recorder is not None and self.recorder.wants(self.iteration):
            self.recorder.add(self.iteration, self.snapshot())

    def _logits(self):
        if self.method == "gram":
            return 2.0 * self._h.reshape(1, -1)
        return self._w.T @ self.X + self.b

    def step(self, k=1):
        """Apply k gradient-descent updates, recording the cost before each one.

        Returns
        -------
        self
        """
        if self.method == "gram":
            self._step_gram(int(k))
            return self
        step_size = self.learning_rate / self.X.shape[1]
        for _ in range(int(k)):
            Z = self._w.T @ self.X + self.b
            A, cost = sigmoid_and_cost(Z, self.Y)
            self.costs.append(cost)
            dZ = A - self.Y
            self._w -= step_size * (self.X @ dZ.T)
            self.b -= step_size * float(np.sum(dZ))
            self._last_dZ = dZ
            self.iteration += 1
            self._offer()
        return self

    def _start_gram(self):
        y = self.Y.ravel()
        m = self.X.shape[1]
        self._y = y
        self._offset = 0.5 - y                # dz = tanh(h)/2 + offset
        self._b_start = self.b
        self._h = np.full(m, self.b / 2)      # h = z/2 with c = 0
        self._tanh_sum = np.zeros(m)
        self._tanh = np.ones(m + 1)           # [tanh(h); 1], the last entry stays 1
        self._M = None                        # the step matrix and scratch: _gram_buffers
        self._gram_buffers()

    def _gram_buffers(self):
        """K = XᵀX, the matrix M of :meth:`_step_gram` and its scratch (2.4 MB on the cat
        data; K is only read, so a given one is shared, not copied)."""
        X, m = self.X, self.X.shape[1]
        step_size = self.learning_rate / m
        # K also gives logits_at its training-set product.
        self._K = self._gram if self._gram is not None else X.T @ X
        gram = self._K + 1.0                  # the bias: one more feature, 1 in every example
        self._M = np.empty((m, m + 1))
        np.multiply(gram, -step_size / 4, out=self._M[:, :m])
        self._M[:, m] = 2.0 * (self._M[:, :m] @ self._offset)
        self._block = np.empty((GRAM_BLOCK + 1, m))
        self._z, self._loss, self._scratch = (np.empty((GRAM_BLOCK, m)) for _ in range(3))

    def release_buffers(self):
        """Free what only further steps need (the Gram path's M and scratch, 2 MB on the cat
        data, and K unless it was given, shared); the parameters, costs and snapshots stay.
        A later :meth:`step` builds them again. A server keeping finished runs for many
        sessions calls this."""
        if self.method == "gram":
            self._K = self._M = self._block = self._z = self._loss = self._scratch = None

    def _coefficients(self):
        """c in w = X c: c = -s (sum of the dz so far), from the running sum of tanh(h)."""
        step_size = self.learning_rate / self.X.shape[1]
        return -step_size * (self._tanh_sum / 2 + self.iteration * self._offset)

    def _step_gram(self, k):
        """The primal loop's updates, followed through h = z/2 on the m x m Gram matrix.

        With s = learning_rate / m, the updates c -= s dz and b -= s sum(dz) move
        z = K c + b by -s (K + 1 1^T) dz, K = X^T X. Since sigmoid(z) = (1 + tanh(z/2))/2,
        dz = A - Y = tanh(h)/2 + (1/2 - Y), so one iteration is

            h := h + M [tanh(h); 1]    with    M = -(s/4) (K + 1 1^T) [I, 2 (1 - 2Y)]

        three numpy calls on 209 numbers, plus one to add tanh(h) to the sum that gives
        c. Numpy's per-call overhead, not the arithmetic, sets the pace here, so the
        costs (and a recorder's snapshots) are computed afterwards for a block of
        iterations at a time.
        """
        m = self.X.shape[1]
        if self._M is None:
            self._gram_buffers()
        M, tanh_ext, tanh_sum = self._M, self._tanh, self._tanh_sum
        tanh = tanh_ext[:m]
        block = self._block
        done = 0
        while done < k:
            n = min(GRAM_BLOCK, k - done)
            block[0] = self._h
            rows = list(block[:n + 1])
            # Updates of this block after which the recorder wants the running sum.
            wanted = set() if self.recorder is None else {
                i - self.iteration for i in self.recorder.wanted(self.iteration,
                                                                 self.iteration + n)}
            sums = []
            for j, (h, h_next) in enumerate(zip(rows, rows[1:]), start=1):
                np.tanh(h, out=tanh)
                np.add(tanh_sum, tanh, out=tanh_sum)
                np.dot(M, tanh_ext, out=h_next)
                np.add(h_next, h, out=h_next)
                if j in wanted:
                    sums.append(tanh_sum.copy())
            self.costs.extend(self._costs_of(block[:n]).tolist())
            self._h = block[n].copy()
            self._last_dZ = (tanh / 2 + self._offset).reshape(1, -1)
            if sums:
                self._record(sorted(wanted), sums)
            self.iteration += n
            done += n
        self.b = self.snapshot()[1]

    def _record(self, updates, sums):
        """Give the recorder (c, b) after each of this block's ``updates`` from the running
        sums copied there: the formulas of :meth:`snapshot`, row by row, so every snapshot
        is bit for bit what :meth:`snapshot` gives when training stops at its iteration."""
        step_size = self.learning_rate / self.X.shape[1]
        iterations = self.iteration + np.array(updates)
        C = -step_size * (np.array(sums) / 2 + iterations[:, None] * self._offset)
        for i, c, total in zip(iterations.tolist(), C, C.sum(axis=1).tolist()):
            self.recorder.add(i, (c, self._b_start + total))

    def _costs_of(self, h_rows):
        """The cost J at z = 2 h for every row of h_rows, shape (n, m) -> (n,).

        ``log(1 + e^z) = max(z, 0) + log1p(exp(-|z|))`` (what ``np.logaddexp(0, z)``
        computes, in passes numpy vectorises) and the loss is that minus ``y z`` (see
        ``sigmoid_and_cost``); rows are summed one by one, so a row's cost does not depend
        on how many iterations share its block.
        """
        n, m = h_rows.shape
        z = np.multiply(h_rows, 2.0, out=self._z[:n])
        loss, scratch = self._loss[:n], self._scratch[:n]
        np.abs(z, out=loss)
        np.negative(loss, out=loss)
        np.exp(loss, out=loss)
        np.log1p(loss, out=loss)
        loss += np.maximum(z, 0.0, out=scratch)
        loss -= np.multiply(z, self._y, out=scratch)
        return loss.sum(axis=1) / m

    def run(self, num_iterations):
        """Advance until ``num_iterations`` updates have been applied in total."""
        return self.step(max(0, int(num_iterations) - self.iteration))

    def last_gradients(self):
        """The course's ``grads`` of the last update: ``dw`` (n_x, 1) and ``db``, or None."""
        if self._last_dZ is None:
            return None
        m = self.X.shape[1]
        return {"dw": self.X @ self._last_dZ.T / m, "db": float(np.sum(self._last_dZ) / m)}

    def current_cost(self):
        """The cost at the current parameters (after the last update)."""
        return cost_from_logits(self._logits(), self.Y)


def optimize(w, b, X, Y, num_iterations, learning_rate, print_cost=False):
    """The course's ``optimize``: gradient descent from (w, b) for num_iterations.

    Returns
    -------
    params : dict with ``w`` and ``b``
    grads : dict with ``dw`` and ``db`` of the last iteration, computed before its update
        (the course returns the last ``propagate``'s gradients, not fresh ones at ``w``)
    costs : list of float, the cost every 100 iterations (as in the course)
    """
    trainer = Trainer(X, Y, learning_rate, w=w, b=b)
    trainer.run(num_iterations)
    costs = trainer.costs[::PRINT_EVERY]
    if print_cost:
        print("\n".join(printout(trainer.costs)))
    w_final = trainer.w
    grads = trainer.last_gradients()
    return {"w": w_final, "b": trainer.b}, grads, costs


def model(X_train, Y_train, X_test, Y_test, num_iterations=ITERATIONS,
          learning_rate=LEARNING_RATE, print_cost=False):
    """The course's ``model``: initialise, optimise, predict on train and test.

    Returns
    -------
    d : dict with ``costs``, ``Y_prediction_test``, ``Y_prediction_train``, ``w``, ``b``,
        ``learning_rate``, ``num_iterations``
    """
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate,
                                    print_cost)
    w, b = params["w"], params["b"]
    Y_prediction_train = predict(w, b, X_train)
    Y_prediction_test = predict(w, b, X_test)
    if print_cost:
        print("\n".join(printout([], accuracy(Y_prediction_train, Y_train),
                                 accuracy(Y_prediction_test, Y_test))))
    return {
        "costs": costs,
        "Y_prediction_test": Y_prediction_test,
        "Y_prediction_train": Y_prediction_train,
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }


def accuracy(Y_prediction, Y, axis=None):
    """Percentage of correct predictions, computed as the course does; ``axis=1`` gives
    one per row of a stack of predictions (s, m), each the same to the last bit as its
    row's own (the sums of 0s and 1s are exact)."""
    return 100 - np.mean(np.abs(Y_prediction - Y), axis=axis) * 100
