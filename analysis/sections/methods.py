"""The Methods section's tables: data sets, rows, hand-label checks, lexicon precision,
data quality and the verdicts' sensitivity to their thresholds."""

from __future__ import annotations

from analysis.claims.data import data_quality
from analysis.claims.needs import coverage
from analysis.claims.rules_table import sensitivity
from analysis.measures import content, language, methods
from analysis.measures.lexicon_checks import lexicon_precision
from analysis.sections.base import Inputs, Table


def _checks(x: Inputs):
    return x.once("checks", lambda: methods.hand_label_checks(x.bundle))


TABLES = (
    Table("sources", lambda x: methods.sources_table(x.bundle.sources)),
    Table("data_held", lambda x: methods.data_held({t: getattr(x.bundle, t) for t in methods.DATA_TABLES})),
    Table("coverage", lambda x: coverage(x.bundle).select("claim_id", "status", "limited_by", "from_build_data",
                                                          "from_public_reference")),
    Table("row_accounting", lambda x: methods.row_accounting(x.bundle.load_log)),
    Table("quarantine_reasons", lambda x: methods.quarantine_reasons(x.bundle.quarantine)),
    Table("hand_label_checks", _checks),
    Table("langid_confusion", lambda x: language.langid_confusion(x.bundle) if _checks(x).height else None,
          ("methods-language-id",)),
    Table("langid_accuracy", lambda x: language.langid_accuracy(x.bundle) if _checks(x).height else None,
          ("methods-language-id",)),
    Table("clickbait_transfer",
          lambda x: content.transfer_metrics(content.score_notes(x.bundle.notes, x.clickbait_model),
                                             content.read_clickbait_labels(), x.clickbait_model),
          ("tech-clickbait-transfer",)),
    Table("lexicon_precision", lambda x: lexicon_precision(x.bundle.notes)),
    Table("data_quality", lambda x: data_quality(x.bundle)),
    Table("sensitivity", lambda x: sensitivity(x.bundle)),
)
