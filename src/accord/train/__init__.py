"""The training bridge: a project's annotations trained on with TRL's own trainers.

``accord train reward|dpo|kto|sft|grpo`` (:mod:`accord.cli.train`) calls
:func:`accord.train.run.train`. This package is the only one in Accord that uses ``torch``,
``transformers`` and ``trl`` (the optional ``train`` extra); it imports them inside the
functions that run a trainer, so that ``accord`` and its other commands work without them.

- :mod:`accord.train.data`: the training sets, split into train and eval by prompt;
- :mod:`accord.train.models`: the model and tokenizer at ``--model PATH``, offline;
- :mod:`accord.train.run`: the TRL trainer per kind, and the report of a run;
- :mod:`accord.train.accuracy`: the reward model's accuracy on held-out consensus pairs.
"""
