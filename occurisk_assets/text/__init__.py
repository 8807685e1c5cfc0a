"""The one text-understanding layer of occurisk: every place where text a person wrote comes in (search, the
work-history job finder, résumé parsing, check-a-job-ad, postings coding and matching, cover-letter
checklists) uses these functions, and no second copy of them.

- `occurisk_assets.text.encoder.encode(texts)`: sentences (Korean, English and 14 other languages) → L2-normalised
  float32 vectors; `MODEL_NAME` / `MODEL_VERSION` name the model stored beside every embedding.
"""
