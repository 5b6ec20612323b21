"""News out: what a chat gets, in what order, looking how. Never imports httpx,
telegram or bot.ingest."""
