"""The embedded mode's shared cache: diskcache's Django backend, with its connections kept open.

Django closes every cache at the end of each request. Redis keeps a pool; diskcache
would close its SQLite connections and reopen them on the next request, which cost
more than rendering a cached page. Its connections are per thread and safe to keep.
"""

from diskcache import DjangoCache


class DiskCache(DjangoCache):
    def close(self, **kwargs):
        """Keep the per-thread SQLite connections for the next request (see the module docstring)."""
