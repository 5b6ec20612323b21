"""Curation: what a new article goes through (summary, story, topics), pure stages and the
embedder; curate.py is where they meet storage. News in calls it; it never fetches news
and never imports telegram."""
