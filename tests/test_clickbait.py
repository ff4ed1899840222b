"""Specifications of analysis.measures.clickbait: the benchmark model, its cache, the Chinese
lexicon score and how titles are routed by language."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analysis.claims.models import load_or_fit_model
from analysis.measures import clickbait as cb

# First honest run (2026-11-25, seed 20250113, 25,600 train / 6,400 held out):
# accuracy 0.9809, F1 0.9809, ROC AUC 0.9977. Floors sit just below it.
HELD_OUT_FLOOR = {"accuracy": 0.975, "f1": 0.975, "roc_auc": 0.997}

_CLICKBAIT = [
    "You Won't Believe What This Cat Did Next", "21 Things Only Introverts Will Understand",
    "This Quiz Will Tell You Which Pizza You Are", "17 Photos That Will Make You Laugh Out Loud",
    "Here's Why Everyone Is Talking About This Dress", "Can You Guess The Movie From One Frame",
    "This Is What Happens When You Stop Sleeping", "People Are Freaking Out Over This Video",
    "23 Dogs Who Are Having A Better Day Than You", "Which Disney Princess Are You Really",
    "The One Trick Everyone Should Know", "We Tried It So You Don't Have To",
]
_NEWS = [
    "Senate passes budget bill after long debate", "Earthquake strikes off the coast of Chile",
    "Central bank holds interest rates steady", "Flooding forces thousands from homes in Bangladesh",
    "Court rules on immigration appeal", "Oil prices fall as supply rises",
    "Minister resigns over expenses inquiry", "Election results delayed in three states",
    "Company reports quarterly loss", "Talks resume over trade agreement",
    "Police arrest suspect in bank robbery", "Parliament votes to extend emergency powers",
]


@pytest.fixture(scope="module")
def tiny_headlines() -> pl.DataFrame:
    return pl.DataFrame({"headline": _CLICKBAIT + _NEWS,
                         "is_clickbait": [True] * len(_CLICKBAIT) + [False] * len(_NEWS)})


@pytest.fixture(scope="module")
def tiny_model(tiny_headlines):
    return cb.fit_clickbait_model(tiny_headlines)


def test__fit_clickbait_model__held_out_metrics_above_floor(real_bundle):
    model = cb.fit_clickbait_model(real_bundle.headlines)
    h = model.held_out
    print(f"\nclickbait benchmark held-out (n_train={h.n_train}, n_test={h.n_test}): "
          f"accuracy {h.accuracy:.4f}, F1 {h.f1:.4f}, ROC AUC {h.roc_auc:.4f}")
    assert h.n_test == round(real_bundle.headlines.height * cb.TEST_SIZE)
    assert h.accuracy >= HELD_OUT_FLOOR["accuracy"]
    assert h.f1 >= HELD_OUT_FLOOR["f1"]
    assert h.roc_auc >= HELD_OUT_FLOOR["roc_auc"]


def test__fit_clickbait_model__writes_no_file(tiny_headlines, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REDNOTE_CACHE_DIR", str(tmp_path / "cache"))
    cb.fit_clickbait_model(tiny_headlines)
    assert list(tmp_path.iterdir()) == []


def test__load_or_fit_model__stored_model_gives_identical_scores(tiny_headlines, tmp_path):
    titles = pl.DataFrame({"title": ["You won't believe this", "Court rules on appeal", "谁懂啊 家人们"]})
    fresh = load_or_fit_model(tiny_headlines, tmp_path)
    assert len(list(tmp_path.glob("clickbait-en-*.joblib"))) == 1
    cached = load_or_fit_model(tiny_headlines, tmp_path)
    uncached = cb.fit_clickbait_model(tiny_headlines)
    assert cached.key == fresh.key == uncached.key
    assert cached.held_out == fresh.held_out == uncached.held_out
    assert_frame_equal(cb.score_titles(titles, cached), cb.score_titles(titles, fresh))
    assert_frame_equal(cb.score_titles(titles, cached), cb.score_titles(titles, uncached))


def test__load_or_fit_model__refits_over_a_corrupt_file(tiny_headlines, tmp_path):
    first = load_or_fit_model(tiny_headlines, tmp_path)
    path = next(tmp_path.glob("clickbait-en-*.joblib"))
    path.write_bytes(b"not a model")
    again = load_or_fit_model(tiny_headlines, tmp_path)
    assert again.held_out == first.held_out
    assert_frame_equal(again.held_out_scores, first.held_out_scores)


def test__load_or_fit_model__key_changes_with_training_rows(tiny_headlines, tmp_path):
    a = load_or_fit_model(tiny_headlines, tmp_path)
    b = load_or_fit_model(tiny_headlines.reverse(), tmp_path)
    assert a.key != b.key
    assert len(list(tmp_path.glob("clickbait-en-*.joblib"))) == 2


def test__fit_clickbait_model__needs_both_classes():
    one_class = pl.DataFrame({"headline": _NEWS, "is_clickbait": [False] * len(_NEWS)})
    with pytest.raises(cb.ClickbaitInputError, match="at least 10 headlines of each class"):
        cb.fit_clickbait_model(one_class)


def test__fit_clickbait_model__names_missing_columns():
    with pytest.raises(cb.ClickbaitInputError, match=r"lacks column\(s\) \['is_clickbait'\]"):
        cb.fit_clickbait_model(pl.DataFrame({"headline": ["a"]}))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("达拉斯美食", 0.0),  # no marker, no punctuation
        ("达拉斯天花板", 0.35),  # hype alone
        ("5家冰淇淋", 0.3),  # listicle count alone
        # shock 0.6, and one "!" in 3 characters (NFKC of ！) → density weight 0.3: 1 − 0.4 · 0.7
        ("震惊！", 0.72),
        # bait_address (家人们, 谁懂: one category, counted once) 0.4 and hype 0.35: 1 − 0.6 · 0.65
        ("家人们谁懂啊绝了", 0.61),
        # one "?" in 20 characters: density 10·1/20 = 0.5 → 0.3 · 0.5
        ("我想去中国玩有推荐的地方吗这里是十九字?", 0.15),
    ],
)
def test__zh_score_expr__noisy_or_by_hand(title, expected):
    got = pl.select(cb.zh_score_expr(pl.lit(title))).item()
    assert got == pytest.approx(expected, abs=1e-9)


def test__zh_score_expr__rejects_category_without_weight():
    lex = pl.DataFrame({"category": ["mystery"], "term": ["谜"], "lang": ["zh"], "match": ["substring"]})
    with pytest.raises(cb.ClickbaitInputError, match=r"categories \['mystery'\] have no weight"):
        cb.zh_score_expr(pl.col("title"), lex)


def test__score_titles__routes_by_title_language(tiny_model):
    titles = pl.DataFrame({"title": [
        "You won't believe this cat",  # english → model
        "达拉斯探店｜这家店居然开业了",  # chinese → lexicon
        "Trade Joe's 最好吃的Salsa酱",  # Latin names in a Chinese title → chinese
        "I am so happy to be here and meet you 我很高兴来到这里认识大家",  # bilingual → max of both
        "🎄🥰",  # nothing to score
        None,
    ]})
    got = cb.score_titles(titles, tiny_model)
    assert got["title_language"].to_list() == ["english", "chinese", "chinese", "bilingual", None, None]
    assert got["score_en"].is_null().to_list() == [False, True, True, False, True, True]
    assert got["score_zh"].is_null().to_list() == [True, False, False, False, True, True]
    expected = got.select(
        pl.when(pl.col("title_language") == "english").then("score_en")
        .when(pl.col("title_language") == "chinese").then("score_zh")
        .when(pl.col("title_language") == "bilingual").then(pl.max_horizontal("score_en", "score_zh"))
        .alias("clickbait_score"))
    assert_frame_equal(got.select("clickbait_score"), expected)
    assert got["score_zh"][1] == pytest.approx(0.6)  # 居然: shock
    assert got["is_clickbait"].to_list()[1] is True


def test__score_titles__keeps_input_rows_and_columns(tiny_model):
    titles = pl.DataFrame({"note_id": ["a", "b"], "title": ["hello", "你好朋友们"]})
    got = cb.score_titles(titles, tiny_model)
    assert got.columns == ["note_id", "title", *cb.SCORE_SCHEMA]
    assert got["note_id"].to_list() == ["a", "b"]


def test__score_titles__needs_a_title_column(tiny_model):
    with pytest.raises(cb.ClickbaitInputError, match="no `title` column"):
        cb.score_titles(pl.DataFrame({"text": ["x"]}), tiny_model)


def test__score_titles__batches_and_repeats_score_like_one_model_call(tiny_model, monkeypatch):
    titles = ["You won't believe this cat", "Court rules on appeal", "Which pizza are you",
              "You won't believe this cat", "Oil prices fall"] * 3
    monkeypatch.setattr(cb, "SCORE_BATCH", 2)
    got = cb.score_titles(pl.DataFrame({"title": titles}), tiny_model)["score_en"].to_list()
    direct = tiny_model.pipeline.predict_proba(titles)[:, 1].tolist()
    assert got == pytest.approx(direct, abs=1e-12)
