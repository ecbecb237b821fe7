"""Permission-matrix row of the year's dashboard: every reader of the term may open it."""


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    return [Endpoint("emulation:term_year", "GET", lambda w: f"/terms/{w.term.pk}/year/", read)], []
