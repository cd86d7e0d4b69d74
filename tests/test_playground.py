"""The playground without a browser: its points (made, split, crossed, read from CSV), the
frames a run records for the browser, and Stop / Step leaving the run's model where the
browser shows it."""
import numpy as np
import pytest

from logreg import planar
from logreg.network import NetworkTrainer, predict, predict_proba
from logreg.trainer import accuracy
from logreg.trajectory import Trajectory
from studio.sections import network


def flower_run(total=5000, hidden=(4,)):
    points = planar.Points.split(*planar.make("flower"))
    trainer = NetworkTrainer(*points.train, (2, *hidden, 1), 1.2, "tanh", "small", 1)
    trajectory = Trajectory(trainer, total, points.extent)
    return points, trainer, trajectory


# ----------------------------------------------------------------------------- points


def test_the_usual_noise_is_the_course_flower_and_noise_moves_the_points():
    X, Y = planar.make("flower")
    assert np.array_equal(planar.make("flower", noise=0.2)[0], X)
    assert not np.array_equal(planar.make("flower", noise=0.5)[0], X)
    assert np.array_equal(planar.make("XOR", noise=0.0)[0], planar.make("XOR")[0])
    with pytest.raises(ValueError, match="noise must be from 0 to 2"):
        planar.make("moons", noise=3)


def test_the_test_split_is_about_its_share_and_each_point_keeps_its_lot():
    X, _ = planar.make("moons")
    mask = planar.test_mask(X, 0.3)
    assert 0.2 < mask.mean() < 0.4
    assert not planar.test_mask(X, 0.0).any()
    # Another point, and one erased: every other point stays where it was.
    more = np.hstack([X, [[0.123], [4.56]]])
    assert np.array_equal(planar.test_mask(more, 0.3)[:-1], mask)
    assert np.array_equal(planar.test_mask(X[:, 1:], 0.3), mask[1:])


def test_feature_crosses_and_the_square_box():
    X = np.array([[1.0, -2.0], [3.0, 0.5]])
    assert np.array_equal(planar.with_crosses(X), [[1, -2], [3, 0.5], [1, 4], [9, 0.25],
                                                   [3, -1]])
    x0, x1, y0, y1 = planar.extent(X)
    assert x1 - x0 == pytest.approx(y1 - y0) and x0 < -2 and y1 > 3
    assert planar.extent(np.zeros((2, 0))) == planar.DEFAULT_EXTENT


@pytest.mark.parametrize("content, problem", [
    (b"x1,x2,label\n1,2,1\n3,4\n", "pts.csv, line 3: expected 3 values (x1, x2, label), got 2"),
    (b"1,2,0\n1,nan,1\n", "pts.csv, line 2: 'nan' is not a finite number from -1e+06 to 1e+06"),
    (b"1,2,0\n1,1e9,1\n", "pts.csv, line 2: '1e9' is not a finite number"),
    (b"1,2,0\nabc,1,1\n", "pts.csv, line 2: 'abc' is not a number"),
    (b"1,2,0\n1,2,2\n", "pts.csv, line 2: the label must be 0 or 1, got '2'"),
    (b"1,2,0\n1,2,yes\n", "the label must be 0 or 1, got 'yes'"),
    (b"x1,x2,label\n", "pts.csv: no points"),
    (b"", "pts.csv: no points"),
    (b"\xff\xfe\x00b", "pts.csv: not a text file"),
    (b"1,2,0\n" * 1001, "pts.csv: more than 1,000 points"),
    (b"0" * (100 * 1024 + 1), "pts.csv: the file is more than the limit of 100 kB"),
])
def test_a_bad_csv_is_refused_in_one_sentence_naming_the_file(content, problem):
    with pytest.raises(planar.PointsError) as refused:
        planar.read_points_csv(content, "pts.csv")
    assert problem in refused.value.args[0]
    assert "\n" not in refused.value.args[0]


def test_a_csv_of_points_with_a_header_and_blank_lines():
    X, Y = planar.read_points_csv(b"x1,x2,label\r\n0.5, -1, 1\r\n\r\n2,3e-1,0.0\n", "p.csv")
    assert np.array_equal(X, [[0.5, 2], [-1, 0.3]]) and np.array_equal(Y, [[1, 0]])


def test_points_from_the_browser_are_checked_like_a_file():
    X, Y = planar.points_from_rows([[1, 2, 1], [0.5, -3, 0]], "your points")
    assert X.shape == (2, 2) and Y.tolist() == [[1, 0]]
    for rows in ([[1, 2]], [[1, "x", 0]], [[1, 2, True]], [[float("inf"), 1, 0]],
                 [[1, 2, 1]] * 1001, [5], ["abc"], [{"x": 1}], [None], [[[1], 2, 0]]):
        with pytest.raises(planar.PointsError):
            planar.points_from_rows(rows, "your points")


# ----------------------------------------------------------------------------- frames


def test_the_frames_end_on_the_trained_model_and_the_course_number():
    points, trainer, trajectory = flower_run()
    trainer.run(5000)
    assert trajectory.complete and len(trajectory.iterations) == 101
    assert trajectory.iterations[:3] == [0, 50, 100] and trajectory.every == 50
    assert trajectory.train_accuracy[-1] == 90.75
    assert trajectory.costs[-1] == trainer.current_cost()
    # Every frame's cost is the trainer's own "cost after iteration i".
    assert trajectory.costs[:-1] == [trainer.costs[i] for i in trajectory.iterations[:-1]]
    G = planar.grid(points.extent)[2]
    P = predict_proba(G, trainer.parameters, "tanh").ravel()
    assert np.array_equal(trajectory.maps[-1], np.rint(P * 255).astype(np.uint8))
    assert len(trajectory.curve_iterations) == 501 and trajectory.curve_iterations[-1] == 5000
    # Logistic regression on the flower: the straight line's 47 %.
    _, line, frames = flower_run(hidden=())
    line.run(5000)
    assert frames.train_accuracy[-1] == 47.0


def test_stop_and_step_leave_the_runs_model_at_the_frame_shown():
    points, trainer, trajectory = flower_run(total=2000)
    run = network.PlaygroundRun(trainer, "playground:x", "none", 2000, points=points,
                                trajectory=trajectory, id="r1")
    trainer.run(2000)
    network.finish_playground(run)
    frame = trajectory.iterations.index(700)
    network.show_playground_frame(run, "stop", 700)
    assert run.status == "stopped" and run.trainer.iteration == 700
    again = NetworkTrainer(*points.train, (2, 4, 1), 1.2, "tanh", "small", 1).run(700)
    for name, value in again.parameters.items():
        assert np.array_equal(run.trainer.parameters[name], value)   # bit for bit
    answers = predict(run.trainer.X, run.trainer.parameters, "tanh")
    assert accuracy(answers, run.trainer.Y) == trajectory.train_accuracy[frame]
    assert trajectory.every == 20
    network.show_playground_frame(run, "step", 710)     # not a frame: ignored
    assert run.trainer.iteration == 700
    network.show_playground_frame(run, "step", 720)
    assert run.trainer.iteration == 720 and run.status == "stopped"
    assert len(trajectory.iterations) == 101            # nothing recorded twice
    network.show_playground_frame(run, "resume", None)
    assert run.status == "running"
    network.advance_playground(run)
    assert run.status == "done" and run.trainer.iteration == 2000
    network.show_playground_frame(run, "step", 2000)
    assert run.status == "done"
