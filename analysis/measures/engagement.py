"""Engagement drivers: which note features go with more likes and saves.

A negative binomial regression (NB2, statsmodels) of a note's likes — and, separately,
its saves — on its features, with standard errors clustered by account (an account's
notes share its audience). Coefficients are reported as rate ratios with 95% intervals:
"notes with X get RR times the likes of the reference level, other features equal".
This is association in observational data, not cause: audience size, topic and the
platform's recommendation are not in the model. Counts the source gave as "at least"
(``1万+``) enter as that floor.

Features (reference level first):
    data set        as given (newcomers and established creators differ in everything else)
    note type       normal (image) / video
    length          own words in characters: ≤20, 21–100, 101–300, >300
    language        langid: english / chinese / bilingual / other
    hashtags        0, 1–3, 4–9, ≥10
    posting hour    in ``tz``: 06–11, 12–17, 18–23, 00–05
    weekday         Monday … Sunday, in ``tz``
    account age     days from account creation to posting: ≥365, 30–364, <30, unknown

``saves_per_like`` is a usefulness signal: saves per like pooled over a group's notes
(a note saved to come back to, relative to one merely liked), with a bootstrap interval.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from analysis import stats
from analysis.measures.common import DAY_TZ
from analysis.text.normalise import post_text, strip_markup

OUTCOMES = {"liked_count": "likes", "collected_count": "saves"}
FEATURES = ("dataset", "note_type", "length", "language", "hashtags", "hour", "weekday", "account_age")
LEVELS = {
    "note_type": ("normal", "video"),
    "length": ("≤20", "21–100", "101–300", ">300"),
    "language": ("english", "chinese", "bilingual", "other"),
    "hashtags": ("0", "1–3", "4–9", "≥10"),
    "hour": ("06–11", "12–17", "18–23", "00–05"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "account_age": ("≥365 days", "30–364 days", "<30 days", "unknown"),
}
#: Levels with fewer notes than this are reported but flagged: their intervals are wide.
MIN_LEVEL_N = 30

MODEL_SCHEMA = {"outcome": pl.String(), "feature": pl.String(), "level": pl.String(), "reference": pl.String(),
                "rate_ratio": pl.Float64(), "lo": pl.Float64(), "hi": pl.Float64(), "p": pl.Float64(),
                "level_n": pl.Int64(), "n": pl.Int64(), "accounts": pl.Int64(), "note": pl.String()}


class ModelError(RuntimeError):
    """The count model could not be fitted; the message says why."""


def _band(expr: pl.Expr, cuts: tuple[int, ...], labels: tuple[str, ...]) -> pl.Expr:
    out = pl.when(expr <= cuts[0]).then(pl.lit(labels[0]))
    for cut, label in zip(cuts[1:], labels[1:-1], strict=True):
        out = out.when(expr <= cut).then(pl.lit(label))
    return out.otherwise(pl.lit(labels[-1]))


def note_features(notes: pl.DataFrame | pl.LazyFrame, languages: pl.DataFrame, tz: str = DAY_TZ) -> pl.DataFrame:
    """One row per note: dataset, note_id, account_id, likes and saves counts and the
    banded features of the module docstring. ``languages`` is (dataset, note_id, language),
    e.g. ``analysis.text.langid.identify(notes)``."""
    local = pl.col("published_at").dt.convert_time_zone(tz)
    chars = strip_markup(post_text("title", "text")).str.len_chars()
    age = (pl.col("published_at").dt.date() - pl.col("account_created_on")).dt.total_days()
    hour = local.dt.hour()
    return (
        notes.lazy()
        .join(languages.lazy().select("dataset", "note_id", "language"), on=["dataset", "note_id"],
              how="left", validate="1:1")
        .select(
            "dataset", "note_id", "account_id", "liked_count", "collected_count",
            pl.col("note_type").fill_null("normal"),
            _band(chars, (20, 100, 300), LEVELS["length"]).alias("length"),
            pl.col("language").fill_null("other"),
            _band(pl.col("tags").list.len().fill_null(0), (0, 3, 9), LEVELS["hashtags"]).alias("hashtags"),
            pl.when(hour < 6).then(pl.lit("00–05")).when(hour < 12).then(pl.lit("06–11"))
            .when(hour < 18).then(pl.lit("12–17")).otherwise(pl.lit("18–23")).alias("hour"),
            local.dt.strftime("%A").alias("weekday"),
            pl.when(age.is_null()).then(pl.lit("unknown")).when(age < 30).then(pl.lit("<30 days"))
            .when(age < 365).then(pl.lit("30–364 days")).otherwise(pl.lit("≥365 days")).alias("account_age"),
        )
        .collect()
    )


def _design(features: pl.DataFrame, outcome: str) -> tuple[pl.DataFrame, list[str], dict[str, str]]:
    """Rows with the outcome, the features that vary, and each feature's reference level
    (the first level of LEVELS present; for data set the largest)."""
    rows = features.filter(pl.col(outcome).is_not_null())
    used, refs = [], {}
    for feat in FEATURES:
        present = rows[feat].unique().to_list()
        if len(present) < 2:
            continue
        if feat == "dataset":
            refs[feat] = rows[feat].value_counts(sort=True)[feat][0]
        else:
            refs[feat] = next(lv for lv in LEVELS[feat] if lv in present)
        used.append(feat)
    return rows, used, refs


def _dummies(rows: pl.DataFrame, used: list[str], refs: dict[str, str]) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """The treatment-coded design matrix: an intercept, then per feature one 0/1 column for
    each level but the reference, levels in sorted order (as patsy's ``C(f, Treatment(ref))``
    lays them out); built by polars, since patsy codes categories one value at a time."""
    columns = [pl.lit(1.0).alias("Intercept")]
    names = []
    for feat in used:
        for level in sorted(rows[feat].unique().to_list()):
            if level != refs[feat]:
                columns.append((pl.col(feat) == level).cast(pl.Float64).alias(f"{feat}\x1f{level}"))
                names.append((feat, level))
    return rows.select(columns).to_numpy(), names


def fit_count_model(features: pl.DataFrame, outcome: str = "liked_count", conf: float = 0.95) -> pl.DataFrame:
    """NB2 regression of ``outcome`` on the features, errors clustered by account; one row
    per non-reference level: rate ratio, interval, p, notes at that level."""
    import warnings

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    rows, used, refs = _design(features, outcome)
    if rows.height < stats.MIN_N or rows["account_id"].n_unique() < 2 or not used:
        raise ModelError(f"{OUTCOMES.get(outcome, outcome)}: {rows.height} notes from "
                         f"{rows['account_id'].n_unique()} accounts; the model needs at least {stats.MIN_N} notes, "
                         "two accounts and one feature that varies")
    x, names = _dummies(rows, used, refs)
    y = rows[outcome].cast(pl.Float64).to_numpy()
    groups = rows["account_id"].rank("dense").cast(pl.Int64).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, HessianInversionWarning, RuntimeWarning))
        try:
            # Newton from zero diverges on counts in the 10^5 range: start from the Poisson fit.
            start = sm.Poisson(y, x).fit(method="newton", maxiter=100, disp=0).params
            fit = sm.NegativeBinomial(y, x).fit(
                start_params=np.append(start, 1.0), method="bfgs", maxiter=2000, disp=0,
                cov_type="cluster", cov_kwds={"groups": groups})
        except (np.linalg.LinAlgError, ValueError) as exc:
            raise ModelError(f"{OUTCOMES.get(outcome, outcome)}: the negative binomial fit failed ({exc})") from None
    if not fit.mle_retvals.get("converged", False) or not np.isfinite(fit.params).all():
        raise ModelError(f"{OUTCOMES.get(outcome, outcome)}: the negative binomial fit did not converge")
    ci = np.asarray(fit.conf_int(alpha=1 - conf))
    level_n = {(f, lv): c for f in used for lv, c in rows[f].value_counts().rows()}
    accounts = rows["account_id"].n_unique()
    out = []
    for i, (feat, level) in enumerate(names, start=1):  # column 0 is the intercept
        k = level_n.get((feat, level), 0)
        out.append({
            "outcome": OUTCOMES.get(outcome, outcome), "feature": feat, "level": level, "reference": refs[feat],
            "rate_ratio": math.exp(fit.params[i]), "lo": math.exp(ci[i, 0]), "hi": math.exp(ci[i, 1]),
            "p": float(fit.pvalues[i]), "level_n": k, "n": rows.height, "accounts": accounts,
            "note": "NB2, errors clustered by account; association, not cause"
                    + (f"; fewer than {MIN_LEVEL_N} notes at this level" if k < MIN_LEVEL_N else ""),
        })
    order = {f: i for i, f in enumerate(FEATURES)}
    return (pl.DataFrame(out, schema=MODEL_SCHEMA)
            .sort(pl.col("feature").replace_strict(order, return_dtype=pl.Int64), "level"))


def engagement_models(features: pl.DataFrame, conf: float = 0.95) -> pl.DataFrame:
    """``fit_count_model`` for likes and for saves, stacked."""
    return pl.concat([fit_count_model(features, outcome, conf) for outcome in OUTCOMES])


def saves_per_like(features: pl.DataFrame, by: str = "dataset") -> pl.DataFrame:
    """Saves per like pooled over each group's notes (notes with both counts), with a
    percentile bootstrap 95% interval over notes: columns group, saves, likes, ratio, lo, hi, n."""
    rows = features.filter(pl.col("liked_count").is_not_null() & pl.col("collected_count").is_not_null())
    out = []
    for (group,), part in rows.sort(by).group_by(by, maintain_order=True):
        ratio, lo, hi = stats.bootstrap_ratio_of_sums(part["collected_count"].to_numpy().astype(float),
                                                      part["liked_count"].to_numpy().astype(float))
        out.append({"group": str(group), "saves": int(part["collected_count"].sum()),
                    "likes": int(part["liked_count"].sum()), "ratio": ratio, "lo": lo, "hi": hi, "n": part.height})
    return pl.DataFrame(out, schema={"group": pl.String, "saves": pl.Int64, "likes": pl.Int64, "ratio": pl.Float64,
                                     "lo": pl.Float64, "hi": pl.Float64, "n": pl.Int64})
