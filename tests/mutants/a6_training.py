"""Common wrong answers to assignment a6 (a validation split, a momentum step, a classifier graded in bands)."""

from mutants import Mutant

SPLIT, STEP, TRAIN = "validation_split", "momentum_step", "train"
BANDS = {"test_train_80", "test_train_90", "test_train_92"}
DRAW = "rng.choice(members, size=round(fraction * members.size), replace=False)"
VELOCITY = "new_velocity = beta * velocity - lr * grad"

MUTANTS = [
    # part 1: train uses the split only to choose its learning rate, so these cost part 1 alone
    Mutant("not stratified", SPLIT, [("members = np.flatnonzero(y == label)", "members = np.arange(y.size)")],
           {"test_validation_split"}, "of class"),
    Mutant("the first examples of every class", SPLIT, [(DRAW, "members[:round(fraction * members.size)]")],
           {"test_validation_split"}, "at random"),
    Mutant("the fraction given to the wrong part", SPLIT, [("round(fraction * members.size)",
                                                            "round((1 - fraction) * members.size)")],
           {"test_validation_split"}, "not about"),
    Mutant("drawn with replacement", SPLIT, [("replace=False", "replace=True")], {"test_validation_split"},
           "of class"),
    Mutant("labels out of step with their columns", SPLIT, [("X[:, held], y[held]", "X[:, held], y[held][::-1]")],
           {"test_validation_split"}, "no longer match"),
    # part 2: train takes its steps with momentum_step, so a step that goes uphill ruins the training too
    Mutant("the velocity goes uphill", STEP, [(VELOCITY, "new_velocity = beta * velocity + lr * grad")],
           {"test_momentum_step"} | BANDS, "uphill"),
    Mutant("β on the gradient too", STEP, [(VELOCITY, "new_velocity = beta * (velocity - lr * grad)")],
           {"test_momentum_step"}, "β multiplies the old velocity only"),
    Mutant("the learning rate left out", STEP, [(VELOCITY, "new_velocity = beta * velocity - grad")],
           {"test_momentum_step"} | BANDS, "learning rate"),
    # part 3: graded on the outcome, in bands
    Mutant("learning rates far too small", TRAIN, [("(0.01, 0.03, 0.1)", "(0.00001, 0.00003, 0.0001)")], BANDS,
           "your network classifies"),
    Mutant("the model returned instead of its parameters", TRAIN,
           [("max(scores, key=scores.get)).params", "max(scores, key=scores.get))")], BANDS, "MLP"),
    Mutant("one epoch", TRAIN, [("epochs=10", "epochs=1")], {"test_train_90", "test_train_92"}, "this band needs 90%"),
    Mutant("three hidden units", TRAIN, [("MLP([64, 64, 10]", "MLP([64, 3, 10]")], BANDS, "this band needs 80%"),
    Mutant("one step per epoch (the whole set as one batch)", TRAIN, [("labels.size // 32", "1")], BANDS,
           "this band needs 80%"),
]
