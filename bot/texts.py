"""Every user-facing string, in Arabic and English."""

from __future__ import annotations

import re
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
        "ar": (
            "ما يمكنك إرساله:\n"
            "/topics – اختيار المواضيع التي تتابعها\n"
            "/follow كلمات – متابعة كلمة أو اسم، مثل: /follow إيلون ماسك\n"
            "/unfollow كلمات – إيقاف متابعة كلمة\n"
            "/mytopics – ما تتابعه\n"
            "/news [موضوع] – أهم الأخبار الآن\n"
            "/digest – موجز اليوم الآن\n"
            "/search كلمات – البحث في الأخبار\n"
            "/time 08:00 – وقت الموجز اليومي\n"
            "/timezone القاهرة – منطقتك الزمنية (مدينة، أو Asia/Riyadh، أو UTC+3)\n"
            "/language ar|en – لغة الرسائل\n"
            "/languages ar|en|both – لغات الأخبار: العربية أو الإنجليزية أو كلتاهما\n"
            "/pictures on|off – صورة الخبر الأول فوق الموجز\n"
            "/pause و /resume – إيقاف الموجز مؤقتًا واستئنافه\n"
            "/alerts on|off – الأخبار العاجلة في مواضيعك\n"
            "/quiet 23:00-07:00 – ساعات بلا تنبيهات\n"
            "/sources و /mute و /unmute – المصادر، وكتم أحدها\n"
            "/ifempty line|nothing – حين لا جديد: سطر قصير أو لا شيء\n"
            "/channel @قناة – ربط قناة وإدارتها من هنا\n"
            "/help – هذه المساعدة"
        ),
        "en": (
            "What you can send me:\n"
            "/topics – choose the topics you follow\n"
            "/follow words – follow a word or a name, e.g. /follow OpenAI\n"
            "/unfollow words – stop following it\n"
            "/mytopics – what you follow\n"
            "/news [topic] – the top stories right now\n"
            "/digest – today's digest now\n"
            "/search words – search the stories\n"
            "/time 08:00 – when your daily digest comes\n"
            "/timezone Cairo – your time zone (a city, Asia/Riyadh, or UTC+3)\n"
            "/language ar|en – the language I write in\n"
            "/languages ar|en|both – the languages of the news: Arabic, English or both\n"
            "/pictures on|off – the top story's picture above the digest\n"
            "/pause and /resume – stop the daily digest for a while, and start it again\n"
            "/alerts on|off – breaking stories on your topics, as they break\n"
            "/quiet 23:00-07:00 – hours without alerts\n"
            "/sources, /mute, /unmute – the sources I read, and muting one\n"
            "/ifempty line|nothing – when nothing is new: a short line, or nothing\n"
            "/channel @name – link a channel and manage it from here\n"
            "/help – this help"
        ),
    },
    "search_usage": {
        "ar": "اكتب ما تبحث عنه بعد الأمر، مثل: /search سد النهضة",
        "en": "Put what you look for after the command, e.g. /search Nile dam",
    },
    "search_none": {
        "ar": "لم أجد أخبارًا عن «{query}».",
        "en": "I found no stories about “{query}”.",
    },
    "search_found": {"ar": "🔎 نتائج «{query}»:", "en": "🔎 Stories about “{query}”:"},
    "alerts_on": {
        "ar": "🔴 ستصلك الأخبار العاجلة في مواضيعك فور انتشارها.",
        "en": "🔴 Breaking stories on your topics will reach you as they break.",
    },
    "alerts_off": {"ar": "أوقفت الأخبار العاجلة.", "en": "Breaking-news alerts are off."},
    "alerts_usage": {
        "ar": "اكتب /alerts on أو /alerts off",
        "en": "Send /alerts on or /alerts off",
    },
    "quiet_set": {
        "ar": "لن تصلك تنبيهات من {start} إلى {end}.",
        "en": "No alerts from {start} to {end}.",
    },
    "quiet_off": {"ar": "ألغيت ساعات الهدوء.", "en": "Quiet hours are off."},
    "quiet_usage": {
        "ar": "اكتب مثلًا: /quiet 23:00-07:00 أو /quiet off",
        "en": "Try /quiet 23:00-07:00 or /quiet off",
    },
    "stats": {
        "ar": (
            "📊 المحادثات: {active_chats} نشطة من {chats}\nالاشتراكات: {subscriptions}\n"
            "المصادر: {sources} (أخطاء: {sources_erroring}، متعطلة منذ يوم: {sources_failing})\n"
            "مقالات آخر 24 ساعة: {articles_today} (بمعانيها: {articles_meant})\n"
            "إرسالات آخر 24 ساعة: {deliveries_today}\nالمعاني: {meaning}"
        ),
        "en": (
            "📊 Chats: {active_chats} active of {chats}\nSubscriptions: {subscriptions}\n"
            "Sources: {sources} (erroring {sources_erroring}, failing for a day "
            "{sources_failing})\nArticles in 24 h: {articles_today} "
            "({articles_meant} with meaning)\nDeliveries in 24 h: {deliveries_today}\n"
            "Meaning: {meaning}"
        ),
    },
    "operators_only": {
        "ar": "هذا الأمر لمشغلي البوت فقط.",
        "en": "This command is for the bot's operators.",
    },
    "addsource_usage": {
        "ar": "اكتب مثلًا: /addsource https://example.com/feed",
        "en": "Try /addsource https://example.com/feed",
    },
    "source_not_added": {
        "ar": "لم أضف {url}: {why}",
        "en": "Could not add {url}: {why}",
    },
    # Why /addsource found nothing to follow (bot.ingest's FetchError / DiscoverError reasons).
    "why_unresolvable": {
        "ar": "لا يوجد موقع بهذا الاسم",
        "en": "no site has that name",
    },
    "why_private": {
        "ar": "العنوان في شبكة خاصة، لا على الإنترنت",
        "en": "the address is on a private network, not the internet",
    },
    "why_timeout": {
        "ar": "لم يرد الموقع في الوقت المحدد",
        "en": "the site did not answer in time",
    },
    "why_status": {
        "ar": "ردّ الموقع بالخطأ {status}",
        "en": "the site answered with error {status}",
    },
    "why_too_large": {
        "ar": "الصفحة أكبر مما أقرأ",
        "en": "the page is larger than I read",
    },
    "why_redirects": {
        "ar": "الموقع يحوّل من عنوان إلى آخر دون نهاية",
        "en": "the site redirects too many times",
    },
    "why_not_http": {
        "ar": "أتابع عناوين http و https فقط",
        "en": "I follow only http and https addresses",
    },
    "why_broken": {
        "ar": "وصل رد الموقع تالفًا",
        "en": "the site's answer arrived damaged",
    },
    "why_network": {
        "ar": "تعذّر الاتصال بالموقع",
        "en": "the connection to the site failed",
    },
    "why_nothing_to_follow": {
        "ar": "لا يوجد فيه موجز أخبار ولا قائمة مقالات",
        "en": "it has no news feed and no list of articles",
    },
    "source_added": {
        "ar": "أضفت المصدر «{name}» ({kind}: {url})، وسأقرؤه من الآن.",
        "en": "Added “{name}” ({kind}: {url}); I read it from now on.",
    },
    "source_exists": {
        "ar": "المصدر {url} موجود باسم «{name}».",
        "en": "{url} is already a source, named “{name}”.",
    },
    "removesource_usage": {
        "ar": "اكتب اسم المصدر أو رابطه، مثلًا: /removesource BBC",
        "en": "Give a source's name or URL, for example /removesource BBC",
    },
    "no_such_source": {
        "ar": "لا يوجد مصدر باسم «{name}». انظر /sources",
        "en": "No source named “{name}”. See /sources",
    },
    "source_removed": {
        "ar": "توقفت عن قراءة «{name}»، وتبقى مقالاته.",
        "en": "Stopped reading “{name}”; its articles stay.",
    },
    "sources_list": {
        "ar": "أقرأ هذه المصادر:\n{sources}",
        "en": "I read these sources:\n{sources}",
    },
    "channel_usage": {
        "ar": "لربط قناة: أضفني مشرفًا فيها، ثم اكتب هنا /channel @اسم_القناة",
        "en": "To link a channel: make me an admin there, then send /channel @channelname here",
    },
    "channel_private_only": {
        "ar": "تُربط القنوات من محادثة خاصة معي.",
        "en": "Channels are linked from a private chat with me.",
    },
    "channel_not_found": {
        "ar": "لا أرى هذه القناة. أضفني مشرفًا فيها أولًا.",
        "en": "I can't see that channel. Make me an admin there first.",
    },
    "channel_not_channel": {"ar": "هذه ليست قناة.", "en": "That is not a channel."},
    "channel_bot_not_admin": {
        "ar": "أحتاج أن أكون مشرفًا في القناة لأنشر فيها.",
        "en": "I need to be an admin of the channel to post there.",
    },
    "channel_user_not_admin": {
        "ar": "مشرفو القناة فقط يمكنهم ربطها.",
        "en": "Only the channel's admins can link it.",
    },
    "channel_linked": {
        "ar": (
            "رُبطت «{title}». أوامرك هنا (/topics و/time و/timezone و/follow و/language) "
            "تضبط القناة الآن. اكتب /channel off للعودة إلى محادثتك."
        ),
        "en": (
            "Linked “{title}”. Your commands here (/topics, /time, /timezone, /follow, "
            "/language) now set up the channel. Send /channel off to manage your own chat."
        ),
    },
    "channel_off": {
        "ar": "عدت إلى إعدادات محادثتك.",
        "en": "Back to your own chat's settings.",
    },
    "paused": {
        "ar": "أوقفت الموجز اليومي مؤقتًا. اكتب /resume لاستئنافه.",
        "en": "Daily digests paused. Send /resume to get them again.",
    },
    "resumed": {
        "ar": "عاد الموجز اليومي؛ التالي الساعة {time} ({zone}).",
        "en": "Daily digests are back; the next one at {time} ({zone}).",
    },
    "pick_topics": {
        "ar": "اختر المواضيع التي تريد متابعتها (اضغط مرة أخرى للإلغاء):",
        "en": "Pick the topics you want to follow (press again to stop):",
    },
    "followed": {"ar": "✅ تتابع الآن: {name}", "en": "✅ Now following: {name}"},
    "unfollowed": {"ar": "توقفت متابعة: {name}", "en": "Stopped following: {name}"},
    "follow_usage": {
        "ar": "اكتب الكلمة بعد الأمر، مثل: /follow إيلون ماسك",
        "en": "Put the words after the command, e.g. /follow OpenAI",
    },
    "keyword_followed": {
        "ar": "✅ سأتابع «{keyword}» في الأخبار.",
        "en": "✅ I will look out for “{keyword}” in the news.",
    },
    "keyword_known": {
        "ar": "أنت تتابع «{keyword}» من قبل.",
        "en": "You already follow “{keyword}”.",
    },
    "keyword_unfollowed": {
        "ar": "توقفت متابعة «{keyword}».",
        "en": "Stopped following “{keyword}”.",
    },
    "keyword_unknown": {
        "ar": "لا تتابع «{keyword}». اكتب /mytopics لترى ما تتابعه.",
        "en": "You don't follow “{keyword}”. Send /mytopics to see what you follow.",
    },
    "mytopics": {
        "ar": "المواضيع: {topics}\nالكلمات: {keywords}\nالموجز اليومي: {time} ({zone})",
        "en": "Topics: {topics}\nWords: {keywords}\nDaily digest: {time} ({zone})",
    },
    "none": {"ar": "لا شيء بعد", "en": "none yet"},
    "time_set": {
        "ar": "سيصلك الموجز يوميًا الساعة {time} بتوقيت {zone}.",
        "en": "Your digest will come every day at {time}, {zone} time.",
    },
    "time_usage": {
        "ar": "لم أفهم الوقت «{given}». اكتب مثلًا: /time 08:00 أو /time 8 مساءً",
        "en": "I could not read the time “{given}”. Try /time 08:00 or /time 8pm",
    },
    "zone_set": {
        "ar": "منطقتك الزمنية الآن {zone}؛ الموجز الساعة {time}.",
        "en": "Your time zone is now {zone}; the digest comes at {time}.",
    },
    "zone_usage": {
        "ar": "لم أعرف المنطقة «{given}». اكتب مدينة (القاهرة) أو Asia/Riyadh أو UTC+3.",
        "en": "I don't know the zone “{given}”. Try a city (Cairo), Asia/Riyadh or UTC+3.",
    },
    "language_set": {"ar": "سأكتب لك بالعربية.", "en": "I will write in English."},
    "language_usage": {
        "ar": "اكتب /language ar أو /language en",
        "en": "Send /language ar or /language en",
    },
    "nothing_today": {
        "ar": "📰 لا جديد في مواضيعك اليوم.",
        "en": "📰 Nothing new on your topics today.",
    },
    "muted": {"ar": "لن تصلك أخبار «{source}» بعد الآن.", "en": "Muted “{source}”."},
    "unmuted": {"ar": "عادت أخبار «{source}».", "en": "Unmuted “{source}”."},
    "mute_usage": {
        "ar": "اكتب اسم المصدر كما في /sources، مثل: /mute BBC News",
        "en": "Name a source as /sources lists it, e.g. /mute BBC News",
    },
    "empty_set": {
        "ar": "حين لا يكون جديد: {how}.",
        "en": "When nothing is new: {how}.",
    },
    "empty_line": {"ar": "سطر قصير", "en": "one short line"},
    "empty_nothing": {"ar": "لا شيء", "en": "nothing at all"},
    "empty_usage": {
        "ar": "اكتب /ifempty line أو /ifempty nothing",
        "en": "Send /ifempty line or /ifempty nothing",
    },
    "nothing_new": {
        "ar": "لا جديد في مواضيعك الآن. اختر مواضيع أكثر بـ /topics",
        "en": "Nothing new on your topics right now. Pick more with /topics",
    },
    "digest_takes_no_words": {
        "ar": "أرسل /digest وحده ليصلك موجزك. لأخبار موضوع واحد: /news {example}",
        "en": "/digest sends your digest as it is, with no words after it. For one topic: "
        "/news {example}",
    },
    "unknown_topic": {
        "ar": "لا أعرف الموضوع «{given}». المواضيع: {topics}",
        "en": "I don't know the topic “{given}”. Topics: {topics}",
    },
    "admins_only": {
        "ar": "عذرًا، مشرفو المجموعة فقط يمكنهم تغيير إعداداتها.",
        "en": "Sorry, only the group's admins can change its settings.",
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
    "cmd_topics": {"ar": "اختيار المواضيع", "en": "Choose topics"},
    "cmd_news": {"ar": "أهم الأخبار الآن", "en": "Top stories now"},
    "cmd_digest": {"ar": "موجز اليوم الآن", "en": "Today's digest now"},
    "cmd_follow": {"ar": "متابعة كلمة أو اسم", "en": "Follow a word or name"},
    "cmd_unfollow": {"ar": "إيقاف متابعة كلمة", "en": "Stop following a word"},
    "cmd_mytopics": {"ar": "ما تتابعه", "en": "What you follow"},
    "cmd_time": {"ar": "وقت الموجز اليومي", "en": "Daily digest time"},
    "cmd_timezone": {"ar": "المنطقة الزمنية", "en": "Your time zone"},
    "cmd_language": {"ar": "لغة الرسائل", "en": "Language"},
    "cmd_search": {"ar": "البحث في الأخبار", "en": "Search the news"},
    "cmd_alerts": {"ar": "الأخبار العاجلة", "en": "Breaking-news alerts"},
    "cmd_quiet": {"ar": "ساعات الهدوء", "en": "Quiet hours"},
    "cmd_mute": {"ar": "كتم مصدر", "en": "Mute a source"},
    "cmd_unmute": {"ar": "إلغاء كتم مصدر", "en": "Unmute a source"},
    "cmd_ifempty": {"ar": "حين لا جديد: سطر أو لا شيء", "en": "When nothing is new"},
    "cmd_channel": {"ar": "ربط قناة وإدارتها", "en": "Link and manage a channel"},
    "cmd_sources": {"ar": "المصادر التي أقرؤها", "en": "The sources I read"},
    "cmd_pause": {"ar": "إيقاف الموجز مؤقتًا", "en": "Pause the digest"},
    "cmd_resume": {"ar": "استئناف الموجز", "en": "Resume the digest"},
    "cmd_help": {"ar": "ما الذي يمكنني فعله", "en": "What I can do"},
    "channel_rights_lost": {
        "ar": (
            "لم تعد مشرفًا في «{title}»، فألغيت ربطها: أوامرك هنا تضبط محادثتك من جديد. "
            "لإدارتها مرة أخرى: كن مشرفًا فيها ثم اكتب /channel"
        ),
        "en": (
            "You are no longer an admin of “{title}”, so I unlinked it: your commands here "
            "set up your own chat again. To manage it again, become its admin and send /channel"
        ),
    },
    "zone_offset_range": {
        "ar": (
            "لا توجد منطقة زمنية «{given}»: فروق التوقيت من UTC-12 إلى UTC+14. "
            "اكتب مدينة (القاهرة) أو Asia/Riyadh أو UTC+3."
        ),
        "en": (
            "There is no time zone “{given}”: offsets go from UTC-12 to UTC+14. "
            "Try a city (Cairo), Asia/Riyadh or UTC+3."
        ),
    },
    "zone_offset_minutes": {
        "ar": "لا اسم لفرق «{given}» وحده. اكتب مدينة أو اسمًا مثل Asia/Kolkata أو Asia/Tehran.",
        "en": (
            "“{given}” has no zone name of its own. Send a city or a name like Asia/Kolkata "
            "or Asia/Tehran."
        ),
    },
    "why_url_unreadable": {
        "ar": "هذا ليس عنوان موقع أستطيع قراءته، مثل https://example.com/feed",
        "en": "that is not a web address I can read, like https://example.com/feed",
    },
    "why_host_digits": {
        "ar": "في اسم الموقع أرقام عربية أو فارسية؛ اكتبها 0-9",
        "en": "the site's name has Arabic or Persian digits; write them as 0-9",
    },
    "why_host_characters": {
        "ar": "في اسم الموقع رموز لا تكون في أسماء المواقع (رموز تعبيرية أو علامات)",
        "en": "the site's name has characters no site name has (emoji or signs)",
    },
    "keyword_cut": {
        "ar": (
            "✂️ الكلمة المتابَعة {words} كلمات و{chars} حرفًا على الأكثر، فسأتابع «{keyword}». "
            "لمتابعة غيرها أرسل /follow لكل منها."
        ),
        "en": (
            "✂️ A keyword is at most {words} words and {chars} characters, so I will look "
            "out for “{keyword}”. For more, send /follow for each."
        ),
    },
    "keyword_control": {
        "ar": "«{keyword}» فيها رموز تحكّم لا تكون في أي خبر. أرسل الكلمات وحدها.",
        "en": "“{keyword}” has control characters, which no story has. Send the words alone.",
    },
    "keyword_no_words": {
        "ar": (
            "«{keyword}» لن تطابق أي خبر: ليس فيها كلمة أبحث عنها (رموز تعبيرية أو علامات "
            "أو كلمات شائعة مثل «في» و«من» فقط)."
        ),
        "en": (
            "“{keyword}” can never match a story: it has no word I look for (only emoji, "
            "signs, or common words like “the” and “of”)."
        ),
    },
    "keyword_cap": {
        "ar": "تتابع {count} كلمة، وهو أقصى ما أحفظه لمحادثة. ألغِ متابعة إحداها أولًا بـ /unfollow.",
        "en": (
            "You follow {count} words, the most I keep for one chat. Stop following one "
            "first with /unfollow (see /mytopics)."
        ),
    },
    "mytopics_page": {
        "ar": "{keywords} ({first}–{last} من {count})",
        "en": "{keywords} ({first}–{last} of {count})",
    },
    "news_in_ar": {"ar": "العربية", "en": "Arabic"},
    "news_in_en": {"ar": "الإنجليزية", "en": "English"},
    "news_in_ar_en": {"ar": "العربية والإنجليزية", "en": "Arabic and English"},
    "news_languages_pick": {
        "ar": "بأي لغة تريد الأخبار؟ (لغة رسائلي تبقى كما هي: /language)",
        "en": "Which languages do you want the news in? (I keep writing in mine: /language)",
    },
    "news_languages_set_ar": {
        "ar": "ستصلك الأخبار المنشورة بالعربية.",
        "en": "You will get the news published in Arabic.",
    },
    "news_languages_set_en": {
        "ar": "ستصلك الأخبار المنشورة بالإنجليزية.",
        "en": "You will get the news published in English.",
    },
    "news_languages_set_ar_en": {
        "ar": "ستصلك الأخبار المنشورة بالعربية والإنجليزية.",
        "en": "You will get the news published in Arabic and in English.",
    },
    "news_languages_usage": {
        "ar": "اكتب /languages ar أو /languages en أو /languages both، أو اختر:",
        "en": "Send /languages ar, /languages en or /languages both, or choose:",
    },
    "pictures_on": {
        "ar": "🖼 ستظهر صورة الخبر الأول فوق الموجز.",
        "en": "🖼 The top story's picture will show above the digest.",
    },
    "pictures_off": {
        "ar": "لن تظهر صور فوق الموجز.",
        "en": "No pictures above the digest.",
    },
    "pictures_usage": {
        "ar": "اكتب /pictures on أو /pictures off",
        "en": "Send /pictures on or /pictures off",
    },
    "cmd_languages": {"ar": "لغات الأخبار", "en": "Languages of the news"},
    "cmd_pictures": {"ar": "الصور فوق الموجز", "en": "Pictures above the digest"},
    "more_button": {"ar": "➕ المزيد: {topic}", "en": "➕ More: {topic}"},
    "more_none": {
        "ar": "لا مزيد في هذا القسم.",
        "en": "Nothing more in this section.",
    },
    "more_full": {
        "ar": "لا مكان لمزيد في هذه الرسالة. اكتب /news لأخبار الآن.",
        "en": "This message has no room for more. Send /news for the stories now.",
    },
}


# Embeddings, overrides and isolates: U+202A-U+202E, U+2066-U+2069.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def text(key: str, language: Language, **values: object) -> str:
    """The reply `key` in `language`. Text that came from outside (a user's words, a
    source's name) loses its direction controls, so it cannot reverse the line around it."""
    clean = {k: _BIDI_CONTROLS.sub("", v) if isinstance(v, str) else v for k, v in values.items()}
    return _TEXTS[key][language].format(**clean)


def language_for(code: str | None, default: Language) -> Language:
    """The bot's language for a Telegram language_code such as 'ar', 'en-GB' or None."""
    if code:
        base = code.split("-")[0].lower()
        if base == "ar":
            return "ar"
        if base == "en":
            return "en"
    return default
