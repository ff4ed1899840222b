"""Text basics shared by every analysis: lexicon matching, normalisation, language ID, segmentation."""
