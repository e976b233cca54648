"""Static files under hashed names, gzip-compressed, once collected.

`irtis collectstatic` (which `irtis serve` runs before it starts) writes each file under a name
that carries its content's hash, with a gzip copy beside it, so WhiteNoise can answer with the
compressed copy and let browsers keep it for a year. Before any collection (development, tests)
the manifest is empty and pages name the files as they are, served by the finders.
"""

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    keep_only_hashed_files = True  # the finders serve the originals; half the files to compress

    def create_compressor(self, **kwargs: Any) -> Compressor:
        # gzip only: Brotli at its best quality took most of collectstatic's time (the API docs'
        # 2.5 MB of script) for a few per cent fewer bytes on the division's own network; source
        # maps (5 MB more) are read by developers' tools only.
        kwargs["extensions"] = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
        return Compressor(use_brotli=False, **kwargs)

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # nothing collected yet
            return name
        return super().stored_name(name)
