"""Optional demo content: a week of invented news, so a fresh site looks like a newspaper.

The stories are data (``stories.json``); ``loader`` publishes them and ``images`` draws their
pictures. ``khabar manage load_demo`` loads them on a site with no articles. No other part of
khabar imports this app: leave it out of INSTALLED_APPS and the site has no demo at all.
"""
