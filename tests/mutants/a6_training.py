"""Common wrong answers to assignment a6 (training), each with the parts it must lose."""

from mutants import Mutant

STEP, TRAIN = "sgd_step", "train"

MUTANTS = [
    # part 1: train calls sgd_step, so a step that goes uphill ruins the training too
    Mutant("step adds the gradient", STEP, [("params[key] - lr * grads[key]", "params[key] + lr * grads[key]")],
           {"test_sgd_step", "test_train"}, "uphill"),
    Mutant("step without the learning rate (training with lr = 1 still works)", STEP,
           [("params[key] - lr * grads[key]", "params[key] - grads[key]")], {"test_sgd_step"},
           "learning rate is missing"),
    Mutant("biases left alone", STEP, [("params[key] - lr * grads[key] for key in params",
                                        'params[key] - lr * grads[key] if key.startswith("W") else params[key] '
                                        "for key in params")], {"test_sgd_step"}, "biases were not updated"),
    # part 2: graded on the outcome
    Mutant("learning rate far too small", TRAIN, [("lr, decay = 20, 32, 0.2, 0.3", "lr, decay = 20, 32, 0.0005, 0.3")],
           {"test_train"}, "learning rate"),
    Mutant("only the first minibatch of each epoch", TRAIN,
           [("range(0, n, batch_size)", "range(0, batch_size, batch_size)")], {"test_train"}, "more epochs"),
    Mutant("gradient ascent in the loop", TRAIN, [("lr / (1 + decay * epoch)", "-lr / (1 + decay * epoch)")],
           {"test_train"}, "learned nothing"),
    Mutant("one epoch", TRAIN, [("epochs, batch_size, lr, decay = 20,", "epochs, batch_size, lr, decay = 1,")],
           {"test_train"}, "held-out test digits"),
    Mutant("the model returned instead of its parameters", TRAIN, [("return model.params", "return model")],
           {"test_train"}, "MLP"),
    Mutant("sigmoid hidden layer, run with ReLU by the test", TRAIN,
           [('["relu", "softmax"]', '["sigmoid", "softmax"]')],
           {"test_train"}, "ReLU hidden layers"),
]
