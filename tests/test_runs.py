"""studio.session.runs.evaluation: a model scored once per dataset, holding neither."""
import gc

from logreg import fit
from studio.session import runs

from app_support import toy_dataset


def test_scores_once_and_holds_neither_the_model_nor_the_dataset(monkeypatch):
    monkeypatch.setattr(runs.st, "session_state", {})
    dataset = toy_dataset()
    model = fit(dataset, 50, 0.005, "divide255")
    first = runs.evaluation(model, dataset)
    assert runs.evaluation(model, dataset) is first
    assert first.test_accuracy == model.evaluate(dataset).test_accuracy
    other = toy_dataset()   # equal, not the same: scored on its own
    assert runs.evaluation(model, other) is not first
    del dataset, other
    gc.collect()
    runs.evaluation(model, toy_dataset())
    # The removed datasets' entries went with them (only the last one's is kept).
    assert len(runs.st.session_state[runs.state.EVALUATIONS]) == 1
