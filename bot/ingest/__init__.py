"""News in: fetch, decode, parse and store articles. Never imports telegram."""
