"""newsbot: curated news in Telegram, in Arabic and English."""
