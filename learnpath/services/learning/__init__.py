"""The learner's loop: adaptive quizzes, results, trajectories, study progress, learning events."""
