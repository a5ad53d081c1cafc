from tests.meetings.conftest import World, draft_with_items, world  # noqa: F401
