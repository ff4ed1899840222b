"""Fitted models kept as build artefacts: fitted once, stored at a path the caller
chooses, and handed to the measures as arguments (measures never read or write files)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import polars as pl

from analysis import config
from analysis.measures.clickbait import ClickbaitModel, check_headlines, fit_model, model_key


#: Where a build keeps its fitted models unless told otherwise.
def models_dir() -> Path:
    return config.cache_dir() / "models"


def load_or_fit_model(headlines: pl.DataFrame, folder: Path | None = None) -> ClickbaitModel:
    """The model fitted on ``headlines``, kept in ``folder`` as a build artefact.

    The file name carries a key hashing the training rows, ``MODEL_PARAMS``, the split
    settings, the fitting code and the scikit-learn version, so a stored model is exactly
    what a fresh fit would give; a missing, truncated or outdated file is refitted and
    replaced atomically. The caller chooses ``folder`` (e.g. ``<cache_dir>/models``).
    """
    import joblib

    folder = models_dir() if folder is None else folder
    frame = check_headlines(headlines)
    key = model_key(frame)
    path = folder / f"clickbait-en-{key}.joblib"
    if path.exists():
        try:
            model = joblib.load(path)
        except (EOFError, KeyError, ValueError, AttributeError, ModuleNotFoundError, pickle.UnpicklingError):
            model = None  # a truncated or outdated file: refit and overwrite it
        if isinstance(model, ClickbaitModel) and model.key == key:
            return model
    model = fit_model(frame, key)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    joblib.dump(model, tmp)
    tmp.replace(path)  # atomic: a concurrent reader never sees half a file
    return model


