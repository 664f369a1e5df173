"""A competency's items in the studio, a page at a time, optionally of one status."""

from sqlmodel import Session, col, select

from learnpath.models import Competency, Item
from learnpath.services.catalog.paging import PAGE_SIZE, Page, page_of


def items_page(
    session: Session, competency: Competency, status: str | None, number: int
) -> Page[Item]:
    """A page of the competency's items by id (only those of `status`, if given)."""
    query = select(Item).where(Item.competency_id == competency.id)
    if status:
        query = query.where(Item.status == status)
    page = page_of(session, query.order_by(col(Item.slug), col(Item.id)), number, PAGE_SIZE)
    return Page([item for (item,) in page.rows], page.number, page.size, page.total)
