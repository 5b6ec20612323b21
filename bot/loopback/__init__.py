"""Real servers on 127.0.0.1 standing in for the outside world: a news site and
Telegram's Bot API. Used by the tests, the benchmarks and the offline demo."""
