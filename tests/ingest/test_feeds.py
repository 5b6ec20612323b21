import datetime as dt

import pytest

from bot.ingest.feeds import FeedError, parse_feed

UTC = dt.UTC
RSS_AR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>أخبار تجريبية</title><link>https://news.test/</link>
<item>
  <title>انطلاق قمة الطاقة في الرياض</title>
  <link>https://news.test/ar/energy/1?utm_source=rss</link>
  <guid isPermaLink="false">ar-1</guid>
  <description><![CDATA[<p>بدأت اليوم <b>قمة الطاقة</b> بمشاركة وزراء من 20 دولة.</p>
  <img src="/img/summit.jpg">]]></description>
  <pubDate>Sun, 29 Nov 2026 10:30:00 +0300</pubDate>
  <category>اقتصاد</category><category>طاقة</category>
</item>
<item>
  <title>صورة اليوم</title>
  <link>/ar/photo/2</link>
  <media:content url="https://cdn.news.test/p2.jpg" medium="image"/>
</item>
</channel></rss>"""


def test_rss2_items_with_every_field() -> None:
    feed = parse_feed(RSS_AR.encode(), url="https://news.test/rss.xml")
    assert feed.title == "أخبار تجريبية"
    first, second = feed.items
    assert first.guid == "ar-1"
    assert first.title == "انطلاق قمة الطاقة في الرياض"
    assert first.link == "https://news.test/ar/energy/1?utm_source=rss"
    assert first.summary == "بدأت اليوم قمة الطاقة بمشاركة وزراء من 20 دولة."
    assert first.published == dt.datetime(2026, 11, 29, 7, 30, tzinfo=UTC)
    assert first.categories == ("اقتصاد", "طاقة")
    assert first.image == "https://news.test/img/summit.jpg"
    assert second.link == "https://news.test/ar/photo/2"
    assert second.image == "https://cdn.news.test/p2.jpg"
    assert second.published is None
    assert feed.problem is None


def test_atom() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>World</title>
<entry><id>tag:news.test,2026:1</id><title type="html">Talks &amp;amp; truce</title>
<link rel="alternate" href="https://news.test/world/talks"/>
<link rel="enclosure" type="image/jpeg" href="https://news.test/t.jpg"/>
<updated>2026-11-28T23:15:00-05:00</updated><summary>Envoys met.</summary>
<category term="World"/></entry></feed>"""
    [item] = parse_feed(atom, url="https://news.test/atom").items
    assert (item.guid, item.title, item.link) == (
        "tag:news.test,2026:1", "Talks & truce", "https://news.test/world/talks",
    )  # fmt: skip
    assert item.published == dt.datetime(2026, 11, 29, 4, 15, tzinfo=UTC)
    assert item.image == "https://news.test/t.jpg"
    assert item.categories == ("World",)


def test_rss1_and_rss091() -> None:
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.test/"><title>RDF</title></channel>
<item rdf:about="https://news.test/a"><title>A</title><link>https://news.test/a</link>
<dc:date>2026-11-29T08:00:00Z</dc:date></item></rdf:RDF>"""
    [item] = parse_feed(rdf, url="https://news.test/rdf").items
    assert item.published == dt.datetime(2026, 11, 29, 8, tzinfo=UTC)
    old = b"""<rss version="0.91"><channel><title>Old</title>
<item><title>B</title><link>https://news.test/b</link></item></channel></rss>"""
    assert [i.title for i in parse_feed(old, url="https://news.test/old").items] == ["B"]


def test_json_feed() -> None:
    body = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "J",
    "items": [{"id": 7, "url": "/j/7", "title": "Seven", "content_html": "<p>Body</p>",
    "date_published": "2026-11-29T09:00:00+02:00", "tags": ["x"], "image": "https://i/7.png"}]}"""
    [item] = parse_feed(body, url="https://news.test/feed.json",
                        content_type="application/feed+json").items  # fmt: skip
    assert (item.guid, item.link, item.summary) == ("7", "https://news.test/j/7", "Body")
    assert item.published == dt.datetime(2026, 11, 29, 7, tzinfo=UTC)


def test_broken_xml_keeps_readable_entries() -> None:
    broken = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Tom & Jerry return</title><link>https://news.test/1</link></item>
<item><title>Second</title><link>https://news.test/2</link></item>
</channel>"""
    feed = parse_feed(broken, url="https://news.test/rss")
    assert [i.link for i in feed.items] == ["https://news.test/1", "https://news.test/2"]
    assert feed.problem


def test_cp1256_feed_with_its_prolog() -> None:
    body = RSS_AR.replace('encoding="UTF-8"', 'encoding="windows-1256"').encode("cp1256")
    feed = parse_feed(body, url="https://news.test/rss.xml", content_type="text/xml")
    assert feed.items[0].title == "انطلاق قمة الطاقة في الرياض"


def test_empty_feed_has_no_items() -> None:
    body = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_feed(body, url="https://news.test/rss").items == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>", "an HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a feed"),
        (b'{"hello": 1}', "jsonfeed.org"),
        (b"{broken", "broken JSON"),
    ],
)
def test_not_a_feed(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(body, url="https://news.test/x")
