"""A run taken home: a Jupyter notebook or a Python script that reproduces it, in the open.

The program is the course's own functions written out (``sigmoid`` … ``model``; the week-4
``initialize_parameters_deep`` … ``L_layer_model`` for networks; the playground's point
generator, copied from :mod:`logreg.planar`), the run's exact settings, the data, training
with the course's printout, the accuracies and the cost curve. It imports numpy and h5py
only (matplotlib draws the curve; without it that step says so and is skipped), never
``logreg``: the point is to see the code. Its last step compares what it printed with the
numbers the app showed, written in at export time.

Exact: the functions compute what the engine computes, line for line (the stable sigmoid,
the cost from z, dZ = A − Y). Where the app took the Gram path the two agree to rounding,
1e-15 on a run whose cost falls smoothly. A run whose cost rises first (a learning rate
that overshoots) amplifies a last-bit difference for a while, to a few 1e-7 on the course's
learning rate 0.01, before it shrinks again; the check then says so and why. Accuracies
agree to the last digit.

Safe: settings are checked at the edge (the engine's own checks), so only numbers and known
ids reach the code; every name that comes from data (the dataset's name, its class names)
is written as a Python literal (``repr``), never as code or Markdown, and file names keep
safe characters only.

Text: the Markdown cells and what the program prints live in :data:`TEXT`, in English and
Korean (``lang="en"`` or ``"ko"``).
"""
import inspect
import io
import json
import math
import re
import textwrap
import zipfile
from dataclasses import dataclass
from string import Template
from typing import Optional

from . import planar
from .core import THRESHOLD
from .course import PRINT_EVERY
from .data import DEFAULT_CLASSES
from .download import load_mirrors
from .preprocessing import SCALING_MODES
from .settings import Logistic as LogisticSettings, Network as NetworkSettings
from .settings import scaling as check_scaling

LANGUAGES = ("en", "ko")
KINDS = ("logistic", "network", "playground", "normalization")
# A cost counts as the app's within this, relative to the cost when it is above 1.
TOLERANCE = 1e-9
# Where the notebook's JSON says what runs it (nbformat 4.5: cells carry ids).
NOTEBOOK_METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}
MAX_STEM = 120   # characters in a file name, before its suffix


# ---------------------------------------------------------------- what a run is made of


def safe_name(text, fallback="dataset", limit=60):
    """``text`` with only letters, digits, ``.``, ``_`` and ``-`` (others become ``-``),
    never starting with a dot, at most ``limit`` characters: usable in a file name and
    inside a zip."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip(".-")[:limit].strip(".-")
    return cleaned or fallback


def _text(value):
    """A str that any UTF-8 file can hold (a lone surrogate becomes ``?``)."""
    return str(value).encode("utf-8", "replace").decode("utf-8")


@dataclass(frozen=True)
class Pictures:
    """An image dataset as the app saw it. ``mirrors``: the program may download the files
    from the cat data's pinned mirrors (only the course's own files)."""

    name: str
    classes: tuple
    m_train: int
    m_test: int
    num_px: int
    channels: int
    mirrors: bool = False

    def __post_init__(self):
        object.__setattr__(self, "name", _text(self.name))
        object.__setattr__(self, "classes", tuple(_text(c) for c in self.classes))
        if len(self.classes) != 2:
            raise ValueError(f"expected two class names, got {len(self.classes)}")
        for field in ("m_train", "m_test", "num_px", "channels"):
            value = getattr(self, field)
            if isinstance(value, bool) or int(value) != value or value < 1:
                raise ValueError(f"{field} must be a whole number above 0, got {value!r}")
            object.__setattr__(self, field, int(value))

    @classmethod
    def of(cls, dataset, mirrors=False):
        """From a :class:`logreg.data.Dataset`."""
        return cls(dataset.name, tuple(dataset.classes), dataset.m_train, dataset.m_test,
                   dataset.num_px, dataset.channels, bool(mirrors))

    @property
    def n_x(self):
        return self.num_px * self.num_px * self.channels

    @property
    def files(self):
        """The pair's file names, ``train_<name>.h5`` and ``test_<name>.h5``."""
        name = safe_name(self.name)
        return f"train_{name}.h5", f"test_{name}.h5"


@dataclass(frozen=True)
class Points:
    """The playground's two-feature points: a generator of :mod:`logreg.planar`, the
    number of points, its seed and (for the generators that take one) its noise."""

    generator: str
    m: int = planar.DEFAULT_M
    seed: int = planar.DEFAULT_SEED
    noise: Optional[float] = None

    def __post_init__(self):
        if self.generator not in planar.DATASETS:
            raise ValueError(f"points must be one of {', '.join(planar.DATASETS)}, "
                             f"got {self.generator!r}")
        if isinstance(self.m, bool) or int(self.m) != self.m or not 2 <= self.m <= 100_000:
            raise ValueError(f"m must be a whole number from 2 to 100,000, got {self.m!r}")
        if isinstance(self.seed, bool) or int(self.seed) != self.seed or \
                not 0 <= self.seed < 2**32:
            raise ValueError(f"the seed must be a whole number from 0 to {2**32 - 1}, "
                             f"got {self.seed!r}")
        object.__setattr__(self, "m", int(self.m))
        object.__setattr__(self, "seed", int(self.seed))
        if self.noise is not None:
            if "noise" not in inspect.signature(self.function).parameters:
                raise ValueError(f"{self.generator} takes no noise")
            if not (math.isfinite(float(self.noise)) and float(self.noise) >= 0):
                raise ValueError(f"noise must be a number of 0 or more, got {self.noise!r}")
            object.__setattr__(self, "noise", float(self.noise))

    @property
    def function(self):
        return planar.DATASETS[self.generator]


@dataclass(frozen=True)
class Logistic:
    """Logistic regression's settings on the Train page."""

    iterations: int
    learning_rate: float
    scaling: str

    def __post_init__(self):
        checked = LogisticSettings.checked(iterations=self.iterations,
                                          learning_rate=self.learning_rate,
                                          scaling=self.scaling)
        object.__setattr__(self, "iterations", checked.iterations)
        object.__setattr__(self, "learning_rate", checked.learning_rate)


@dataclass(frozen=True)
class Network:
    """A network's settings: hidden layer sizes, their activation, the initial weights and
    their seed, iterations, learning rate and the pixels' scaling (None for points)."""

    hidden: tuple
    activation: str
    init: str
    seed: int
    iterations: int
    learning_rate: float
    scaling: Optional[str] = "divide255"

    def __post_init__(self):
        checked = NetworkSettings.checked(
            hidden=tuple(self.hidden), activation=self.activation, init=self.init,
            seed=self.seed, iterations=self.iterations, learning_rate=self.learning_rate)
        if self.scaling is not None:
            check_scaling(self.scaling)
        for name in ("hidden", "seed", "iterations", "learning_rate"):
            object.__setattr__(self, name, getattr(checked, name))


@dataclass(frozen=True)
class Shown:
    """What the app showed for a run: the cost every PRINT_EVERY iterations (the course's
    printout, at full precision), the accuracies and the first iteration whose cost rose
    above the one before (None when it only fell)."""

    costs: tuple
    train_accuracy: float
    test_accuracy: Optional[float] = None
    rose_at: Optional[int] = None

    def __post_init__(self):
        costs = tuple(float(c) for c in self.costs)
        if not costs:
            raise ValueError("a run shows at least one cost")
        object.__setattr__(self, "costs", costs)
        object.__setattr__(self, "train_accuracy", float(self.train_accuracy))
        if self.test_accuracy is not None:
            object.__setattr__(self, "test_accuracy", float(self.test_accuracy))

    @classmethod
    def of(cls, costs, train_accuracy, test_accuracy=None):
        """From every iteration's cost (``costs[i]`` before update i) and the accuracies."""
        costs = [float(c) for c in costs]
        rose = next((i for i in range(1, len(costs))
                     if costs[i] > costs[i - 1] + 1e-12 * max(1.0, abs(costs[i - 1]))), None)
        return cls(tuple(costs[::PRINT_EVERY]), train_accuracy, test_accuracy, rose)


@dataclass(frozen=True)
class Run:
    settings: object   # Logistic or Network
    shown: Shown


@dataclass(frozen=True)
class Export:
    """Everything a program needs: the data and one run (several for a comparison)."""

    kind: str
    data: object       # Pictures or Points
    runs: tuple

    def __post_init__(self):
        runs = tuple(self.runs)
        object.__setattr__(self, "runs", runs)
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        wanted = {"logistic": (Pictures, Logistic), "network": (Pictures, Network),
                  "playground": (Points, Network), "normalization": (Pictures, Logistic)}
        data_type, settings_type = wanted[self.kind]
        if not isinstance(self.data, data_type):
            raise ValueError(f"a {self.kind} export takes {data_type.__name__}")
        if not runs or (self.kind != "normalization" and len(runs) != 1):
            raise ValueError(f"a {self.kind} export takes "
                             + ("one run or more" if self.kind == "normalization"
                                else "exactly one run"))
        for run in runs:
            if not isinstance(run.settings, settings_type):
                raise ValueError(f"a {self.kind} export's runs are {settings_type.__name__}")
            expected = math.ceil(run.settings.iterations / PRINT_EVERY)
            if len(run.shown.costs) != expected:
                raise ValueError(f"{run.settings.iterations} iterations print {expected} "
                                 f"costs, got {len(run.shown.costs)}")
            if (run.shown.test_accuracy is None) != (self.kind == "playground"):
                raise ValueError("the playground shows a training accuracy only; the other "
                                 "runs show both")
        if self.kind == "playground" and runs[0].settings.scaling is not None:
            raise ValueError("points are not scaled: the playground's scaling is None")
        if self.kind == "normalization":
            modes = [run.settings.scaling for run in runs]
            if len(set(modes)) != len(modes) or len({(run.settings.iterations,
                                                      run.settings.learning_rate)
                                                     for run in runs}) != 1:
                raise ValueError("a comparison trains each scaling once, all with the same "
                                 "iterations and learning rate")


def of_model(model, dataset, evaluation, mirrors=False):
    """The export of a trained model of the Train or the Network page (a
    :class:`~logreg.params.TrainedModel` or :class:`~logreg.network_model.TrainedNetwork`),
    with its ``evaluation`` on ``dataset``."""
    shown = Shown.of(model.costs, evaluation.train_accuracy, evaluation.test_accuracy)
    if hasattr(model, "layer_dims"):
        settings = Network(model.hidden, model.activation, model.init, model.seed,
                           model.num_iterations, model.learning_rate, model.scaler.mode)
        kind = "network"
    else:
        settings = Logistic(model.num_iterations, model.learning_rate, model.scaler.mode)
        kind = "logistic"
    return Export(kind, Pictures.of(dataset, mirrors), (Run(settings, shown),))


def of_playground(trainer, points, train_accuracy):
    """The export of a playground run: its :class:`~logreg.network.NetworkTrainer` on
    ``points`` (:class:`Points`)."""
    settings = Network(trainer.layer_dims[1:-1], trainer.activation, trainer.init,
                       trainer.seed, trainer.iteration, trainer.learning_rate, None)
    return Export("playground", points,
                  (Run(settings, Shown.of(trainer.costs, train_accuracy)),))


def of_comparison(dataset, learning_rate, runs, mirrors=False):
    """The export of a scaling comparison: ``runs`` is {mode: (costs, train accuracy, test
    accuracy)}, every run as long as the others."""
    return Export("normalization", Pictures.of(dataset, mirrors), tuple(
        Run(Logistic(len(costs), learning_rate, mode), Shown.of(costs, train, test))
        for mode, (costs, train, test) in runs.items()))


# ------------------------------------------------------------------------------- words


TEXT = {
    "title_logistic": {
        "en": "# Logistic regression with a neural-network mindset",
        "ko": "# 신경망의 관점으로 본 로지스틱 회귀"},
    "title_network": {
        "en": "# A deep neural network for image classification",
        "ko": "# 이미지 분류를 위한 심층 신경망"},
    "title_playground": {
        "en": "# The playground: a line becomes a curve",
        "ko": "# 놀이터: 직선이 곡선이 됩니다"},
    "title_normalization": {
        "en": "# Normalization: the same model on differently scaled pixels",
        "ko": "# 정규화: 스케일이 다른 픽셀로 학습한 같은 모델"},
    "intro": {
        "en": "This is a run of **logreg studio** written out as code: the course's own "
              "functions, the run's exact settings, the data, training with the course's "
              "printout, the accuracies and the cost curve. It needs numpy and h5py only "
              "(matplotlib draws the curve). Run it from top to bottom (in Jupyter: *Run "
              "All*; as a script: `python` and its file name): the last step checks that it "
              "prints the numbers the app showed.",
        "ko": "**logreg studio**에서 한 학습을 그대로 코드로 옮긴 것입니다: 강좌의 함수들, 학습에 "
              "쓴 설정 그대로, 데이터, 강좌와 같은 출력으로 학습, 정확도와 비용 곡선. numpy와 "
              "h5py만 있으면 됩니다(곡선은 matplotlib이 그립니다). 위에서 아래로 실행하세요"
              "(Jupyter에서는 *Run All*, 스크립트는 `python` 뒤에 파일 이름): 마지막 단계에서 앱이 "
              "보여 준 숫자와 같은지 확인합니다."},
    "intro_playground": {
        "en": "This is a playground run of **logreg studio** written out as code: the "
              "points, generated from their seed, the course's week-4 network functions, the "
              "run's exact settings, training with the course's printout, the accuracy, the "
              "cost curve and the decision boundary. It needs numpy only (matplotlib draws "
              "the pictures). Run it from top to bottom (in Jupyter: *Run All*; as a script: "
              "`python` and its file name): the last step checks that it prints the numbers "
              "the app showed.",
        "ko": "**logreg studio** 놀이터에서 한 학습을 그대로 코드로 옮긴 것입니다: 시드로 만든 "
              "점들, 강좌 4주 차의 신경망 함수들, 학습에 쓴 설정 그대로, 강좌와 같은 출력으로 "
              "학습, 정확도, 비용 곡선과 결정 경계. numpy만 있으면 됩니다(그림은 matplotlib이 "
              "그립니다). 위에서 아래로 실행하세요(Jupyter에서는 *Run All*, 스크립트는 `python` "
              "뒤에 파일 이름): 마지막 단계에서 앱이 보여 준 숫자와 같은지 확인합니다."},
    "setting": {"en": "| setting | value |", "ko": "| 설정 | 값 |"},
    "iterations": {"en": "iterations", "ko": "반복 횟수"},
    "learning_rate": {"en": "learning rate α", "ko": "학습률 α"},
    "scaling": {"en": "scaling", "ko": "스케일링"},
    "scalings": {"en": "scalings compared", "ko": "비교한 스케일링"},
    "network": {"en": "network (layer sizes)", "ko": "신경망 (층별 유닛 수)"},
    "activation": {"en": "hidden layers' activation", "ko": "은닉층 활성화 함수"},
    "init": {"en": "initial weights", "ko": "초기 가중치"},
    "seed": {"en": "seed of the initial weights", "ko": "초기 가중치의 시드"},
    "points": {"en": "points", "ko": "점"},
    "points_value": {"en": "`{generator}`, {m} points, seed {seed}",
                     "ko": "`{generator}`, 점 {m}개, 시드 {seed}"},
    "scaling_raw": {"en": "raw pixels, 0 to 255", "ko": "원래 픽셀 값, 0–255"},
    "scaling_divide255": {"en": "pixels ÷ 255 (the course's)",
                          "ko": "픽셀 ÷ 255 (강좌의 방식)"},
    "scaling_zscore": {"en": "standardized (z-score)", "ko": "표준화 (z-점수)"},
    "init_small": {"en": "standard normal × 0.01", "ko": "표준정규분포 × 0.01"},
    "init_scaled": {"en": "standard normal / √(units in the previous layer)",
                    "ko": "표준정규분포 / √(이전 층의 유닛 수)"},
    "init_zeros": {"en": "all zeros", "ko": "모두 0"},
    "h_packages": {"en": "## 1 · Packages", "ko": "## 1 · 패키지"},
    "packages": {
        "en": "numpy for the arithmetic, h5py to read the course's `.h5` files.",
        "ko": "계산은 numpy, 강좌의 `.h5` 파일은 h5py로 읽습니다."},
    "packages_playground": {"en": "numpy for the arithmetic.", "ko": "계산은 numpy로 합니다."},
    "h_settings": {"en": "## 2 · The settings", "ko": "## 2 · 설정"},
    "settings": {
        "en": "The settings the app trained with, exactly. Change them and run again to try "
              "your own.",
        "ko": "앱이 학습에 쓴 설정 그대로입니다. 바꿔서 다시 실행하면 직접 실험해 볼 수 있습니다."},
    "h_data": {"en": "## 3 · The data", "ko": "## 3 · 데이터"},
    "data_mirrors": {
        "en": "The program looks for the two files in the folder `LOGREG_DATA_DIR` names, then "
              "beside itself. If they are in neither, it downloads them from the public "
              "mirrors the app uses, and checks each file's size and sha256 against the "
              "pinned values before it uses the file.",
        "ko": "두 파일을 `LOGREG_DATA_DIR`이 가리키는 폴더에서, 다음으로 이 파일 옆에서 찾습니다. "
              "두 곳 모두에 없으면 앱이 쓰는 공개 미러에서 내려받고, 쓰기 전에 파일마다 크기와 "
              "sha256을 고정된 값과 비교합니다."},
    "data_files": {
        "en": "The program looks for the two files in the folder `LOGREG_DATA_DIR` names, then "
              "beside itself (the app's `.zip` download holds them beside the notebook and "
              "the script).",
        "ko": "두 파일을 `LOGREG_DATA_DIR`이 가리키는 폴더에서, 다음으로 이 파일 옆에서 찾습니다"
              "(앱의 `.zip` 다운로드에는 노트북과 스크립트 옆에 두 파일이 들어 있습니다)."},
    "data_check": {
        "en": "Then it checks that they hold what the app trained on: as many pictures, of "
              "the same size, with the same class names.",
        "ko": "그리고 앱이 학습한 것과 같은지 확인합니다: 같은 수의 같은 크기 그림, 같은 클래스 "
              "이름."},
    "data_points": {
        "en": "The points are made in code from their seed, by the generator the app uses "
              "(copied here), so the same seed gives the same points: two features per "
              "point, labels 0 and 1, in the course's shapes `X` (2, m) and `Y` (1, m).",
        "ko": "점들은 앱이 쓰는 생성 함수(여기에 그대로 옮겼습니다)가 시드로 만듭니다. 그래서 같은 "
              "시드는 같은 점을 만듭니다: 점마다 특성 두 개, 레이블 0과 1, 강좌의 모양 그대로 "
              "`X` (2, m), `Y` (1, m)."},
    "h_flatten": {"en": "## 4 · Flatten and scale", "ko": "## 4 · 펼치기와 스케일링"},
    "flatten": {
        "en": "Each picture becomes one column of {n_x} numbers ({num_px} × {num_px} × "
              "{channels}), so `train_set_x` is ({n_x}, m_train).",
        "ko": "그림 한 장이 숫자 {n_x}개({num_px} × {num_px} × {channels})의 열 하나가 됩니다. "
              "그래서 `train_set_x`의 모양은 ({n_x}, m_train)입니다."},
    "scale_raw": {
        "en": "The pixels stay as they are, 0 to 255. The cost below is computed so that it "
              "stays finite even then.",
        "ko": "픽셀 값은 0–255 그대로 둡니다. 아래의 비용은 이 경우에도 유한하도록 계산합니다."},
    "scale_divide255": {
        "en": "Then every pixel is divided by 255, as the course does: values from 0 to 1.",
        "ko": "그다음 강좌처럼 모든 픽셀을 255로 나눕니다: 0에서 1 사이의 값."},
    "scale_zscore": {
        "en": "Then every pixel is standardized: minus its mean over the training pictures, "
              "divided by its standard deviation (a pixel that never changes is divided by "
              "1). The test pictures use the training pictures' mean and deviation.",
        "ko": "그다음 픽셀마다 표준화합니다: 훈련 그림에서의 평균을 빼고 표준편차로 나눕니다(값이 "
              "변하지 않는 픽셀은 1로 나눕니다). 테스트 그림에도 훈련 그림의 평균과 표준편차를 "
              "씁니다."},
    "scale_all": {
        "en": "`scale(mode)` gives both matrices under one scaling: `raw` keeps 0 to 255, "
              "`divide255` is the course's ÷ 255, `zscore` standardizes every pixel with the "
              "training pictures' mean and standard deviation (a pixel that never changes is "
              "divided by 1).",
        "ko": "`scale(mode)`는 한 가지 스케일링으로 두 행렬을 만듭니다: `raw`는 0–255 그대로, "
              "`divide255`는 강좌의 ÷ 255, `zscore`는 훈련 그림의 평균과 표준편차로 픽셀마다 "
              "표준화합니다(값이 변하지 않는 픽셀은 1로 나눕니다)."},
    "h_functions": {"en": "## 5 · The course's functions", "ko": "## 5 · 강좌의 함수들"},
    "functions_logistic": {
        "en": "Written out as in the course. Two lines differ from the course's notebook "
              "without changing what it prints: `sigmoid` never calls `exp` on a positive "
              "number, and the cost is computed from z (log σ(z) = −log(1 + e⁻ᶻ)), so both "
              "stay finite for any z. The gradient is dJ/dz = A − Y: the sigmoid's A(1 − A) "
              "cancels against the cost's derivative.",
        "ko": "강좌에 있는 그대로 옮겼습니다. 강좌 노트북과 두 줄이 다르지만 출력은 같습니다: "
              "`sigmoid`는 양수에 `exp`를 쓰지 않고, 비용은 z로부터 계산합니다(log σ(z) = "
              "−log(1 + e⁻ᶻ)). 그래서 어떤 z에서도 둘 다 유한합니다. 기울기는 dJ/dz = A − Y입니다: "
              "시그모이드의 A(1 − A)가 비용의 도함수와 약분됩니다."},
    "functions_network": {
        "en": "The course's week-4 functions, for hidden layers with `{activation}` and a "
              "sigmoid output unit. As in logistic regression, the cost is computed from the "
              "output layer's z, and the backward pass starts from dZ = AL − Y (the "
              "sigmoid's derivative cancels against the cost's).",
        "ko": "강좌 4주 차의 함수들입니다. 은닉층은 `{activation}`, 출력 유닛은 시그모이드입니다. "
              "로지스틱 회귀처럼 비용은 출력층의 z로부터 계산하고, 역전파는 dZ = AL − Y에서 "
              "시작합니다(시그모이드의 도함수가 비용의 도함수와 약분됩니다)."},
    "gram_note": {
        "en": "The app computes the same steps in another order, to be fast (on the "
              "m × m matrix XᵀX when there are fewer pictures than pixels); this program is "
              "the plain loop.",
        "ko": "앱은 빠르게 하려고 같은 단계를 다른 순서로 계산합니다(그림 수가 픽셀 수보다 적으면 "
              "m × m 행렬 XᵀX로). 이 프로그램은 단순한 반복문입니다."},
    "h_train": {"en": "## 6 · Train", "ko": "## 6 · 학습"},
    "train_logistic": {
        "en": "Gradient descent from zero weights, printing the cost every {every} "
              "iterations and then both accuracies, as the course's `model` does.",
        "ko": "가중치 0에서 시작하는 경사 하강법입니다. 강좌의 `model`처럼 {every}번마다 비용을, "
              "끝에 두 정확도를 출력합니다."},
    "train_network": {
        "en": "Gradient descent from the seeded initial weights, printing the cost every "
              "{every} iterations, then both accuracies.",
        "ko": "시드로 정한 초기 가중치에서 시작하는 경사 하강법입니다. {every}번마다 비용을, "
              "끝에 두 정확도를 출력합니다."},
    "train_playground": {
        "en": "Gradient descent from the seeded initial weights, printing the cost every "
              "{every} iterations, then the accuracy on the points.",
        "ko": "시드로 정한 초기 가중치에서 시작하는 경사 하강법입니다. {every}번마다 비용을, "
              "끝에 점들에 대한 정확도를 출력합니다."},
    "train_normalization": {
        "en": "The same model trained once per scaling, from zero weights, with the same "
              "iterations and learning rate; each prints the course's output.",
        "ko": "같은 모델을 스케일링마다 한 번씩, 가중치 0에서, 같은 반복 횟수와 학습률로 "
              "학습합니다. 각각 강좌와 같은 출력을 냅니다."},
    "h_plot": {"en": "## 7 · The cost curve", "ko": "## 7 · 비용 곡선"},
    "plot": {
        "en": "The cost every {every} iterations, drawn with matplotlib (without it, this "
              "step says so and is skipped).",
        "ko": "{every}번마다의 비용을 matplotlib으로 그립니다(matplotlib이 없으면 그렇게 알리고 "
              "건너뜁니다)."},
    "plot_playground": {
        "en": "The cost every {every} iterations, and the points with the model's "
              "probability of class 1 as colour and its boundary (P = 0.5) as a black line, "
              "drawn with matplotlib (without it, this step says so and is skipped).",
        "ko": "{every}번마다의 비용, 그리고 점들 위에 모델의 클래스 1 확률을 색으로, 경계(P = 0.5)를 "
              "검은 선으로 matplotlib이 그립니다(matplotlib이 없으면 그렇게 알리고 건너뜁니다)."},
    "h_check": {"en": "## 8 · The same numbers as the app?", "ko": "## 8 · 앱과 같은 숫자인가?"},
    "check": {
        "en": "The numbers the app showed for this run, written in when it was exported: the "
              "cost every {every} iterations and the accuracies. A cost counts as the same "
              "within {tolerance:g} (relative, for a cost above 1); an accuracy must be the "
              "same to the last digit.",
        "ko": "앱이 이 학습에서 보여 준 숫자입니다(내보낼 때 적어 넣었습니다): {every}번마다의 "
              "비용과 정확도. 비용은 {tolerance:g} 이내면(1보다 큰 비용은 상대 오차) 같은 것으로 "
              "봅니다. 정확도는 마지막 자리까지 같아야 합니다."},
    # What the program prints.
    "no_matplotlib": {
        "en": "matplotlib is not installed, so the cost curve is not drawn "
              "(pip install matplotlib draws it).",
        "ko": "matplotlib이 설치되어 있지 않아 비용 곡선을 그리지 않습니다"
              "(pip install matplotlib 후 그려집니다)."},
    "saved_plot": {"en": "saved the cost curve in {path}", "ko": "비용 곡선을 {path}에 저장했습니다"},
    "not_found": {
        "en": "{files} are in none of these folders: {folders}. Put them beside this "
              "program (the app's .zip download holds them) or set LOGREG_DATA_DIR to their "
              "folder.",
        "ko": "{files} 파일이 다음 폴더 어디에도 없습니다: {folders}. 이 프로그램 옆에 두거나(앱의 "
              ".zip 다운로드에 들어 있습니다) LOGREG_DATA_DIR을 그 폴더로 정하세요."},
    "no_mirror": {
        "en": "no mirror gave copies of the files with the pinned size and sha256",
        "ko": "고정된 크기와 sha256을 가진 파일을 준 미러가 없습니다"},
    "downloaded": {"en": "downloaded {files} into {folder} (size and sha256 verified)",
                   "ko": "{files} 파일을 {folder}에 내려받았습니다(크기와 sha256 확인)"},
    "other_data": {
        "en": "these files hold other data than the app trained on: {found}, the app had "
              "{expected}",
        "ko": "이 파일들은 앱이 학습한 데이터와 다릅니다: {found}, 앱의 데이터는 {expected}"},
    "costs_line": {
        "en": "costs every {every} iterations: {same} of {count} within {tolerance:g} of the "
              "app's (largest difference {gap:.1e}, at iteration {iteration})",
        "ko": "{every}번마다의 비용: {count}개 중 {same}개가 앱과 {tolerance:g} 이내 "
              "(가장 큰 차이 {gap:.1e}, 반복 {iteration})"},
    "accuracy_line": {
        "en": "{name}: {here} % here, {app} % in the app: {verdict}",
        "ko": "{name}: 여기서 {here} %, 앱에서 {app} %: {verdict}"},
    "train_accuracy": {"en": "train accuracy", "ko": "훈련 정확도"},
    "test_accuracy": {"en": "test accuracy", "ko": "테스트 정확도"},
    "the_same": {"en": "the same", "ko": "같음"},
    "different": {"en": "different", "ko": "다름"},
    "verdict_same": {
        "en": "✅ The same run: every cost within {tolerance:g} of the app's, and the same "
              "accuracies to the last digit.",
        "ko": "✅ 같은 학습입니다: 모든 비용이 앱과 {tolerance:g} 이내이고, 정확도는 마지막 "
              "자리까지 같습니다."},
    "verdict_rounding": {
        "en": "✅ The same accuracies, to the last digit. The costs differ by up to {gap:.1e}: "
              "the app's cost rose at iteration {rose} (this learning rate overshoots before "
              "it settles), and while it does, a difference in the last binary digit grows "
              "for a while before it shrinks again (the app computes the same steps in "
              "another order, to be fast).",
        "ko": "✅ 정확도는 마지막 자리까지 같습니다. 비용은 최대 {gap:.1e}만큼 다릅니다: 앱의 비용이 "
              "반복 {rose}에서 올라갔고(이 학습률은 자리를 잡기 전에 지나칩니다), 그동안 마지막 "
              "이진 자릿수의 차이가 잠시 커졌다가 다시 줄어듭니다(앱은 빠르게 하려고 같은 단계를 "
              "다른 순서로 계산합니다)."},
    "verdict_different": {
        "en": "❌ Not the numbers the app showed. Are these the same data files, and the "
              "settings unchanged?",
        "ko": "❌ 앱이 보여 준 숫자와 다릅니다. 같은 데이터 파일인지, 설정을 바꾸지 않았는지 "
              "확인하세요."},
}


def say(key, lang, **fields):
    """TEXT[key] in ``lang``, its ``{fields}`` filled in."""
    text = TEXT[key][lang]
    return text.format(**fields) if fields else text


# ------------------------------------------------------------------------- the program
# Code templates: ``$name`` is filled in (string.Template), so the code keeps its braces.

IMPORTS = """\
import hashlib
import os
import urllib.request
from pathlib import Path

import h5py
import numpy as np"""

FIND_DATA = '''\
def find_data():
    """The folder holding both files: $$LOGREG_DATA_DIR, else the one beside this program."""
    folders = [Path(os.environ["LOGREG_DATA_DIR"])] if os.environ.get("LOGREG_DATA_DIR") else []
    folders.append(HERE)
    for folder in folders:
        if all((folder / name).is_file() for name in FILES):
            return folder
    $missing'''

MISSING_FILES = """raise FileNotFoundError($not_found.format(
        files=" + ".join(FILES), folders=", ".join(str(f) for f in folders)))"""

DOWNLOAD = '''\
# Public copies of the course's files; each file's size and sha256 are pinned, as the app
# pins them, and both files come from one mirror.
MIRRORS = $mirrors


def download(folder):
    """Both files from the first mirror whose copies have the pinned size and sha256."""
    for mirror in MIRRORS:
        try:
            contents = {name: fetch(mirror["url"].replace("{name}", name), mirror["files"][name])
                        for name in FILES}
        except (OSError, ValueError) as error:
            print(f"skipped {mirror['url']}: {error}")
            continue
        for name, content in contents.items():
            partial = folder / (name + ".part")
            partial.write_bytes(content)
            os.replace(partial, folder / name)
        print($downloaded.format(files=" + ".join(FILES), folder=folder))
        return folder
    raise RuntimeError($no_mirror)


def fetch(url, pin):
    """The file at url, refused unless it has the pinned size and sha256."""
    with urllib.request.urlopen(url, timeout=30) as response:
        content = response.read(pin["size"] + 1)
    if len(content) != pin["size"]:
        raise ValueError(f"got {len(content):,} bytes, expected {pin['size']:,}")
    if hashlib.sha256(content).hexdigest() != pin["sha256"]:
        raise ValueError("its sha256 is not the pinned one")
    return content'''

LOAD_DATA = '''\
def class_names(h5):
    """The two class names as text (the files hold them as bytes)."""
    if "list_classes" not in h5:
        return $default_classes
    return [c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c)
            for c in np.ravel(h5["list_classes"][:])]


def load_dataset(folder):
    """The course's load_dataset: pictures (m, num_px, num_px, 3), labels (1, m), classes."""
    with h5py.File(folder / FILES[0], "r") as train_dataset:
        train_set_x_orig = np.array(train_dataset["train_set_x"][:])
        train_set_y_orig = np.array(train_dataset["train_set_y"][:])
        classes = class_names(train_dataset)
    with h5py.File(folder / FILES[1], "r") as test_dataset:
        test_set_x_orig = np.array(test_dataset["test_set_x"][:])
        test_set_y_orig = np.array(test_dataset["test_set_y"][:])
    train_set_y_orig = train_set_y_orig.reshape((1, train_set_x_orig.shape[0]))
    test_set_y_orig = test_set_y_orig.reshape((1, test_set_x_orig.shape[0]))
    return train_set_x_orig, train_set_y_orig, test_set_x_orig, test_set_y_orig, classes


train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset(find_data())
found = {"m_train": train_set_x_orig.shape[0], "m_test": test_set_x_orig.shape[0],
         "num_px": train_set_x_orig.shape[1],
         "channels": train_set_x_orig.shape[3] if train_set_x_orig.ndim == 4 else 1,
         "classes": classes}
if found != EXPECTED:
    raise ValueError($other_data.format(found=found, expected=EXPECTED))
print(f"m_train = {found['m_train']}, m_test = {found['m_test']}, "
      f"num_px = {found['num_px']}, channels = {found['channels']}, classes = {classes}")'''

FLATTEN = """\
train_set_x_flatten = train_set_x_orig.reshape(train_set_x_orig.shape[0], -1).T
test_set_x_flatten = test_set_x_orig.reshape(test_set_x_orig.shape[0], -1).T"""

# Each assigns train_set_x and test_set_x as logreg.preprocessing scales them, bit for bit.
SCALE = {
    "raw": """\
train_set_x = train_set_x_flatten.astype(float)
test_set_x = test_set_x_flatten.astype(float)""",
    "divide255": """\
train_set_x = train_set_x_flatten / 255.
test_set_x = test_set_x_flatten / 255.""",
    "zscore": """\
pixels = train_set_x_flatten.astype(float)
mean = pixels.mean(axis=1, keepdims=True)
std = pixels.std(axis=1, keepdims=True)
std[std == 0] = 1   # a pixel that never changes carries no information: it stays 0
train_set_x = (pixels - mean) / std
test_set_x = (test_set_x_flatten.astype(float) - mean) / std""",
}

SIGMOID = '''\
def sigmoid(z):
    """1 / (1 + exp(-z)), computed so that exp only ever sees -|z|: no overflow."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))'''

LOGISTIC_FUNCTIONS = ['''\
def initialize_with_zeros(dim):
    """w of shape (dim, 1) filled with zeros, and b = 0."""
    w = np.zeros((dim, 1))
    b = 0.0
    return w, b''', '''\
def propagate(w, b, X, Y):
    """The cost J and its gradients dw, db: one forward and one backward pass."""
    m = X.shape[1]
    # Forward: A = sigmoid(w.T X + b), and the cost J = -(1/m) sum(Y log A + (1-Y) log(1-A)),
    # with log A = -log(1 + exp(-Z)) and log(1 - A) = -log(1 + exp(Z)).
    Z = np.dot(w.T, X) + b
    A = sigmoid(Z)
    cost = np.sum(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)) / m
    # Backward: dJ/dZ = A - Y.
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    grads = {"dw": dw, "db": db}
    return grads, float(cost)''', '''\
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """Gradient descent: num_iterations updates w := w - learning_rate dw (and b)."""
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % $every == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))
    params = {"w": w, "b": b}
    grads = {"dw": dw, "db": db}
    return params, grads, costs''', '''\
def predict(w, b, X):
    """1 where the probability of class 1 is above $threshold, else 0; shape (1, m)."""
    A = sigmoid(np.dot(w.T, X) + b)
    return (A > $threshold).astype(float)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
          print_cost=False):
    """Initialise, optimise, predict on both sets, and print the accuracies."""
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate,
                                    print_cost)
    w = params["w"]
    b = params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)
    train_accuracy = 100 - np.mean(np.abs(Y_prediction_train - Y_train)) * 100
    test_accuracy = 100 - np.mean(np.abs(Y_prediction_test - Y_test)) * 100
    if print_cost:
        print("train accuracy: {} %".format(train_accuracy))
        print("test accuracy: {} %".format(test_accuracy))
    return {"costs": costs, "Y_prediction_test": Y_prediction_test,
            "Y_prediction_train": Y_prediction_train, "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations,
            "train_accuracy": train_accuracy, "test_accuracy": test_accuracy}''']

ACTIVATIONS = {
    "relu": '''\
def relu(Z):
    return np.maximum(0, Z)


def relu_backward(dA, Z):
    """dZ = dA where Z > 0, else 0."""
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ''',
    "tanh": '''\
def tanh_backward(dA, Z):
    """dZ = dA (1 - tanh(Z)^2)."""
    A = np.tanh(Z)
    return dA * (1 - A * A)''',
}
# The hidden layers' A = g(Z) and dZ = g'(dA, Z), by activation.
HIDDEN_FORWARD = {"relu": "relu(Z)", "tanh": "np.tanh(Z)"}
HIDDEN_BACKWARD = {"relu": "relu_backward", "tanh": "tanh_backward"}
INIT_CODE = {
    "small": "np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01",
    "scaled": "np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])",
    "zeros": "np.zeros((layer_dims[l], layer_dims[l - 1]))",
}
# How they are drawn, in the docstring of initialize_parameters_deep.
INIT_WORDS = {"small": "randn x 0.01", "scaled": "randn / sqrt(units in the previous layer)",
              "zeros": "all zero"}

NETWORK_FUNCTIONS = ['''\
def initialize_parameters_deep(layer_dims, seed):
    """W1, b1, ..., WL, bL: weights $init_words, biases zero."""
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = $init_code
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters''', '''\
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b), g the output's sigmoid or the hidden layers' $activation."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else $hidden_forward
    return A, (linear_cache, Z)


def L_model_forward(X, parameters):
    """[LINEAR -> $activation] x (L - 1) -> LINEAR -> SIGMOID; returns AL and the caches."""
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)],
                                             parameters["b" + str(l)], "$activation")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)],
                                          parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches''', '''\
def compute_cost(ZL, Y):
    """J = -(1/m) sum(Y log AL + (1-Y) log(1-AL)), from the output layer's ZL so that it
    stays finite where AL rounds to 0 or 1 (log AL = -log(1 + exp(-ZL)))."""
    m = Y.shape[1]
    cost = np.sum(Y * np.logaddexp(0, -ZL) + (1 - Y) * np.logaddexp(0, ZL)) / m
    return float(cost)''', '''\
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def L_model_backward(AL, Y, caches):
    """dW1, db1, ..., dWL, dbL. The output layer's dZL = AL - Y: the course's
    dAL = -(Y/AL - (1-Y)/(1-AL)) times the sigmoid's AL(1 - AL)."""
    grads = {}
    L = len(caches)
    dZ = AL - Y
    for l in reversed(range(1, L + 1)):
        linear_cache, Z = caches[l - 1]
        dA_prev, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, linear_cache)
        if l > 1:
            dZ = $hidden_backward(dA_prev, caches[l - 2][1])
    return grads


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters''', '''\
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False, seed=1):
    """Gradient descent on the network; returns the parameters and the cost every $every
    iterations."""
    costs = []
    parameters = initialize_parameters_deep(layers_dims, seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(caches[-1][1], Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % $every == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration {}: {}".format(i, cost))
    return parameters, costs


def predict(X, parameters):
    """1 where the probability of class 1 is above $threshold, else 0; shape (1, m)."""
    AL, caches = L_model_forward(X, parameters)
    return (AL > $threshold).astype(float)


def accuracy(Y_prediction, Y):
    """The percentage of right answers, as the course computes it."""
    return 100 - np.mean(np.abs(Y_prediction - Y)) * 100''']

TRAIN_LOGISTIC = """\
d = model(train_set_x, train_set_y, test_set_x, test_set_y, num_iterations=NUM_ITERATIONS,
          learning_rate=LEARNING_RATE, print_cost=True)"""

TRAIN_NETWORK = """\
layers_dims = [train_set_x.shape[0], *HIDDEN_LAYERS, 1]
parameters, costs = L_layer_model(train_set_x, train_set_y, layers_dims, LEARNING_RATE,
                                  NUM_ITERATIONS, print_cost=True, seed=SEED)
train_accuracy = accuracy(predict(train_set_x, parameters), train_set_y)
test_accuracy = accuracy(predict(test_set_x, parameters), test_set_y)
print("train accuracy: {} %".format(train_accuracy))
print("test accuracy: {} %".format(test_accuracy))"""

TRAIN_PLAYGROUND = """\
layers_dims = [X.shape[0], *HIDDEN_LAYERS, 1]
parameters, costs = L_layer_model(X, Y, layers_dims, LEARNING_RATE, NUM_ITERATIONS,
                                  print_cost=True, seed=SEED)
train_accuracy = accuracy(predict(X, parameters), Y)
print("train accuracy: {} %".format(train_accuracy))"""

TRAIN_NORMALIZATION = """\
results = {}
for mode in SCALINGS:
    print("---", mode)
    train_set_x, test_set_x = scale(mode)
    results[mode] = model(train_set_x, train_set_y, test_set_x, test_set_y,
                          num_iterations=NUM_ITERATIONS, learning_rate=LEARNING_RATE,
                          print_cost=True)"""

# Drawing: the notebook shows the figure (inline, whatever MPLBACKEND says: Streamlit sets it
# to Agg, which shows nothing), the script saves it beside itself as a PNG.
PLOT_START = {
    "notebook": """\
try:
    import matplotlib.pyplot as plt
    %matplotlib inline
except ImportError:
    plt = None
    print($no_matplotlib)""",
    "script": """\
try:
    import matplotlib
    matplotlib.use("Agg")   # into a file, no window
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print($no_matplotlib)""",
}
PLOT_END = {
    "notebook": "    plt.show()",
    "script": """\
    picture = Path(__file__).with_suffix(".png")
    plt.savefig(picture)
    print($saved_plot.format(path=picture))""",
}
PLOT_BODY = {
    "logistic": """\
if plt is not None:
    plt.plot(np.squeeze(d["costs"]))
    plt.ylabel("cost")
    plt.xlabel("iterations (per hundreds)")
    plt.title("Learning rate =" + str(LEARNING_RATE))""",
    "network": """\
if plt is not None:
    plt.plot(np.squeeze(costs))
    plt.ylabel("cost")
    plt.xlabel("iterations (per hundreds)")
    plt.title("Learning rate =" + str(LEARNING_RATE))""",
    "normalization": """\
if plt is not None:
    for mode, d in results.items():
        plt.plot(np.squeeze(d["costs"]), label=mode)
    plt.yscale("log")   # raw pixels' costs span many orders of magnitude
    plt.ylabel("cost")
    plt.xlabel("iterations (per hundreds)")
    plt.title("Learning rate =" + str(LEARNING_RATE))
    plt.legend()""",
    "playground": """\
if plt is not None:
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    left.plot(np.squeeze(costs))
    left.set_ylabel("cost")
    left.set_xlabel("iterations (per hundreds)")
    left.set_title("Learning rate =" + str(LEARNING_RATE))
    x1, x2 = np.meshgrid(np.linspace(X[0].min() - 0.5, X[0].max() + 0.5, 200),
                         np.linspace(X[1].min() - 0.5, X[1].max() + 0.5, 200))
    P = L_model_forward(np.vstack([x1.ravel(), x2.ravel()]), parameters)[0].reshape(x1.shape)
    right.contourf(x1, x2, P, levels=20, cmap="RdBu_r", alpha=0.6)
    right.contour(x1, x2, P, levels=[0.5], colors="black")
    right.scatter(X[0], X[1], c=Y.ravel(), cmap="RdBu_r", s=12, edgecolors="black",
                  linewidths=0.3)
    right.set_title("P(class 1) and the boundary P = 0.5")
    figure.tight_layout()""",
}

COMPARE = '''\
TOLERANCE = $tolerance
SAY = $say


def compare(costs, train_accuracy, test_accuracy, app):
    """Print this run's numbers beside the app's, then the verdict; returns "same",
    "rounding" (the same accuracies, costs apart after the app's cost rose) or "different"."""
    gaps = [abs(a - b) / max(1.0, abs(b)) for a, b in zip(costs, app["costs"])]
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    same_costs = len(costs) == len(app["costs"]) and gaps[worst] <= TOLERANCE
    print(SAY["costs"].format(every=$every, same=sum(g <= TOLERANCE for g in gaps),
                              count=len(app["costs"]), tolerance=TOLERANCE, gap=gaps[worst],
                              iteration=$every * worst))
    same_accuracies = True
    for name, here in (("train_accuracy", train_accuracy), ("test_accuracy", test_accuracy)):
        if app[name] is None:
            continue
        same = float(here) == app[name]
        same_accuracies = same_accuracies and same
        print(SAY["accuracy"].format(name=SAY[name], here=float(here), app=app[name],
                                     verdict=SAY["the_same" if same else "different"]))
    if same_costs and same_accuracies:
        outcome = "same"
    elif same_accuracies and app["rose_at"] is not None:
        outcome = "rounding"
    else:
        outcome = "different"
    print(SAY["verdict_" + outcome].format(tolerance=TOLERANCE, gap=gaps[worst],
                                           rose=app["rose_at"]))
    return outcome'''

CHECK_ONE = "outcome = compare($costs, $train_accuracy, $test_accuracy, APP)"

CHECK_MANY = """\
outcomes = []
for mode, app in APP.items():
    print("---", mode)
    outcomes.append(compare(results[mode]["costs"], results[mode]["train_accuracy"],
                            results[mode]["test_accuracy"], app))
outcome = max(outcomes, key=["same", "rounding", "different"].index)"""

CHECK_SOURCES = {
    "logistic": ('d["costs"]', 'd["train_accuracy"]', 'd["test_accuracy"]'),
    "network": ("costs", "train_accuracy", "test_accuracy"),
    "playground": ("costs", "train_accuracy", "None"),
}
# The script says by its exit status whether it printed the app's numbers.
SCRIPT_END = 'raise SystemExit(1 if outcome == "different" else 0)'


def _fill(template, **values):
    return Template(template).substitute(**values)


def _number(value):
    """A float as a Python literal, infinities and NaN included."""
    return repr(value) if math.isfinite(value) else f'float("{value}")'


def _list(values, per_line=4, indent=4):
    """A Python list literal of numbers, a few to a line."""
    values = [_number(v) for v in values]
    if len(values) <= per_line:
        return "[" + ", ".join(values) + "]"
    rows = [", ".join(values[i:i + per_line]) for i in range(0, len(values), per_line)]
    pad = " " * indent
    return "[\n" + ",\n".join(pad + row for row in rows) + ",\n" + pad[:-4] + "]"


def _app_values(shown, indent=4):
    """The app's numbers as a dict literal."""
    pad = " " * indent
    return ("{\n"
            f"{pad}\"costs\": {_list(shown.costs, indent=indent + 4)},\n"
            f"{pad}\"train_accuracy\": {_number(shown.train_accuracy)},\n"
            f"{pad}\"test_accuracy\": "
            f"{'None' if shown.test_accuracy is None else _number(shown.test_accuracy)},\n"
            f"{pad}\"rose_at\": {shown.rose_at!r},\n"
            + pad[:-4] + "}")


def _scaling_words(mode, lang):
    return f"`{mode}` — {say('scaling_' + mode, lang)}"


def _settings_table(export, lang):
    """The run's settings as a Markdown table (numbers and known ids only)."""
    run = export.runs[0].settings
    rows = [(say("iterations", lang), f"{run.iterations:,}"),
            (say("learning_rate", lang), f"{run.learning_rate!r}")]
    if export.kind == "normalization":
        rows.append((say("scalings", lang), " · ".join(f"`{r.settings.scaling}`"
                                                       for r in export.runs)))
    elif run.scaling is not None:
        rows.append((say("scaling", lang), _scaling_words(run.scaling, lang)))
    if isinstance(run, Network):
        n_x = 2 if export.kind == "playground" else export.data.n_x
        rows += [(say("network", lang), "-".join(map(str, (n_x, *run.hidden, 1)))),
                 (say("activation", lang), f"`{run.activation}`"),
                 (say("init", lang), f"`{run.init}` — {say('init_' + run.init, lang)}"),
                 (say("seed", lang), str(run.seed))]
    if export.kind == "playground":
        points = export.data
        rows.insert(0, (say("points", lang), say("points_value", lang,
                                                 generator=points.function.__name__,
                                                 m=points.m, seed=points.seed)
                        + (f", noise {points.noise!r}" if points.noise is not None else "")))
    return "\n".join([say("setting", lang), "| --- | --- |",
                      *(f"| {name} | {value} |" for name, value in rows)])


def _settings_code(export):
    run = export.runs[0].settings
    lines = []
    if export.kind == "playground":
        points = export.data
        lines += [f"M = {points.m}   # points", f"DATA_SEED = {points.seed}"]
        if points.noise is not None:
            lines.append(f"NOISE = {points.noise!r}")
    if isinstance(run, Network):
        lines += [f"HIDDEN_LAYERS = {list(run.hidden)!r}   # units in each hidden layer",
                  f"SEED = {run.seed}   # of the initial weights"]
    lines += [f"NUM_ITERATIONS = {run.iterations}", f"LEARNING_RATE = {run.learning_rate!r}"]
    if export.kind == "normalization":
        lines.append(f"SCALINGS = {[r.settings.scaling for r in export.runs]!r}")
    elif run.scaling is not None:
        lines.append(f"SCALING = {run.scaling!r}   # how the pixels are scaled below")
    if isinstance(export.data, Pictures):
        data = export.data
        expected = {"m_train": data.m_train, "m_test": data.m_test, "num_px": data.num_px,
                    "channels": data.channels, "classes": list(data.classes)}
        lines += ["",
                  f"DATASET = {data.name!r}",
                  f"FILES = {list(data.files)!r}",
                  "# What the app trained on, to check the files against.",
                  "EXPECTED = {" + ", ".join(f"{k!r}: {v!r}" for k, v in expected.items()
                                             if k != "classes")
                  + f",\n            'classes': {expected['classes']!r}}}"]
    return "\n".join(lines)


def _data_code(export, lang, target):
    data = export.data
    here = ("HERE = Path.cwd()   # the folder Jupyter runs this notebook in"
            if target == "notebook" else "HERE = Path(__file__).resolve().parent")
    missing = ("return download(HERE)" if data.mirrors else
               _fill(MISSING_FILES, not_found=repr(say("not_found", lang))))
    parts = [here, "", "", _fill(FIND_DATA, missing=missing)]
    if data.mirrors:
        names, mirrors = load_mirrors()
        listed = [{"url": m.url, "files": {name: {"size": m.pin_sets[0][name].size,
                                                  "sha256": m.pin_sets[0][name].sha256}
                                           for name in names}} for m in mirrors]
        if tuple(names) != data.files:
            raise ValueError(f"the mirrors serve {names}, not {data.files}")
        parts += ["", "", _fill(DOWNLOAD, mirrors=_mirrors_literal(listed),
                                downloaded=repr(say("downloaded", lang)),
                                no_mirror=repr(say("no_mirror", lang)))]
    parts += ["", "", _fill(LOAD_DATA, default_classes=repr(list(DEFAULT_CLASSES)),
                            other_data=repr(say("other_data", lang)))]
    return "\n".join(parts)


def _mirrors_literal(mirrors):
    """The mirrors as a list literal, one file's pin to a line."""
    rows = []
    for mirror in mirrors:
        files = [f"{name!r}: {{'size': {pin['size']}, 'sha256': {pin['sha256']!r}}}"
                 for name, pin in mirror["files"].items()]
        rows.append(f"    {{'url': {mirror['url']!r},\n"
                    f"     'files': {{" + ",\n               ".join(files) + "}},")
    return "[\n" + "\n".join(rows) + "\n]"


def _points_code(export):
    points = export.data
    source = inspect.getsource(points.function).rstrip()
    noise = ", noise=NOISE" if points.noise is not None else ""
    return (f"{source}\n\n\nX, Y = {points.function.__name__}(m=M, seed=DATA_SEED{noise})\n"
            'print(f"{X.shape[1]} points, {int(Y.sum())} of them in class 1")')


def _scale_function():
    branches = []
    for i, mode in enumerate(SCALING_MODES):
        keyword = "if" if i == 0 else "elif"
        body = "\n".join("        " + line for line in SCALE[mode].splitlines())
        branches.append(f"    {keyword} mode == {mode!r}:\n{body}")
    return ("def scale(mode):\n"
            '    """train_set_x and test_set_x under one scaling: '
            + ", ".join(SCALING_MODES) + '."""\n'
            + "\n".join(branches)
            + "\n    else:\n        raise ValueError(f\"unknown scaling {mode!r}\")"
            + "\n    return train_set_x, test_set_x")


def _check_code(export, lang):
    messages = {"costs": say("costs_line", lang), "accuracy": say("accuracy_line", lang),
                **{key: say(key, lang) for key in ("train_accuracy", "test_accuracy",
                                                   "the_same", "different")},
                **{f"verdict_{key}": say(f"verdict_{key}", lang)
                   for key in ("same", "rounding", "different")}}
    say_literal = "{\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in messages.items()) + "}"
    functions = _fill(COMPARE, tolerance=repr(TOLERANCE), say=say_literal, every=PRINT_EVERY)
    if export.kind == "normalization":
        app = ("APP = {\n" + "".join(f"    {run.settings.scaling!r}: "
                                     f"{_app_values(run.shown, indent=8)},\n"
                                     for run in export.runs) + "}")
        check = CHECK_MANY
    else:
        app = "APP = " + _app_values(export.runs[0].shown)
        costs, train, test = CHECK_SOURCES[export.kind]
        check = _fill(CHECK_ONE, costs=costs, train_accuracy=train, test_accuracy=test)
    return ("# What the app showed for this run, written in when it was exported.\n"
            f"{app}\n\n{functions}\n\n\n{check}")


def cells(export, lang="en", target="notebook"):
    """The program as [(cell type, source)], cell type ``"markdown"`` or ``"code"``;
    ``target`` is ``"notebook"`` or ``"script"`` (where the data and the picture go)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    if target not in ("notebook", "script"):
        raise ValueError(f"target must be 'notebook' or 'script', got {target!r}")
    kind, run = export.kind, export.runs[0].settings
    network = isinstance(run, Network)
    md = lambda *parts: ("markdown", "\n\n".join(parts))   # noqa: E731
    out = [md(say(f"title_{kind}", lang),
              say("intro_playground" if kind == "playground" else "intro", lang),
              _settings_table(export, lang))]
    if kind == "playground":
        out += [md(say("h_packages", lang), say("packages_playground", lang)),
                ("code", "import numpy as np" + ("\nfrom pathlib import Path"
                                                 if target == "script" else ""))]
    else:
        imports = IMPORTS if export.data.mirrors else "\n".join(
            line for line in IMPORTS.splitlines()
            if line not in ("import hashlib", "import urllib.request"))
        out += [md(say("h_packages", lang), say("packages", lang)), ("code", imports)]
    out += [md(say("h_settings", lang), say("settings", lang)),
            ("code", _settings_code(export))]
    if kind == "playground":
        out += [md(say("h_data", lang), say("data_points", lang)),
                ("code", _points_code(export))]
    else:
        data = export.data
        out += [md(say("h_data", lang),
                   say("data_mirrors" if data.mirrors else "data_files", lang),
                   say("data_check", lang)),
                ("code", _data_code(export, lang, target))]
        flatten = say("flatten", lang, n_x=data.n_x, num_px=data.num_px,
                      channels=data.channels)
        if kind == "normalization":
            out += [md(say("h_flatten", lang), flatten, say("scale_all", lang)),
                    ("code", FLATTEN + "\n\n\n" + _scale_function())]
        else:
            out += [md(say("h_flatten", lang), flatten, say(f"scale_{run.scaling}", lang)),
                    ("code", FLATTEN + "\n" + SCALE[run.scaling])]
    values = dict(every=PRINT_EVERY, threshold=repr(THRESHOLD))
    if network:
        note = md(say("h_functions", lang),
                  say("functions_network", lang, activation=run.activation),
                  *([] if kind == "playground" else [say("gram_note", lang)]))
        values.update(activation=run.activation, init_code=INIT_CODE[run.init],
                      init_words=INIT_WORDS[run.init],
                      hidden_forward=HIDDEN_FORWARD[run.activation],
                      hidden_backward=HIDDEN_BACKWARD[run.activation])
        functions = [SIGMOID + "\n\n\n" + ACTIVATIONS[run.activation], *NETWORK_FUNCTIONS]
    else:
        note = md(say("h_functions", lang), say("functions_logistic", lang),
                  say("gram_note", lang))
        functions = [SIGMOID, *LOGISTIC_FUNCTIONS]
    out += [note, *(("code", _fill(code, **values)) for code in functions)]
    train = {"logistic": TRAIN_LOGISTIC, "network": TRAIN_NETWORK,
             "playground": TRAIN_PLAYGROUND, "normalization": TRAIN_NORMALIZATION}[kind]
    out += [md(say("h_train", lang), say(f"train_{kind}", lang, every=PRINT_EVERY)),
            ("code", train)]
    plot_words = {key: repr(say(key, lang)) for key in ("no_matplotlib", "saved_plot")}
    out += [md(say("h_plot", lang), say("plot_playground" if kind == "playground" else "plot",
                                        lang, every=PRINT_EVERY)),
            ("code", "\n".join(_fill(part, **plot_words) for part in
                               (PLOT_START[target], PLOT_BODY[kind], PLOT_END[target])))]
    check = _check_code(export, lang) + ("\n" + SCRIPT_END if target == "script" else "")
    out += [md(say("h_check", lang), say("check", lang, every=PRINT_EVERY,
                                         tolerance=TOLERANCE)),
            ("code", check)]
    return out


# --------------------------------------------------------------------------- the files


def notebook(export, lang="en"):
    """The program as a Jupyter notebook: nbformat 4.5 JSON text."""
    found = cells(export, lang, "notebook")
    return json.dumps({
        "cells": [_cell(kind, source, i) for i, (kind, source) in enumerate(found, start=1)],
        "metadata": NOTEBOOK_METADATA,
        "nbformat": 4,
        "nbformat_minor": 5,
    }, indent=1, ensure_ascii=False) + "\n"


def _cell(kind, source, number):
    lines = source.splitlines(keepends=True)
    cell = {"cell_type": kind, "id": f"cell-{number}", "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def script(export, lang="en"):
    """The program as a Python script: the notebook's Markdown as comments."""
    parts = ["#!/usr/bin/env python3"]
    for kind, source in cells(export, lang, "script"):
        if kind == "markdown":
            lines = []
            for line in source.splitlines():
                wrapped = [line] if line.startswith("|") else textwrap.wrap(line, 86) or [""]
                lines += [("# " + part).rstrip() for part in wrapped]
            parts.append("\n".join(lines))
        else:
            parts.append(source)
    return "\n\n\n".join(parts) + "\n"


def file_stem(export):
    """A file name for the run, from its settings (safe characters only, no suffix)."""
    run = export.runs[0].settings
    rate = f"lr{run.learning_rate:g}"
    if export.kind == "playground":
        points = export.data
        parts = ["playground", points.generator, f"m{points.m}", f"seed{points.seed}"]
    else:
        parts = [export.kind if export.kind != "logistic" else "logreg",
                 safe_name(export.data.name)]
    if isinstance(run, Network):
        parts += ["-".join(map(str, run.hidden)) or "no-hidden", run.activation, run.init,
                  f"seed{run.seed}"]
    parts += [f"{run.iterations}it", rate]
    if export.kind == "normalization":
        parts += [r.settings.scaling for r in export.runs]
    elif run.scaling is not None:
        parts.append(run.scaling)
    return safe_name("_".join(parts), fallback="run", limit=MAX_STEM)


def file_name(export, suffix):
    """``<stem>.ipynb``, ``<stem>.py`` or ``<stem>.zip``."""
    if suffix not in (".ipynb", ".py", ".zip"):
        raise ValueError(f"suffix must be .ipynb, .py or .zip, got {suffix!r}")
    return file_stem(export) + suffix


# Zip members get a fixed time, so the same run gives the same bytes.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def archive(export, pair, lang="en"):
    """A ``.zip`` of one folder: the notebook, the script and the dataset's ``.h5`` pair
    (``pair``: the two files' bytes, train first), so the program finds them beside it."""
    if not isinstance(export.data, Pictures):
        raise ValueError("only an image dataset travels in a zip: points are made in code")
    stem = file_stem(export)
    members = [(f"{stem}.ipynb", notebook(export, lang).encode("utf-8")),
               (f"{stem}.py", script(export, lang).encode("utf-8")),
               *zip(export.data.files, pair)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive_file:
        for name, content in members:
            info = zipfile.ZipInfo(f"{stem}/{name}", ZIP_TIME)
            # The .h5 pixels barely compress; the text does.
            info.compress_type = (zipfile.ZIP_STORED if name.endswith(".h5")
                                  else zipfile.ZIP_DEFLATED)
            info.external_attr = 0o644 << 16
            archive_file.writestr(info, content)
    return buffer.getvalue()


def archive_size(pair_sizes, texts):
    """About how many bytes :func:`archive` gives, from the pair's sizes and the notebook's
    and the script's text: the ``.h5`` files are stored as they are, the text is counted
    uncompressed, so this is an upper bound within a few kilobytes."""
    return sum(pair_sizes) + sum(len(text.encode("utf-8")) for text in texts) + 500
