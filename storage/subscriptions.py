"""What chats follow: topics and free keywords. Functions take `*, session`, never commit."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Subscription, Topic


def topic_slugs(chat_id: int, *, session: Session) -> set[str]:
    query = select(Topic.slug).join(Subscription, col(Subscription.topic_id) == col(Topic.id))
    return set(session.exec(query.where(Subscription.chat_id == chat_id)))


def toggle_topic(chat_id: int, slug: str, *, session: Session) -> bool | None:
    """Follows the topic, or stops following it. True: now followed; None: no such topic."""
    topic = session.exec(select(Topic).where(Topic.slug == slug)).first()
    if topic is None:
        return None
    found = session.exec(
        select(Subscription).where(
            Subscription.chat_id == chat_id, Subscription.topic_id == topic.id
        )
    ).first()
    if found is not None:
        session.delete(found)
        session.flush()
        return False
    session.add(Subscription(chat_id=chat_id, topic_id=topic.id))
    session.flush()
    return True


def keywords(chat_id: int, *, session: Session) -> list[str]:
    query = select(Subscription.keyword).where(
        Subscription.chat_id == chat_id, col(Subscription.keyword).is_not(None)
    )
    return sorted(k for k in session.exec(query) if k)


def follow_keyword(chat_id: int, keyword: str, *, session: Session) -> bool:
    """False if the chat already follows it."""
    if keyword in keywords(chat_id, session=session):
        return False
    session.add(Subscription(chat_id=chat_id, keyword=keyword))
    session.flush()
    return True


def unfollow_keyword(chat_id: int, keyword: str, *, session: Session) -> bool:
    found = session.exec(
        select(Subscription).where(Subscription.chat_id == chat_id, Subscription.keyword == keyword)
    ).first()
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True
