"""The one text-understanding layer of occurisk: every place where text a person wrote comes in (search, the
work-history job finder, résumé parsing, check-a-job-ad, postings coding and matching, cover-letter
checklists) uses these functions, and no second copy of them.

- **Encode** — `encoder.encode(texts) -> np.ndarray`: sentences (Korean, English and 14 other languages) →
  L2-normalised float32 rows (cosine = dot product); `encoder.MODEL_NAME` / `MODEL_VERSION` name the model
  stored beside every embedding. A release's O*NET texts are built once per data_version
  (`embeddings.build_embeddings`, asset text/onet_text_embeddings) and read with
  `embeddings.load_embeddings(conn, data_version, source)`.
- **Code an occupation** — free text → SOC codes with confidences: the occupation coder,
  `occurisk_assets.defs.coder.load_production_coder(data_version).predict(texts, k)` (coder v2, built on
  the encoder, replaces it behind the same call).
- **Match a requirement to evidence** — `requirements.check_ad(ad, lines)` (an ad's single demands, from
  `requirements.split_demands`) or `requirements.judge(demands, lines)`: each demand SHOWN / PARTLY_SHOWN /
  NOT_SHOWN by the person's lines, with the line or clause quoted (`Judgement`).
- **Match a duty to tasks** — `requirements.propose_tasks(duties, task_statements, limit)`: the tasks the
  person's own duties show, best first, with their scores.
"""
