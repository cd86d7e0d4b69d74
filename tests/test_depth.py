"""What a table of network runs says about depth (logreg.depth), on the figures the
Network page shows for the built-in faces and the course's cat data."""
from logreg.depth import Run, lessons, pictures

# The course's three models as the Network page trains them (tests/test_course_numbers.py
# and studio.sections.network.PRESETS): faces 150 / 50 pictures, cats 209 / 50.
FACES = [Run("625-1", 0, 626, 96.7, 98.0), Run("625-7-1", 1, 4390, 98.0, 98.0),
         Run("625-20-7-5-1", 3, 12713, 100.0, 96.0)]
CATS = [Run("12288-1", 0, 12289, 99.0, 70.0), Run("12288-7-1", 1, 86023, 100.0, 72.0),
        Run("12288-20-7-5-1", 3, 245941, 98.6, 80.0)]


def test_on_the_faces_one_neuron_is_enough_and_the_deeper_loss_is_explained():
    said = lessons(FACES, m_train=150, m_test=50)
    assert [m.template.split("**")[1] for m in said[:2]] == [
        "One neuron is already enough here", "Why the deeper network does worse"]
    assert "98 % of the 50 test pictures" in said[0]
    assert "625-20-7-5-1 fits the 150 training pictures at least as well as 625-1" in said[1]
    assert "1 more of the 50 test pictures wrong" in said[1] and "12,713 weights" in said[1]
    assert "gap between training and test is 4 points, against 0 for 625-1" in said[1]
    assert said[2].startswith("A difference of 1 of the 50 test pictures is within chance")


def test_on_the_cats_depth_pays_and_nothing_is_excused():
    said = lessons(CATS, m_train=209, m_test=50)
    assert len(said) == 1
    assert said[0].startswith("**Depth pays here**: 12288-20-7-5-1 gets 5 more of the 50")


def test_a_lone_run_or_nothing_says_only_what_it_can():
    assert lessons([], 150, 50) == []
    assert lessons(FACES[1:2], 150, 50) == []           # one network alone: nothing to compare
    assert "One neuron is already enough" in lessons(FACES[:1], 150, 50)[0]
    assert pictures(2.0, 50) == 1 and pictures(-4.0, 50) == 2
