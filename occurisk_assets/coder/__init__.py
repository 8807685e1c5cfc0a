"""The occupation coder: free text (a job title, a résumé line, a posting) → O*NET SOC codes.

The interface other domains use:

    from occurisk_assets.coder import predict
    predict(["customer service rep"], k=3)  # → [[Prediction(soc_code, onetsoc_code, title, confidence), …]]

It loads the model registered as `production` for the active data_version (or the one named).
"""

from occurisk_assets.coder.model import OccupationCoder, Prediction
from occurisk_assets.coder.serving import CoderNotTrained, load_production_coder, predict

__all__ = ["CoderNotTrained", "OccupationCoder", "Prediction", "load_production_coder", "predict"]
