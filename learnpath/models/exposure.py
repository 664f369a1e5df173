"""Item exposure: how many quiz sessions were shown each item, and how many measured each bank.

The adaptive engine's exposure ceiling reads them (an item is eligible while its share of the
sessions of its competency stays under the ceiling). Both counters are raised by one atomic
statement (INSERT ... ON CONFLICT DO UPDATE SET n = n + 1), never read and written back, so
several workers count every session.
"""

from sqlmodel import Field, SQLModel


class ItemExposure(SQLModel, table=True):
    """Sessions (quiz attempts) that were shown this item."""

    item_id: int = Field(foreign_key="item.id", primary_key=True)
    shown: int = 0


class CompetencyExposure(SQLModel, table=True):
    """Sessions (quiz attempts) started on this competency's bank: the denominator of a rate."""

    competency_id: int = Field(foreign_key="competency.id", primary_key=True)
    sessions: int = 0
