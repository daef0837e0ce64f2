"""Place resolution: gazetteer lookups and toponym matching."""
