"""How it works: the four equations of one training step, next to the code that runs them."""
import inspect
import textwrap

import streamlit as st

from logreg import core, gradcheck, trainer
from studio.display import presenter
from studio.frame import shell
from studio.session.i18n import t

shell.page_setup()
st.title(t("How it works"))
st.caption(t("One gradient-descent step is four lines of maths. Here each one sits next to "
             "the engine code that computes it (the course's functions, then the trainer the "
             "Train page runs)."))


def step(title, latex, text, functions):
    st.header(title)
    left, right = st.columns([2, 3])
    with left:
        for formula in latex:
            st.latex(formula)
        st.markdown(text)
    with right:
        for function in functions:
            st.code(textwrap.dedent(inspect.getsource(function)), language="python",
                    wrap_lines=True)


step(t("1 · Forward propagation"),
     [r"z^{(i)} = w^T x^{(i)} + b", r"a^{(i)} = \sigma(z^{(i)}) = \frac{1}{1 + e^{-z^{(i)}}}",
      r"Z = w^T X + b, \quad A = \sigma(Z) \quad (1 \times m)"],
     t("Every image $x^{(i)}$ is a column of pixel values. The model multiplies each pixel "
       "by its weight, adds the bias and squashes the sum into a probability with the "
       "sigmoid. Stacking the $m$ images as columns of $X$ does all of them in one matrix "
       "product. The sigmoid here never overflows: for negative $z$ it uses "
       "$e^{z}/(1+e^{z})$."),
     [core.sigmoid])

step(t("2 · Cost"),
     [r"\mathcal{L}(a, y) = -\,y \log a - (1 - y) \log(1 - a)",
      r"J = \frac{1}{m} \sum_{i=1}^{m} \mathcal{L}(a^{(i)}, y^{(i)})",
      # one identity per line: side by side they were wider than a phone (or the column)
      r"-\log \sigma(z) = \log(1 + e^{-z})", r"-\log(1 - \sigma(z)) = \log(1 + e^{z})"],
     t("The cross-entropy punishes confident wrong answers hard. Computed from $A$, it "
       "breaks as soon as $A$ rounds to exactly 0 or 1 ($\\log 0$). Written with $z$ instead "
       "(`np.logaddexp(0, -z)` is $\\log(1 + e^{-z})$), it is the same number and stays "
       "finite even for raw 0–255 pixels."),
     [core.cost_from_logits])

step(t("3 · Backward propagation"),
     [r"dZ = \frac{\partial (mJ)}{\partial Z} = A - Y",
      r"dw = \frac{\partial J}{\partial w} = \frac{1}{m} X (A - Y)^T",
      r"db = \frac{\partial J}{\partial b} = \frac{1}{m} \sum_{i=1}^{m} (a^{(i)} - y^{(i)})"],
     t("The gradient says how the cost changes when each weight moves a little. For "
       "logistic regression it is remarkably simple: the error $A - Y$ of each image, "
       "weighted by its pixels, averaged. Why there is no $A(1-A)$ in it is derived below."),
     [core.propagate])

step(t("4 · Update"),
     [r"w := w - \alpha \, dw", r"b := b - \alpha \, db"],
     t("Step downhill by the learning rate $\\alpha$ times the gradient, and repeat "
       "`num_iterations` times: that is the course's `optimize`. Here it hands the loop to "
       "the trainer the Train page runs, whose `step` is the same four lines: $Z$, then $A$ "
       "and the cost, then $dZ = A - Y$, then the update ($\\frac{1}{m}$ is folded into "
       "the step size)."),
     [trainer.optimize, trainer.Trainer.step])
with st.expander(t("For the curious: how the Train page runs 30 times faster")):
    st.latex(r"w = X c: \quad Z = c^T (X^T X) + b")   # two lines: a phone's width
    st.latex(r"c := c - \frac{\alpha}{m} (A - Y)^T")
    st.markdown(t("When there are fewer images than pixels (209 against 12,288 on the cat "
                  "data) the trainer stores $w$ as a mix of the training images, $w = X c$ "
                  "for an $m$-vector $c$, so every iteration works with the $m \\times m$ "
                  "matrix $X^T X$ instead of $X$ (`_step_gram`). There it follows $Z$ itself: "
                  "$\\sigma(z) = \\tfrac{1}{2}(1 + \\tanh \\tfrac{z}{2})$ turns an "
                  "update into one `tanh` and one matrix-vector product, and the costs are "
                  "computed afterwards for a whole block of iterations (`sigmoid_and_cost` "
                  "gives $A$ and the cost from one `logaddexp`): the same updates, over 30 "
                  "times faster on the cat data."))
    for function in (trainer.Trainer._step_gram, core.sigmoid_and_cost):
        st.code(textwrap.dedent(inspect.getsource(function)), language="python",
                wrap_lines=True)

st.divider()
st.header(t("Check the gradient yourself"))
# The formulas are fields: a message's braces are its placeholders.
st.markdown(t("If the formulas for $dw$ and $db$ are right, they must agree with the slope "
              "measured directly: nudge one parameter by {nudge} and see how the cost moves, "
              "{slope}. The relative difference {relative} should be tiny (below {tiny}).",
              nudge=r"$\pm\varepsilon$",
              slope=r"$\frac{J(\theta + \varepsilon) - J(\theta - \varepsilon)}{2\varepsilon}$",
              relative=r"$\frac{\lVert g_{\text{analytic}} - g_{\text{numerical}}\rVert}"
                       r"{\lVert g_{\text{analytic}}\rVert + \lVert g_{\text{numerical}}\rVert}$",
              tiny=r"$10^{-7}$"))
c1, c2, c3, c4 = st.columns(4)
n_features = c1.number_input(t("Features"), min_value=1, max_value=50, value=4,
                             key="gc_features")
m = c2.number_input(t("Examples"), min_value=1, max_value=200, value=6, key="gc_examples")
seed = c3.number_input(t("Random seed"), min_value=0, max_value=10_000, value=0, key="gc_seed",
                       help=t("Picks the random numbers of the small test problem; the same "
                              "seed gives the same problem."))
exponent = c4.select_slider("ε", options=[-3, -4, -5, -6, -7, -8], value=-7, key="gc_eps",
                            format_func=lambda e: f"1e{e}")
result = gradcheck.check(*gradcheck.random_problem(int(n_features), int(m), int(seed)),
                         epsilon=10.0 ** exponent)
names = [f"dw[{i}]" for i in range(int(n_features))] + ["db"]
columns = (t("parameter"), t("by the formula (propagate)"),
           t("measured (finite difference)"), t("difference"))
rows = [dict(zip(columns, (name, f"{a:.10f}", f"{n:.10f}", f"{abs(a - n):.2e}")))
        for name, a, n in zip(names, result.analytic, result.numerical)]
presenter.table(rows, "gradcheck")
if result.passed:
    st.success(t("Relative difference {difference:.2e} — the backward pass is correct.",
                 difference=result.relative_difference), icon=":material/check_circle:")
else:
    st.warning(t("Relative difference {difference:.2e}. With ε = {epsilon} rounding or "
                 "curvature errors dominate; 1e-7 is the usual choice.",
                 difference=result.relative_difference, epsilon=f"1e{exponent}"),
               icon=":material/warning:")
with st.expander(t("The gradient-check code")):
    st.code(inspect.getsource(gradcheck.check), language="python", wrap_lines=True)

st.divider()
st.header(t("Why A(1 − A) disappears"))
st.markdown(t("The chain rule goes from the cost through $a$ to $z$. For one example "
              "(the $\\frac{1}{m}$ of the average comes back at the end):"))
st.latex(r"\frac{\partial \mathcal{L}}{\partial a} = -\frac{y}{a} + \frac{1 - y}{1 - a}"
         r"= \frac{a - y}{a(1 - a)}")
st.latex(r"\frac{\partial a}{\partial z} = \sigma'(z) = a(1 - a)")
st.latex(r"\begin{aligned}\frac{\partial \mathcal{L}}{\partial z} &= "   # two lines fit a phone
         r"\frac{\partial \mathcal{L}}{\partial a}\cdot\frac{\partial a}{\partial z} \\ &= "
         r"\frac{a - y}{a(1 - a)} \cdot a(1 - a) = a - y\end{aligned}")
st.markdown(t("The factor $a(1-a)$ from the sigmoid's derivative **cancels exactly** against "
              "the denominator of {dl_da}. Nothing is dropped and nothing is approximated: "
              "$dZ = A - Y$ is the exact derivative, and the gradient check above confirms it "
              "numerically.", dl_da=r"$\frac{\partial \mathcal{L}}{\partial a}$"))
st.info(t(r"""**A note on the post this app started from**, a Korean blog post that walks
through the course's cat exercise in numpy. It writes
$\frac{\partial J}{\partial A} = \frac{1}{m}(A - Y)$, multiplies by $A(1 - A)$, and then says
the $A(1-A)$ term is removed "for convenience" because the learning rate can absorb it. Both
steps are wrong: $\frac{\partial J}{\partial A}$ is $\frac{1}{m}\left(-\frac{Y}{A} +
\frac{1 - Y}{1 - A}\right)$, not $\frac{1}{m}(A - Y)$, and $A(1 - A)$ is not dropped — it
cancels. Dropping it would not be harmless either: it is different for every example, so no
single learning rate could stand in for it."""), icon=":material/edit_note:")
