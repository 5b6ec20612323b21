"""Every user-facing string, in Arabic and English."""

from __future__ import annotations

from typing import Literal

Language = Literal["ar", "en"]

_TEXTS: dict[str, dict[Language, str]] = {
    "welcome": {
        "ar": (
            "أهلًا {name}! أنا newsbot.\n"
            "أجمع الأخبار من مصادر عربية وإنجليزية موثوقة، وأجمع الخبر الواحد من مصادره "
            "المختلفة، وأرسل لك ملخصات قصيرة مع الروابط والعناوين ذات الصلة.\n"
            "اكتب /help لمعرفة الأوامر."
        ),
        "en": (
            "Hello {name}! I am newsbot.\n"
            "I read trusted Arabic and English news sources, group the same story told by "
            "several of them, and send you short summaries with links and related headlines.\n"
            "Send /help to see what I can do."
        ),
    },
    "help": {
        "ar": "الأوامر المتاحة:\n/start – البداية\n/help – هذه المساعدة",
        "en": "What you can send me:\n/start – start over\n/help – this help",
    },
    "unknown_command": {
        "ar": "لا أعرف الأمر {command}. اكتب /help لرؤية الأوامر.",
        "en": "I don't know {command}. Send /help to see the commands.",
    },
    "error": {
        "ar": "حدث خطأ من جهتي، ولم يُفقد شيء. حاول مرة أخرى بعد قليل.",
        "en": "Something went wrong on my side; nothing was lost. Please try again shortly.",
    },
    "cmd_start": {"ar": "البداية واختيار المواضيع", "en": "Start and pick topics"},
    "cmd_help": {"ar": "ما الذي يمكنني فعله", "en": "What I can do"},
}


def text(key: str, language: Language, **values: object) -> str:
    return _TEXTS[key][language].format(**values)


def language_for(code: str | None, default: Language) -> Language:
    """The bot's language for a Telegram language_code such as 'ar', 'en-GB' or None."""
    if code:
        base = code.split("-")[0].lower()
        if base == "ar":
            return "ar"
        if base == "en":
            return "en"
    return default
