"""Adaptive quizzes: start an attempt, show its current step, record an answer exactly once.

An attempt stores only its history (responses), the bank snapshot and the rules it runs under;
every next step is recomputed from them with `learnpath.irt.placement_step`, so any worker can
serve any step. An answer is bound to the step it was shown for: claiming the step is a
conditional UPDATE (`step = shown step`), so a double submit, a replay, a second tab or two
concurrent workers record exactly one response. A learner has at most one active attempt per
kind and scope (a partial unique index), so two concurrent Starts share one attempt.

Modules: `attempts` (start, the learner's attempts), `questions` (serving a step and its
clock), `answers` (recording an answer once, the next step).
"""

from learnpath.services.learning.quiz.answers import (
    Outcome,
    advance,
    answer,
    is_correct,
    next_step,
    responses_of,
)
from learnpath.services.learning.quiz.attempts import (
    KINDS,
    active_attempts,
    attempts_of_enrollment,
    scope_of,
    start_attempt,
)
from learnpath.services.learning.quiz.questions import (
    RESUME_GAP,
    Question,
    QuizError,
    current_question,
    mark_shown,
    precision_of,
    shuffled_options,
)

__all__ = [
    "KINDS",
    "RESUME_GAP",
    "Outcome",
    "Question",
    "QuizError",
    "active_attempts",
    "advance",
    "answer",
    "attempts_of_enrollment",
    "current_question",
    "is_correct",
    "mark_shown",
    "next_step",
    "precision_of",
    "responses_of",
    "scope_of",
    "shuffled_options",
    "start_attempt",
]
