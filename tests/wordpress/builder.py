"""Small WordPress exports written by the tests, shaped like WordPress 6.1's own exporter writes them."""

from xml.sax.saxutils import escape

BASE = "http://old.example.org"


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login="editor", name="محرر الموقع", wp_id=2):
    return (
        f"<wp:author><wp:author_id>{wp_id}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(login + '@example.org')}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>"
    )


def category(nicename, name, parent=""):
    return (
        f"<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>{cdata(nicename)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
    )


def comment(wp_id, text, parent=0, approved="1", name="قارئ", email="reader@example.org", kind="comment", user_id=0):
    return (
        f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id><wp:comment_author>{cdata(name)}</wp:comment_author>"
        f"<wp:comment_author_email>{cdata(email)}</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>"
        f"<wp:comment_author_IP>{cdata('192.0.2.1')}</wp:comment_author_IP>"
        f"<wp:comment_date>{cdata('2018-05-09 10:00:00')}</wp:comment_date>"
        f"<wp:comment_date_gmt>{cdata('2018-05-09 07:00:00')}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(text)}</wp:comment_content><wp:comment_approved>{cdata(approved)}</wp:comment_approved>"
        f"<wp:comment_type>{cdata(kind)}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
        f"<wp:comment_user_id>{user_id}</wp:comment_user_id></wp:comment>"
    )


def post(wp_id, title, body="<!-- wp:paragraph --><p>نص الخبر.</p><!-- /wp:paragraph -->", slug=None, status="publish",
         kind="post", creator="editor", date="2018-05-09 09:00:00", date_gmt="2018-05-09 06:00:00",
         modified=None, categories=(("akhbar", "أخبار"),), tags=(), comments=(), meta=(), password="",
         sticky=False, excerpt="", link=None):
    slug = slug if slug is not None else f"post-{wp_id}"
    link = link or (f"{BASE}/2018/05/{slug}/" if slug else f"{BASE}/?p={wp_id}")
    terms = "".join(
        f'<category domain="category" nicename="{escape(n)}">{cdata(name)}</category>' for n, name in categories
    ) + "".join(f'<category domain="post_tag" nicename="{escape(n)}">{cdata(name)}</category>' for n, name in tags)
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in meta
    )
    return (
        f"<item><title>{cdata(title)}</title><link>{escape(link)}</link><dc:creator>{cdata(creator)}</dc:creator>"
        f"<content:encoded>{cdata(body)}</content:encoded><excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>"
        f"<wp:post_id>{wp_id}</wp:post_id><wp:post_date>{cdata(date)}</wp:post_date>"
        f"<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>"
        f"<wp:post_modified>{cdata(modified or date)}</wp:post_modified>"
        f"<wp:post_modified_gmt>{cdata(modified or date_gmt)}</wp:post_modified_gmt>"
        f"<wp:comment_status>{cdata('open')}</wp:comment_status><wp:post_name>{cdata(slug)}</wp:post_name>"
        f"<wp:status>{cdata(status)}</wp:status><wp:post_parent>0</wp:post_parent>"
        f"<wp:post_type>{cdata(kind)}</wp:post_type><wp:post_password>{cdata(password)}</wp:post_password>"
        f"<wp:is_sticky>{int(sticky)}</wp:is_sticky>{terms}{metas}{''.join(comments)}</item>"
    )


def export(*items, authors=(author(),), categories=(category("akhbar", "أخبار"),), version="1.2"):
    ns = f"http://wordpress.org/export/{version}/"
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f'<rss version="2.0" xmlns:excerpt="{ns}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:wp="{ns}">\n<channel>\n<title>موقع قديم</title><link>{BASE}</link>\n'
        f"<wp:wxr_version>{version}</wp:wxr_version><wp:base_site_url>{BASE}</wp:base_site_url>\n"
        + "\n".join(authors) + "\n" + "\n".join(categories) + "\n" + "\n".join(items) + "\n</channel>\n</rss>\n"
    )


def write(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path
