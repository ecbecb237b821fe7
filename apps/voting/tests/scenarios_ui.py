"""Permission-matrix rows of the ballot pages and API (``test_permission_matrix``).

The matrix's world: a 2025 term led by "own" (deputy "third", member "other"). The secretariat
(own's officer and leader) and central/admin run ballots; the leaders of member units vote.
"""

from apps.voting import services

VOTERS = {"leader_own", "leader_other"}


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _draft(w):
    return _cached(
        w,
        "ballot_draft",
        lambda: services.ballot_create(
            actor=None, term=w.term, question="Đơn vị dẫn đầu?", candidates=[w.own, w.other]
        ),
    )


def _open(w):
    def make():
        ballot = services.ballot_create(
            actor=None, term=w.term, question="Đơn vị dẫn đầu (mở)?", candidates=[w.own, w.other]
        )
        return services.ballot_open(actor=None, ballot=ballot)

    return _cached(w, "ballot_open", make)


def _closed(w):
    def make():
        ballot = services.ballot_create(
            actor=None, term=w.term, question="Đơn vị dẫn đầu (đóng)?", candidates=[w.own]
        )
        services.ballot_open(actor=None, ballot=ballot)
        return services.ballot_close(actor=None, ballot=ballot)

    return _cached(w, "ballot_closed", make)


def _published(w):
    def make():
        ballot = services.ballot_create(
            actor=None, term=w.term, question="Đơn vị dẫn đầu (công bố)?", candidates=[w.own]
        )
        services.ballot_open(actor=None, ballot=ballot)
        receipt = services.ballot_cast(
            actor=w.users["leader_other"], ballot=ballot, choices=[ballot.candidates.get()]
        )
        services.ballot_close(actor=None, ballot=ballot)
        ballot = services.ballot_publish(actor=None, ballot=ballot)
        ballot.receipt_for_test = receipt
        return ballot

    return _cached(w, "ballot_published", make)


def _form(w, **extra):
    data = {
        "question": "Đơn vị dẫn đầu Cụm năm 2025",
        "candidates": [w.own.pk, w.other.pk],
        "max_choices": "1",
        "electorate_kind": "unit",
        "quorum_numerator": "1",
        "quorum_denominator": "2",
        "quorum_strict": "on",
        "threshold_numerator": "1",
        "threshold_denominator": "2",
        "threshold_strict": "on",
    }
    data.update(extra)
    return data


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    run = managers | {"officer_own", "leader_own"}

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    ui = [
        row("voting:term_ballots", "GET", lambda w: f"/terms/{w.term.pk}/ballots/", read),
        row("voting:ballot_create", "GET", lambda w: f"/terms/{w.term.pk}/ballots/new/", run),
        row(
            "voting:ballot_create",
            "POST",
            lambda w: f"/terms/{w.term.pk}/ballots/new/",
            run,
            data=_form,
            ok=302,
        ),
        row("voting:ballot_detail", "GET", lambda w: f"/ballots/{_open(w).pk}/", read),
        row("voting:ballot_edit", "GET", lambda w: f"/ballots/{_draft(w).pk}/edit/", run),
        row(
            "voting:ballot_edit",
            "POST",
            lambda w: f"/ballots/{_draft(w).pk}/edit/",
            run,
            data=lambda w: _form(w, question="Câu hỏi đã sửa"),
            ok=302,
        ),
        row(
            "voting:ballot_open",
            "POST",
            lambda w: f"/ballots/{_draft(w).pk}/open/",
            run,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "voting:ballot_close",
            "POST",
            lambda w: f"/ballots/{_open(w).pk}/close/",
            run,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "voting:ballot_publish",
            "POST",
            lambda w: f"/ballots/{_closed(w).pk}/publish/",
            run,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "voting:ballot_cast",
            "POST",
            lambda w: f"/ballots/{_open(w).pk}/cast/",
            VOTERS,
            data=lambda w: {"choices": [_open(w).candidates.first().pk], "confirm": "on"},
        ),
        row(
            "voting:ballot_results", "GET", lambda w: f"/ballots/{_published(w).pk}/results/", read
        ),
        row("voting:ballot_papers", "GET", lambda w: f"/ballots/{_published(w).pk}/papers/", read),
    ]
    api = [
        row("ballot-list", "GET", lambda w: f"/api/ballots/?term={w.term.pk}", read),
        row(
            "ballot-list",
            "POST",
            lambda w: "/api/ballots/",
            run,
            data=lambda w: {"term": w.term.pk, "question": "Dẫn đầu?", "candidates": [w.own.pk]},
            ok=201,
        ),
        row("ballot-detail", "GET", lambda w: f"/api/ballots/{_open(w).pk}/", read),
        row(
            "ballot-detail",
            "PATCH",
            lambda w: f"/api/ballots/{_draft(w).pk}/",
            run,
            data=lambda w: {"question": "Câu hỏi mới"},
        ),
        row(
            "ballot-open",
            "POST",
            lambda w: f"/api/ballots/{_draft(w).pk}/open/",
            run,
            data=lambda w: {},
        ),
        row(
            "ballot-close",
            "POST",
            lambda w: f"/api/ballots/{_open(w).pk}/close/",
            run,
            data=lambda w: {},
        ),
        row(
            "ballot-publish",
            "POST",
            lambda w: f"/api/ballots/{_closed(w).pk}/publish/",
            run,
            data=lambda w: {},
        ),
        row(
            "ballot-cast",
            "POST",
            lambda w: f"/api/ballots/{_open(w).pk}/cast/",
            VOTERS,
            data=lambda w: {"choices": []},
            ok=201,
        ),
        row("ballot-results", "GET", lambda w: f"/api/ballots/{_published(w).pk}/results/", read),
        row("ballot-papers", "GET", lambda w: f"/api/ballots/{_published(w).pk}/papers/", read),
        row(
            "ballot-receipt",
            "GET",
            lambda w: (
                f"/api/ballots/{_published(w).pk}/receipt/?code={_published(w).receipt_for_test}"
            ),
            read,
        ),
    ]
    return ui, api
