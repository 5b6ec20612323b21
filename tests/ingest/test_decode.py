import pytest

from bot.ingest.decode import decode

ARABIC = "<p>عاجل: وزير الخارجية يصل إلى القاهرة في زيارة رسمية تستمر يومين لبحث الأوضاع</p>"
PAGE = f"<html><head><title>خبر</title></head><body>{ARABIC}</body></html>"


def test_utf8_is_decoded_once_whatever_the_header_says() -> None:
    body = PAGE.encode("utf-8")
    for header in (None, "text/html", "text/html; charset=iso-8859-1", "text/html; charset=cp1256"):
        decoded = decode(body, header)
        assert decoded.text == PAGE
        assert decoded.source == "utf-8"


def test_windows_1256_without_any_charset_is_detected() -> None:
    decoded = decode(PAGE.encode("cp1256"), "text/html")
    assert decoded.text == PAGE
    assert decoded.encoding == "cp1256"


def test_header_charset_wins_over_detection() -> None:
    decoded = decode(PAGE.encode("cp1256"), "text/html; charset=windows-1256")
    assert (decoded.text, decoded.source) == (PAGE, "header")


def test_meta_charset_and_xml_prolog() -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1256">')
    assert decode(page.encode("cp1256")).source == "meta"
    assert decode(page.encode("cp1256")).text == page
    xml = '<?xml version="1.0" encoding="windows-1256"?><rss><title>أخبار اليوم</title></rss>'
    assert decode(xml.encode("cp1256")).text == xml


def test_a_wrong_utf8_header_on_cp1256_bytes_still_decodes() -> None:
    decoded = decode(PAGE.encode("cp1256"), "text/html; charset=utf-8")
    assert decoded.text == PAGE


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_byte_order_marks(codec: str) -> None:
    decoded = decode(PAGE.encode(codec), "text/html; charset=cp1256")
    assert decoded.text == PAGE
    assert decoded.source == "bom"


def test_latin1_label_means_windows_1252() -> None:
    text = "<p>It’s a “quote” – café</p>"
    assert decode(text.encode("cp1252"), "text/html; charset=ISO-8859-1").text == text
