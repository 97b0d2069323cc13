-- The product catalogue (src/products). One row per published product version; a version is
-- immutable once loaded (a change is a new version). `definition` holds the canonical JSON of the
-- product file and `definition_hash` its SHA-256 hex; dates are 'YYYY-MM-DD' text (they sort as
-- text); `effective_to` is inclusive and NULL when open-ended; `loaded_at` is Unix ms.
CREATE TABLE products (
  code TEXT NOT NULL,
  version BIGINT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  line_of_business TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  effective_to TEXT,
  definition TEXT NOT NULL,
  definition_hash TEXT NOT NULL,
  loaded_at BIGINT NOT NULL,
  PRIMARY KEY (code, version)
);

CREATE INDEX products_line_effective ON products (line_of_business, effective_from);
