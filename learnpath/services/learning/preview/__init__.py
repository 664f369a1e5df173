"""Previewing a personal program draft: whom a rule matches, and a learner's trajectory under it.

Nothing here writes.
"""

from learnpath.services.learning.preview.matching import (
    Matches,
    Person,
    as_planning,
    find_learner,
    known_groups,
    learner_by_id,
    matching,
)
from learnpath.services.learning.preview.trajectory import Trajectory, trajectory

__all__ = [
    "Matches",
    "Person",
    "Trajectory",
    "as_planning",
    "find_learner",
    "known_groups",
    "learner_by_id",
    "matching",
    "trajectory",
]
