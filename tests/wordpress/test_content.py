"""Post bodies, block markup or classic HTML, as khabar's article blocks: converted and sanitised."""

from khabar.wordpress.content import convert
from khabar.wordpress.comment_import import comment_text


def kinds(body):
    return [kind for kind, _ in body.blocks]


def test_blocks_become_text_quote_figure_and_embed():
    body = convert(
        "<!-- wp:paragraph --><p>فقرة <strong>مهمة</strong> و<em>مائلة</em>.</p><!-- /wp:paragraph -->"
        '<!-- wp:heading --><h2 class="wp-block-heading">عنوان فرعي</h2><!-- /wp:heading -->'
        "<!-- wp:list --><ul><li>أول</li><li>ثانٍ</li></ul><!-- /wp:list -->"
        '<!-- wp:quote --><blockquote class="wp-block-quote"><p>قول مأثور</p><cite>قائله</cite></blockquote><!-- /wp:quote -->'
        '<!-- wp:image {"id":7} --><figure class="wp-block-image"><img src="http://old/wp-content/uploads/a-1024x576.jpg" '
        'class="wp-image-7" alt="وصف"/><figcaption>تعليق الصورة</figcaption></figure><!-- /wp:image -->'
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc"} --><figure class="wp-block-embed is-type-video">'
        '<div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=abc\n</div></figure><!-- /wp:embed -->'
    )
    assert kinds(body) == ["text", "quote", "figure", "embed"]
    assert body.blocks[0][1] == "<p>فقرة <b>مهمة</b> و<i>مائلة</i>.</p><h2>عنوان فرعي</h2><ul><li>أول</li><li>ثانٍ</li></ul>"
    assert body.blocks[1][1] == {"text": "قول مأثور", "attribution": "قائله"}
    figure = body.blocks[2][1]
    assert (figure.attachment_id, figure.alt, figure.caption) == ("7", "وصف", "تعليق الصورة")
    assert body.blocks[3][1] == "https://www.youtube.com/watch?v=abc"


def test_classic_editor_html_gets_paragraphs_and_captions():
    body = convert(
        "السطر الأول\nوالثاني في الفقرة نفسها\n\nفقرة ثانية\n\n"
        '[caption id="attachment_9" align="alignnone"]<img class="wp-image-9" src="http://old/x.jpg" alt="" /> تعليق[/caption]'
    )
    assert body.blocks[0] == ("text", "<p>السطر الأول<br>والثاني في الفقرة نفسها</p><p>فقرة ثانية</p>")
    assert body.blocks[1][1].attachment_id == "9" and body.blocks[1][1].caption == "تعليق"


def test_hostile_markup_is_sanitised():
    body = convert(
        '<p onclick="steal()">نص<script>alert(1)</script><a href="javascript:alert(1)">رابط</a>'
        '<img src=x onerror=alert(1)><style>p{}</style><iframe src="https://evil.example"></iframe></p>'
        '<div><a href="https://example.org/x" style="color:red" target="_blank">آمن</a></div><svg onload="x()"></svg>'
    )
    html = "".join(value for kind, value in body.blocks if kind == "text")
    for hostile in ("script", "alert", "javascript", "onclick", "onerror", "style", "iframe", "svg", "target"):
        assert hostile not in html
    assert '<a href="https://example.org/x">آمن</a>' in html


def test_links_into_the_old_site_become_paths_that_redirect():
    body = convert('<p><a href="http://old.example.org/2018/05/khabar/">خبر سابق</a></p>', "http://old.example.org")
    assert body.blocks[0][1] == '<p><a href="/2018/05/khabar/">خبر سابق</a></p>'


def test_dateline_credit_and_bidi_repair_as_import_articles_does():
    body = convert(
        "<!-- wp:paragraph --><p>موسكو: بحث المسؤولون اليوم.</p><!-- /wp:paragraph -->"
        "<!-- wp:paragraph --><p>حصار متواصل منذ .2006</p><!-- /wp:paragraph -->"
        "<!-- wp:paragraph --><p>(وكالات)</p><!-- /wp:paragraph -->"
    )
    assert (body.dateline, body.credit) == ("موسكو", "وكالات")
    assert body.blocks == [("text", "<p>بحث المسؤولون اليوم.</p><p>حصار متواصل منذ 2006.</p>")]


def test_reported_speech_is_not_a_dateline():
    assert convert("<p>وقال: إن الوضع صعب.</p>").dateline == ""


def test_comment_text_keeps_paragraphs_and_spells_out_links():
    text = comment_text('<p>رأيي <strong>واضح</strong>.</p>\n<p>انظر <a href="https://example.org/a">هذا المقال</a></p>')
    assert text == "رأيي واضح.\n\nانظر هذا المقال (https://example.org/a)"
    assert comment_text("سطر\nوسطر آخر") == "سطر\nوسطر آخر"
