"""Specification of analysis.figures.politics: titles state the computed finding."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
from canonical_rows import notes_frame
from chart_spec import marks, panels

from analysis import reference
from analysis.figures import politics as politics_figs
from analysis.measures import politics
from analysis.measures.migration import daily_activity
from analysis.results import results_frame
from analysis.stats import MIN_N, proportion


def _notes() -> pl.DataFrame:
    # 3 posts on 13 Jan (US Eastern), 1 on 20 Jan: 3 of 4 in the surge week.
    return notes_frame([
        {"published_at": "2025-01-13 15:00", "liked_count": 10},
        {"published_at": "2025-01-13 16:00", "liked_count": 20},
        {"published_at": "2025-01-14 15:00", "liked_count": 30},
        {"published_at": "2025-01-21 15:00", "liked_count": 40},
    ])


def test__daily_volume__title_states_the_surge_week_share_and_events_join_their_days():
    daily = daily_activity(_notes())
    figure = politics_figs.daily_volume(daily, reference.timeline(), politics.surge_concentration(daily), "fixture")
    assert figure.title.startswith("75% of #TikTokRefugee posts came in the 7 days from 13 Jan 2025")
    assert figure.n == 4
    events = figure.data.filter(pl.col("event").is_not_null()).select("day", "short").rows()
    assert events == [(date(2025, 1, 17), "ruling"), (date(2025, 1, 18), "dark"), (date(2025, 1, 19), "restored"),
                      (date(2025, 1, 20), "EO 14166")]
    assert figure.chart.to_dict()["width"] == "container"


def test__daily_volume__event_labels_each_get_their_own_row_in_date_order():
    daily = daily_activity(_notes())
    figure = politics_figs.daily_volume(daily, reference.timeline(), politics.surge_concentration(daily), "fixture")
    texts = [m for m in marks(figure.chart) if m.type == "text"]
    labels = sorted({(r["day"], r["short"], r["label_y"]) for m in texts for r in m.rows})
    # Events inside 13–21 Jan: ruling 17, dark 18, restored 19, EO 20 Jan; a row of 14 px each.
    assert [(s, y) for _, s, y in labels] == [("ruling", 14), ("dark", 28), ("restored", 42), ("EO 14166", 56)]
    # The bars (at most 2 posts a day: 13 Jan US Eastern) leave room above them for the four label rows.
    bars = next(m for m in marks(figure.chart) if m.type == "bar")
    assert bars.encoding["y"]["scale"]["domain"] == [0, 2 / (1 - 5 * 14 / 320)]
    spec = json.dumps(figure.chart.to_dict())
    assert "#b2182b" not in spec and '"fontSize": 10' not in spec


def test__firewall_timeline__title_counts_agreeing_dates_and_months_to_the_ban():
    timeline = reference.timeline()
    figure = politics_figs.firewall_timeline(politics.firewall_agreement(politics.load_article_dates(), timeline), timeline)
    # PAFACA 24 Apr 2024 to dark 18 Jan 2025: 269 days, 8.8 months.
    assert figure.title == ("5 of 5 exit dates in the article match the record; the US ban took 9 months from law "
                            "(PAFACA) to TikTok going dark")
    assert figure.data.height == 12
    assert figure.claims == ("T1", "P1")


def test__firewall_timeline__exits_and_ban_are_two_panels_each_on_its_own_time_scale():
    timeline = reference.timeline()
    figure = politics_figs.firewall_timeline(politics.firewall_agreement(politics.load_article_dates(), timeline), timeline)
    top, bottom = panels(figure.chart)
    assert top["title"] == "US platforms' exits from China, 2009–2021"
    assert bottom["title"] == "The US TikTok ban, Apr 2024 – Feb 2025"
    assert figure.chart.to_dict()["resolve"]["scale"]["x"] == "independent"
    by_panel = {i: {r["label"] for m in marks(figure.chart) if m.panel == i for r in m.rows} for i in (0, 1)}
    # data/reference/timeline.csv: five exits 2009–2021, seven ban events 24 Apr 2024 – 13 Feb 2025.
    assert by_panel[0] == {"Twitter", "Facebook", "Google", "Instagram", "LinkedIn"}
    assert len(by_panel[1]) == 7 and "hearing · 10 Jan 2025" in by_panel[1] and "PAFACA · 24 Apr 2024" in by_panel[1]
    legends = [m.encoding["color"]["legend"] for m in marks(figure.chart)]
    assert all(lg["orient"] == "bottom" and lg["columns"] == 2 for lg in legends)
    # Periods drawn as bars only where the article names one (the exits).
    assert [m.panel for m in marks(figure.chart) if m.type == "bar"] == [0]


def test__privacy_mentions__title_counts_posts():
    mentions = results_frame([
        proportion(k, 724, measure="mention_share", group=g, source="x")
        for g, k in (("privacy", 1), ("my_data", 1), ("data_safer", 1), ("us_government", 6), ("data_privacy", 2))
    ])
    figure = politics_figs.privacy_mentions(mentions, "x")
    assert figure.title == ("Only 2 of 724 #TikTokRefugee posts (0.3%) talk about privacy or their data; 6 blame the "
                            "US government")


def test__tourism__title_states_growth_and_visa_free_entries():
    table = politics.tourism_table()
    figure = politics_figs.tourism(table, politics.tourism_results(table), reference.timeline())
    assert figure.title.startswith("Foreigner border crossings rose 83% in 2024")
    assert "20.1M visa-free entries" in figure.title
    assert figure.data["bar"].to_list() == ["2019 visits", "2023 crossings", "2024 crossings", "2024 visa-free"]


def _phase_notes() -> pl.DataFrame:
    # before the hearing: 1 post (10,000 likes); hearing to ruling (10–16 Jan): 33 posts, likes 0..32
    # (median 16); ruling, blackout, restoration (17–19 Jan): 2 posts (5,000 likes); back in app
    # stores (from 13 Feb): 31 posts, likes 100..130 (median 115); none in the 75-day pause.
    rows = [{"published_at": "2025-01-05 15:00", "liked_count": 10_000}]
    rows += [{"published_at": "2025-01-14 15:00", "liked_count": k} for k in range(33)]
    rows += [{"published_at": "2025-01-18 15:00", "liked_count": 5_000}] * 2
    rows += [{"published_at": "2025-02-20 15:00", "liked_count": 100 + k} for k in range(31)]
    return notes_frame(rows)


def test__phase_engagement__title_names_the_busiest_phase_and_the_last_one():
    figure = politics_figs.phase_engagement(
        politics.phase_engagement(_phase_notes(), reference.timeline()), "x")
    assert figure.title == ("Posts in the busiest phase (hearing to ruling) drew a median of 16 likes; after TikTok "
                            "returned to app stores, 115")


def test__phase_engagement__phases_under_min_n_are_named_too_few_not_plotted():
    figure = politics_figs.phase_engagement(
        politics.phase_engagement(_phase_notes(), reference.timeline()), "x")
    drawn = [m for m in marks(figure.chart) if m.type in ("point", "rule")]
    assert {r["phase"] for m in drawn for r in m.rows} == {"hearing to ruling", "back in app stores"}
    assert all(r["posts"] >= MIN_N for m in drawn for r in m.rows)
    # The 10,000 and 5,000 likes of the one- and two-post phases do not reach the axis.
    assert max(r["hi"] for m in drawn for r in m.rows) <= 130
    [text] = [m for m in marks(figure.chart) if m.type == "text"]
    assert sorted((r["phase"], r["too_few"]) for r in text.rows) == [
        ("75-day pause (EO 14166)", "too few (n = 0)"), ("before the hearing", "too few (n = 1)"),
        ("ruling, blackout, restoration", "too few (n = 2)")]
    # Every phase keeps its row on the axis, in timeline order.
    assert drawn[0].encoding["y"]["scale"]["domain"] == [label for label, _ in politics.PHASE_STARTS]
    assert figure.notes == ("Not plotted, fewer than 30 each — before the hearing: too few (n = 1); ruling, "
                            "blackout, restoration: too few (n = 2); 75-day pause (EO 14166): too few (n = 0).",)
    assert figure.data.height == 5  # the download keeps every phase


def test__daily_volume__long_export_is_shown_over_the_migration_window():
    from datetime import date, timedelta

    from analysis.figures.base import MIGRATION_WINDOW, migration_window

    days = [date(2023, 1, 1) + timedelta(days=i) for i in range(900)]
    daily = pl.DataFrame({"day": days, "posts": [1] * 900, "accounts": [1] * 900, "likes_median": [1.0] * 900})
    shown, note = migration_window(daily, weekly=[pl.col("posts").sum()])
    assert (shown["day"].min(), shown["day"].max()) == MIGRATION_WINDOW
    assert "the data run from 01 Jan 2023 to 18 Jun 2025" in note[0]


def test__daily_volume__export_outside_the_window_becomes_weekly_totals():
    from datetime import date, timedelta

    from analysis.figures.base import migration_window

    days = [date(2020, 1, 6) + timedelta(days=i) for i in range(364)]
    daily = pl.DataFrame({"day": days, "posts": [1] * 364, "accounts": [1] * 364, "likes_median": [2.0] * 364})
    shown, note = migration_window(daily, weekly=[pl.col("posts").sum(), pl.col("likes_median").median()])
    assert shown.height == 52 and shown["posts"].to_list() == [7] * 52 and shown["likes_median"].to_list() == [2.0] * 52
    assert note[0].startswith("No posts fall in the migration weeks")


def test__account_opening__title_states_the_newcomer_share_and_older_accounts_are_a_note():
    notes = pl.DataFrame({
        "account_id": ["a", "b", "c", "d"],
        "account_created_on": [date(2025, 1, 13), date(2025, 1, 14), date(2025, 1, 20), date(2019, 1, 1)],
    })
    f = politics_figs.account_opening(politics.account_opening_weeks(notes), politics.account_ages(notes, source="t"), "t")
    assert f.title.startswith("75% of the 4 accounts posting #TikTokRefugee were opened on or after 10 Jan 2025")
    assert f.notes[0] == "Accounts opened before 07 Oct 2024: 1, not drawn."
    assert f.data.rows() == [("before 07 Oct 2024", 1), ("13 Jan 2025", 2), ("20 Jan 2025", 1)]
    assert (f.n, f.claims) == (4, ("P1", "W1"))
    # Each bar spans its week and rises from zero (x/x2 alone would draw a dash at the count).
    [bar] = marks(f.chart)
    assert bar.type == "rect"
    assert (bar.encoding["x"]["field"], bar.encoding["x2"]["field"], bar.encoding["y2"]["datum"]) == (
        "week_start", "week_end", 0)
    assert sorted((r["week_start"], r["week_end"], r["accounts"]) for r in bar.rows) == [
        ("2025-01-13T00:00:00", "2025-01-19T00:00:00", 2), ("2025-01-20T00:00:00", "2025-01-26T00:00:00", 1)]
