"""The similarity math on small hand-made inputs: what each component and the combination must do."""

import numpy as np
import pytest
from scipy import sparse

from occurisk_assets.careers import similarity as sim


def test_rating_component_identical_profiles_are_one_and_opposite_ones_zero():
    values = np.array([[0.9, 0.1], [0.9, 0.1], [0.1, 0.9]])
    c = sim.rating_component("skills", values, np.array([True, True, True]))
    assert c.matrix[0, 1] == pytest.approx(1.0)
    # Centred on the mean profile (0.633, 0.367), SOC 0 and SOC 2 point in opposite directions.
    assert c.matrix[0, 2] == pytest.approx(0.0)
    assert np.array_equal(c.matrix, c.matrix.T)


def test_rating_component_marks_socs_without_the_file_as_unknown():
    values = np.array([[0.5, 0.2], [0.4, 0.3], [np.nan, np.nan]])
    c = sim.rating_component("abilities", values, np.array([True, True, False]))
    assert np.isnan(c.matrix[2]).all() and np.isnan(c.matrix[:, 2]).all()
    assert not np.isnan(c.matrix[0, 1])


def test_set_component_weights_rare_items_more():
    # SOCs 0 and 1 share a rare item; 0 and 2 share an item every SOC has.
    membership = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 0]]))
    c = sim.set_component("dwas", membership)
    assert c.matrix[0, 1] == pytest.approx(1.0)
    assert c.matrix[0, 2] < 0.5
    assert c.present.all()


def test_combine_renormalises_over_the_components_both_socs_have():
    a = sim.Component(
        "skills", np.array([[1.0, 0.8, 0.6], [0.8, 1.0, 0.4], [0.6, 0.4, 1.0]]), np.ones(3, bool)
    )
    nan = np.nan
    b = sim.Component(
        "abilities", np.array([[1.0, 0.2, nan], [0.2, 1.0, nan], [nan, nan, nan]]), np.array([1, 1, 0], bool)
    )
    weights = {"skills": 0.3, "abilities": 0.1}
    combined = sim.combine([a, b], weights)
    assert combined[0, 1] == pytest.approx((0.3 * 0.8 + 0.1 * 0.2) / 0.4)
    assert combined[0, 2] == pytest.approx(0.6)  # SOC 2 has no abilities: skills alone, weight 1
    assert np.isnan(np.diag(combined)).all()
    assert np.array_equal(combined, combined.T, equal_nan=True)


def test_ranks_and_symmetric_closure_of_top_k():
    s = np.array(
        [[np.nan, 0.9, 0.5, 0.1], [0.9, np.nan, 0.2, 0.3], [0.5, 0.2, np.nan, 0.8], [0.1, 0.3, 0.8, np.nan]]
    )
    rank = sim.ranks(s)
    assert rank[0, 1] == 1 and rank[0, 2] == 2 and rank[0, 3] == 3 and rank[0, 0] == 4
    i, j = sim.kept_pairs(s, rank, top_k=1)
    pairs = set(zip(i.tolist(), j.tolist(), strict=True))
    assert pairs == {(0, 1), (1, 0), (2, 3), (3, 2)}


def test_related_recall_counts_hits_among_the_top():
    s = np.array([[np.nan, 0.9, 0.5], [0.9, np.nan, 0.2], [0.5, 0.2, np.nan]])
    recall = sim.related_recall(sim.ranks(s), {0: {2}, 1: {0, 2}}, at=1)
    assert (recall["n_found"], recall["n_related_pairs"]) == (1, 3)
    assert recall["micro"] == pytest.approx(1 / 3) and recall["macro"] == pytest.approx(0.25)


def test_prior_weights_cover_every_component():
    assert set(sim.COMPONENT_WEIGHTS) == set(sim.RATING_DOMAINS) | set(sim.SET_COMPONENTS) | {"task_text"}
    assert sum(sim.COMPONENT_WEIGHTS.values()) == pytest.approx(1.0)
