"""Everything that speaks Telegram (named tg so it does not shadow the library)."""
