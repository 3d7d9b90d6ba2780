"""Readers' comments under articles: «اترك تعليقاً», moderated, private and spam-proof.

How a cached article page and a comment form coexist
----------------------------------------------------
The article page is the same HTML for every reader, so a CDN, a reverse proxy
or Django's cache may serve it to anyone:

* Rendering the form needs no session and no CSRF cookie. The form carries a
  signed, timestamped token (``tokens.py``) that names the article and nothing
  about the reader. It proves the form came from our page, lets the view refuse
  a submission made too soon after the form was issued (a bot) or long after
  (a replayed form), and is the same for everyone who gets that cached copy.
  When JavaScript runs, the token is refreshed from ``/comments/token/<id>/``
  (never cached) when the reader first enters the form, so the minimum-time check
  measures the reader, not the cache.
* The POST view is exempt from Django's CSRF middleware and does the check that
  matters itself: the browser's ``Origin`` header (or ``Referer`` when Origin is
  absent) must be this site (``KHABAR_SITE_URL``, ``KHABAR_CSRF_TRUSTED_ORIGINS``
  or the requested host). A reader has no account and nothing to steal; the one
  ambient authority, a logged-in moderator posting a staff reply, is only
  granted to a same-origin request.
* "Remember me" is done in the browser: ``comments.js`` keeps name, e-mail and
  website in ``localStorage`` only when the reader ticks the box, and fills the
  form from there. The server never sets a cookie for commenters, so the page
  is never personalised and never bypasses the cache.
* After a POST the reader is redirected (303) back to the article with
  ``?comment=pending`` or ``?comment=approved``: a URL that shows the same
  message to anyone, so it is cacheable too. Errors re-render the article with
  the form, the reader's text and Arabic messages (a POST response, never cached).
* Approving, editing or deleting a visible comment purges that article from
  the frontend cache and Django's page cache through a task (``tasks.py``).

Layout: ``models`` (Comment, BlockedTerm), ``forms`` and ``text`` (validation and
cleaning), ``tokens``, ``sources`` (hashed address; origin checks live in
``khabar.request_source``; rate limits and the e-mail field: ``khabar.identity``),
``checks/`` (pluggable spam checks), ``moderation`` (the status a new comment
gets), ``threads`` (what the article page shows, in two queries), ``views``,
``signals`` (the one it sends), ``signal_handlers`` and ``tasks`` (purge, moderator
mail), ``privacy`` (export, erase), ``admin_views`` and ``wagtail_hooks`` (the
moderation queue).
"""
